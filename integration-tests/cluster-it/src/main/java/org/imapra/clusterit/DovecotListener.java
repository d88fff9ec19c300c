package org.imapra.clusterit;

import jakarta.ejb.ActivationConfigProperty;
import jakarta.ejb.MessageDriven;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.mail.Message;
import org.imapra.api.MailListener;

/** Records each message of INBOX of the definition "dovecot", a mailbox on Dovecot (see {@link Deliveries}). */
@MessageDriven(activationConfig = {
    @ActivationConfigProperty(propertyName = "mailbox", propertyValue = "dovecot"),
    @ActivationConfigProperty(propertyName = "folder", propertyValue = "INBOX"),
    @ActivationConfigProperty(propertyName = "maxMessagesPerBatch", propertyValue = "5"),
    @ActivationConfigProperty(propertyName = "afterDelivery", propertyValue = "MARK_SEEN")})
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class DovecotListener implements MailListener {

    @Override
    public void onMessage(Message message) {
        Deliveries.record("dovecot", message);
    }
}
