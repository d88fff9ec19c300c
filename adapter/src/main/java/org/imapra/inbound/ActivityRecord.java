package org.imapra.inbound;

import java.time.Instant;
import org.imapra.api.admin.LiveStatus;

/** An activation's last delivery and last error, for the admin console's live status. */
final class ActivityRecord {

    private volatile Instant lastDelivery;
    private volatile String lastError;
    private volatile Instant lastErrorAt;

    void delivered() {
        lastDelivery = Instant.now();
    }

    /** @param what a sentence without secrets (the messages logged for the same event) */
    void failed(String what) {
        lastError = what;
        lastErrorAt = Instant.now();
    }

    LiveStatus.Activation snapshot(String folder) {
        return new LiveStatus.Activation(folder, lastDelivery, lastError, lastErrorAt);
    }
}
