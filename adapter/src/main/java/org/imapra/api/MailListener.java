package org.imapra.api;

import jakarta.mail.Message;

/**
 * The message listener of imapra's inbound side: a message-driven bean implementing it receives every new message of
 * the configured folder (activation properties {@code mailbox}, {@code folder}, {@code afterDelivery}, ... as listed
 * in the README).
 *
 * <pre>{@code
 * @MessageDriven(activationConfig = {
 *     @ActivationConfigProperty(propertyName = "mailbox", propertyValue = "support"),
 *     @ActivationConfigProperty(propertyName = "afterDelivery", propertyValue = "MOVE"),
 *     @ActivationConfigProperty(propertyName = "moveTo", propertyValue = "Processed") })
 * public class SupportMail implements MailListener {
 *     public void onMessage(Message message) {
 *         DeliveredMessage d = DeliveredMessage.of(message); // mailbox, folder, UIDVALIDITY, UID, Message-ID
 *         ...
 *     }
 * }
 * }</pre>
 *
 * <p>Delivery is at least once: the message is acknowledged on the server (seen, moved or deleted) only after
 * {@code onMessage} returned normally; when it throws, the message stays as it was and is delivered again after a
 * back-off. A message can therefore arrive twice (see the README, "Duplicates"): use {@link DeliveredMessage#key()}
 * or the Message-ID to make the bean idempotent.
 */
public interface MailListener {

    /**
     * Handles one message. The message is live: its envelope, flags and structure are already fetched, and its
     * content streams from the server (BODY.PEEK, so reading it does not set \Seen) during this call. Do not keep
     * it for use after the call returns: copy what you need (e.g. {@code new MimeMessage((MimeMessage) message)}).
     *
     * @param message the message, a {@link jakarta.mail.internet.MimeMessage}
     */
    void onMessage(Message message);
}
