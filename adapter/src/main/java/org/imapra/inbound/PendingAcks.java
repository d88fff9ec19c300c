package org.imapra.inbound;

import jakarta.mail.MessagingException;
import java.util.TreeSet;
import java.util.logging.Logger;

/**
 * Messages whose {@code onMessage} returned normally and whose acknowledgement has not reached the server yet. They
 * are sent in one command per batch (or once the oldest waited {@link #FLUSH_AFTER_MILLIS}); when the connection
 * breaks first they are kept, sent again after the reconnect, and meanwhile not delivered again. Used by the watcher
 * thread only.
 */
final class PendingAcks {

    static final long FLUSH_AFTER_MILLIS = 1_000;
    private static final Logger LOG = Logger.getLogger(PendingAcks.class.getName());

    private final String activation;
    private final TreeSet<Long> uids = new TreeSet<>();
    private long uidValidity = -1;
    private long oldest;

    PendingAcks(String activation) {
        this.activation = activation;
    }

    void add(MessageKey k, long now) {
        if (k.uidValidity() != uidValidity) {
            dropIfOtherThan(k.uidValidity());
            uidValidity = k.uidValidity();
        }
        if (uids.isEmpty()) {
            oldest = now;
        }
        uids.add(k.uid());
    }

    boolean contains(MessageKey k) {
        return k.uidValidity() == uidValidity && uids.contains(k.uid());
    }

    boolean isEmpty() {
        return uids.isEmpty();
    }

    /** True when the oldest has waited long enough to be sent before the batch ends. */
    boolean due(long now) {
        return !uids.isEmpty() && now - oldest >= FLUSH_AFTER_MILLIS;
    }

    /**
     * After a reconnect: the UIDs cannot be acknowledged when the folder's UIDVALIDITY changed; those messages will
     * be delivered again.
     */
    void dropIfOtherThan(long currentUidValidity) {
        if (!uids.isEmpty() && uidValidity != currentUidValidity) {
            LOG.warning("The UIDVALIDITY of " + activation + " changed from " + uidValidity + " to "
                    + currentUidValidity + ": " + uids.size() + " delivered messages could not be acknowledged and "
                    + "will be delivered again");
            uids.clear();
        }
    }

    /** Sends the acknowledgement; cleared only when the server accepted it. */
    void flush(InboundConnection c) throws MessagingException {
        if (uids.isEmpty()) {
            return;
        }
        c.acknowledge(uids);
        uids.clear();
    }

    /** Forgets every pending acknowledgement (the lease was lost or handed over); returns how many. */
    int drop() {
        int n = uids.size();
        uids.clear();
        return n;
    }

    int size() {
        return uids.size();
    }
}
