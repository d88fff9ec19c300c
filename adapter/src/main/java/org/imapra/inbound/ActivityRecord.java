package org.imapra.inbound;

import java.time.Instant;
import org.imapra.api.admin.LiveStatus;

/** An activation's last delivery and last error, for the admin console's live status. */
final class ActivityRecord {

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

    /** Who holds the folder's lease now (null: nobody, or no data grid). */
    void holding(org.imapra.cluster.Lease lease) {
        holder = lease;
    }

    LiveStatus.Activation snapshot(String folder) {
        org.imapra.cluster.Lease h = holder;
        return new LiveStatus.Activation(folder, lastDelivery, lastError, lastErrorAt, h == null ? null : h.member(),
                h == null ? null : Instant.ofEpochMilli(h.since()));
    }
}
