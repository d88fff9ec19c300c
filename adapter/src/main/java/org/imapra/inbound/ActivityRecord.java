package org.imapra.inbound;

import java.time.Instant;
import org.imapra.api.admin.LiveStatus;

/**
 * An activation's last delivery, last error and last completed search or IDLE cycle, for the admin console's live
 * status and the readiness check (a watcher that completes no cycle within its interval is stuck).
 */
final class ActivityRecord {

    private final Instant since = Instant.now();
    private volatile long cycleSeconds;
    private volatile Instant lastCycle;
    private volatile Instant lastDelivery;
    private volatile String lastError;
    private volatile Instant lastErrorAt;
    private volatile org.imapra.cluster.Lease holder;

    void delivered() {
        lastDelivery = Instant.now();
    }

    /** @param what a sentence without secrets (the messages logged for the same event) */
    void failed(String what) {
        lastError = what;
        lastErrorAt = Instant.now();
    }

    /** The longest a cycle should take: the poll interval or the IDLE renewal, seconds. */
    void expectCycleWithin(long seconds) {
        cycleSeconds = seconds;
    }

    /** A search, or an IDLE or poll wait, completed. */
    void cycleCompleted() {
        lastCycle = Instant.now();
    }

    /** Who holds the folder's lease now (null: nobody, or no data grid). */
    void holding(org.imapra.cluster.Lease lease) {
        holder = lease;
    }

    LiveStatus.Activation snapshot(String folder) {
        org.imapra.cluster.Lease h = holder;
        return new LiveStatus.Activation(folder, lastDelivery, lastError, lastErrorAt, since, lastCycle,
                cycleSeconds, h == null ? null : h.member(), h == null ? null : Instant.ofEpochMilli(h.since()));
    }
}
