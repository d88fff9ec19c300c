package org.imapra.it.app;

import jakarta.ejb.ActivationConfigProperty;
import jakarta.ejb.EJB;
import jakarta.ejb.MessageDriven;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import org.imapra.api.MailListener;

/** The example MDB: mail in INBOX of definition 'support' is delivered, then moved to Processed. */
@MessageDriven(activationConfig = {
        @ActivationConfigProperty(propertyName = "resourceAdapter", propertyValue = "imapra"),
        @ActivationConfigProperty(propertyName = "mailbox", propertyValue = "support"),
        @ActivationConfigProperty(propertyName = "folder", propertyValue = "INBOX"),
        @ActivationConfigProperty(propertyName = "searchFilter", propertyValue = "UNSEEN; subject=[mdb]"),
        @ActivationConfigProperty(propertyName = "afterDelivery", propertyValue = "MOVE"),
        @ActivationConfigProperty(propertyName = "moveTo", propertyValue = "Processed") })
public class SupportMail implements MailListener {

    @EJB
    private Received received;

    @Override
    public void onMessage(Message message) {
        try {
            received.add(message.getSubject());
        } catch (MessagingException e) {
            throw new IllegalStateException(e);
        }
    }
}
