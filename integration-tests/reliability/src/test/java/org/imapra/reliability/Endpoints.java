package org.imapra.reliability;

import jakarta.mail.Message;
import org.imapra.api.DeliveredMessage;
import org.imapra.api.MailListener;
import org.imapra.testsupport.RecordingEndpointFactory;

/**
 * The recording MessageEndpointFactory of the shared test support for a {@link MailListener} MDB, whose failures
 * go to the secret hunt ({@link Evidence#exception}).
 */
final class Endpoints extends RecordingEndpointFactory<DeliveredMessage> {

    /** Stand-in for the MDB class. */
    static final class Mdb implements MailListener {
        @Override
        public void onMessage(Message message) {
        }
    }

    Endpoints() {
        super("ReliabilityMdb", Mdb.class, MailListener.class, DeliveredMessage::of);
    }

    @Override
    protected void onFailure(Exception e) {
        Evidence.exception(e);
    }
}
