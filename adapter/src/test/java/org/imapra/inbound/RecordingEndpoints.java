package org.imapra.inbound;

import jakarta.mail.Message;
import org.imapra.api.DeliveredMessage;
import org.imapra.api.MailListener;
import org.imapra.testsupport.RecordingEndpointFactory;

/**
 * The recording MessageEndpointFactory of the shared test support for a {@link MailListener} MDB: each delivery's
 * origin is {@link DeliveredMessage#of}.
 */
final class RecordingEndpoints extends RecordingEndpointFactory<DeliveredMessage> {

    /** Stand-in for the MDB class. */
    static final class TestMdb implements MailListener {
        @Override
        public void onMessage(Message message) {
        }
    }

    RecordingEndpoints() {
        super("TestMdb", TestMdb.class, MailListener.class, DeliveredMessage::of);
    }
}
