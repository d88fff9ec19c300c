package org.imapra.api;

import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.UIDFolder;
import jakarta.mail.URLName;
import jakarta.mail.internet.MimeMessage;
import java.io.Serializable;

/**
 * Where a message given to {@link MailListener#onMessage} comes from, to make a bean idempotent: the mailbox
 * address, the folder, the folder's UIDVALIDITY and the message's UID identify one message for as long as it stays in
 * that folder; the Message-ID identifies it across folders and mailboxes (when the sender set one).
 *
 * @param mailbox     mailbox address, e.g. {@code support@contoso.com}
 * @param folder      full folder name, e.g. {@code INBOX}
 * @param uidValidity the folder's UIDVALIDITY
 * @param uid         the message's UID in the folder
 * @param messageId   the Message-ID header, or null
 */
public record DeliveredMessage(String mailbox, String folder, long uidValidity, long uid, String messageId)
        implements Serializable {

    /**
     * The origin of a message that imapra delivered; call it during {@code onMessage}.
     *
     * @throws IllegalArgumentException when the message does not come from an IMAP folder
     * @throws IllegalStateException    when the message's folder is no longer open
     */
    public static DeliveredMessage of(Message message) {
        Folder folder = message.getFolder();
        if (!(folder instanceof UIDFolder uids)) {
            throw new IllegalArgumentException("the message does not come from an IMAP folder (it was not "
                    + "delivered by imapra, or is a copy)");
        }
        try {
            URLName url = folder.getStore().getURLName();
            String id = message instanceof MimeMessage m ? m.getMessageID() : firstHeader(message, "Message-ID");
            return new DeliveredMessage(url == null ? null : url.getUsername(), folder.getFullName(),
                    uids.getUIDValidity(), uids.getUID(message), id);
        } catch (MessagingException e) {
            throw new IllegalStateException("the origin of the message is no longer available (call "
                    + "DeliveredMessage.of during onMessage): " + e.getMessage(), e);
        }
    }

    private static String firstHeader(Message message, String name) throws MessagingException {
        String[] values = message.getHeader(name);
        return values == null || values.length == 0 ? null : values[0];
    }

    /**
     * A key unique per message while it stays in its folder, in IMAP URL style (RFC 5092):
     * {@code support@contoso.com/INBOX;UIDVALIDITY=1712345678/;UID=42}. Store it to recognise a redelivery.
     */
    public String key() {
        return mailbox + "/" + folder + ";UIDVALIDITY=" + uidValidity + "/;UID=" + uid;
    }
}
