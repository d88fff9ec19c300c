package org.imapra.console.it;

import jakarta.ejb.ActivationConfigProperty;
import jakarta.ejb.MessageDriven;
import jakarta.mail.Message;
import org.imapra.api.MailListener;

/**
 * Test only (added to the console WAR by {@link HealthIT}): an MDB on definition 'support' taking the mail whose
 * subject starts with [health], so the console's readiness checks have an activation to report on.
 */
@MessageDriven(activationConfig = {
        @ActivationConfigProperty(propertyName = "resourceAdapter", propertyValue = "imapra"),
        @ActivationConfigProperty(propertyName = "mailbox", propertyValue = "support"),
        @ActivationConfigProperty(propertyName = "folder", propertyValue = "INBOX"),
        @ActivationConfigProperty(propertyName = "searchFilter", propertyValue = "UNSEEN; subject=[health]"),
        @ActivationConfigProperty(propertyName = "afterDelivery", propertyValue = "MARK_SEEN") })
public class HealthMail implements MailListener {

    @Override
    public void onMessage(Message message) {
        // delivered: counted by the adapter
    }
}
