package org.imapra.example;

import jakarta.ejb.ActivationConfigProperty;
import jakarta.ejb.EJB;
import jakarta.ejb.MessageDriven;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.mail.Address;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import java.time.Instant;
import java.util.Arrays;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import org.imapra.api.DeliveredMessage;
import org.imapra.api.MailListener;

/**
 * Receives every new message of INBOX of the definition {@value SandboxMailbox#MAILBOX}: logs it and records it for
 * the page. imapra marks it \Seen only after this method returned normally; if it throws, the message stays unseen
 * and is delivered again after a back-off.
 */
// Which resource adapter delivers to this bean is server-specific and set outside the code, so that no server warns
// about another's property: Payara WEB-INF/glassfish-ejb-jar.xml (imapra), WildFly WEB-INF/jboss-ejb3.xml
// (imapra.rar), Open Liberty an <activationSpec> in server.xml.
@MessageDriven(activationConfig = {
    @ActivationConfigProperty(propertyName = "mailbox", propertyValue = SandboxMailbox.MAILBOX),
    @ActivationConfigProperty(propertyName = "folder", propertyValue = "INBOX"),
    @ActivationConfigProperty(propertyName = "afterDelivery", propertyValue = "MARK_SEEN")})
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class SandboxMailListener implements MailListener {

    private static final Logger LOG = Logger.getLogger(SandboxMailListener.class.getName());

    @EJB
    private ReceivedMail received;

    @Override
    public void onMessage(Message message) {
        try {
            DeliveredMessage origin = DeliveredMessage.of(message);
            String from = message.getFrom() == null ? "" : Arrays.stream(message.getFrom())
                    .map(Address::toString).collect(Collectors.joining(", "));
            LOG.info(() -> "Received " + origin.key() + " from " + from + ": " + subject(message));
            received.add(new ReceivedMail.Received(Instant.now(), subject(message), from, origin.key()));
        } catch (MessagingException e) {
            // thrown: the message stays unseen and is delivered again
            throw new IllegalStateException("Cannot read the message: " + e.getMessage(), e);
        }
    }

    private static String subject(Message message) {
        try {
            return message.getSubject();
        } catch (MessagingException e) {
            throw new IllegalStateException("Cannot read the subject: " + e.getMessage(), e);
        }
    }
}
