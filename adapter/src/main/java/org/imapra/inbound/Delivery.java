package org.imapra.inbound;

import jakarta.mail.Message;

/**
 * One message to deliver, and after delivery how it went.
 *
 * @param message the live message
 * @param key     its UIDVALIDITY and UID
 * @param result  null before delivery
 * @param failure what went wrong, or null
 */
record Delivery(Message message, MessageKey key, Result result, Throwable failure) {

    /** How a delivery went. */
    enum Result {
        /** onMessage and afterDelivery returned normally: the message may be acknowledged. */
        DELIVERED,
        /** onMessage or afterDelivery threw: counts as a failed attempt. */
        FAILED,
        /** No endpoint (createEndpoint or beforeDelivery failed): not the message's fault, not counted. */
        UNAVAILABLE,
        /**
         * The delivery was broken by an {@link Error} that is not the message's fault (OutOfMemoryError, an Error
         * in the adapter's own code): not counted as a failed attempt; the batch ends and the watcher reconnects.
         */
        BROKEN
    }

    static Delivery of(Message message, MessageKey key) {
        return new Delivery(message, key, null, null);
    }

    Delivery with(Result r, Throwable t) {
        return new Delivery(message, key, r, t);
    }
}
