package org.imapra.inbound;

import java.util.logging.Logger;
import org.imapra.cluster.Lease;

/**
 * The watcher's side of its cluster lease: stand by, holding no IMAP connection, until the lease is taken (at once
 * without a data grid); learn from the {@link LeaseKeeper} that it was lost or is to be handed over ("trouble": the
 * watcher stops consuming at once); stand down afterwards. A stand-by consumes nothing of the mailbox's connection
 * budget, nor of Exchange's connections per mailbox.
 */
final class LeaseStandby {

    private static final Logger LOG = Logger.getLogger(LeaseStandby.class.getName());

    private final ActivationLease lease;
    private final InboundSettings settings;
    private final StopSignal signal;
    private final ActivityRecord activity;
    private final PendingAcks acks;
    private final Runnable wake;
    private volatile boolean trouble;
    private volatile boolean yielding;

    /** @param wake ends the watcher's IDLE or wait, so that it sees the trouble */
    LeaseStandby(ActivationLease lease, InboundSettings settings, StopSignal signal, ActivityRecord activity,
                 PendingAcks acks, Runnable wake) {
        this.lease = lease;
        this.settings = settings;
        this.signal = signal;
        this.activity = activity;
        this.acks = acks;
        this.wake = wake;
    }

    /** The lease was lost, or is being handed over: consume nothing more. */
    boolean trouble() {
        return trouble;
    }

    /** A hand-over: what was delivered is acknowledged before the connection closes. */
    boolean yielding() {
        return yielding;
    }

    /** The keeper could not renew the lease. Any thread. */
    void lost() {
        trouble = true;
        wake.run();
    }

    /** The keeper found this instance above its share. Any thread. */
    void handOver() {
        yielding = true;
        trouble = true;
        wake.run();
    }

    /** @return false when stopping */
    boolean take() {
        boolean told = false;
        while (!signal.stopping()) {
            if (lease.tryTake()) {
                if (lease.shared()) {
                    activity.holding(lease.current());
                }
                return true;
            }
            Lease h = lease.holder();
            if (!told) {
                told = true;
                LOG.info("Inbound delivery from " + settings.describe() + " stands by (no IMAP connection): "
                        + (h == null ? "the lease is being handed over" : "the lease is held by " + h.member()));
            }
            activity.holding(h);
            if (signal.awaitUntil(System.currentTimeMillis() + lease.retryMillis())) {
                return false;
            }
        }
        return false;
    }

    /** After the lease was lost or handed over: forget what was not acknowledged (its new holder delivers it). */
    void standDown() {
        if (lease.held()) {
            lease.release();
        }
        int dropped = acks.drop();
        if (dropped > 0) {
            LOG.warning("Inbound delivery from " + settings.describe() + " gave up its lease with " + dropped
                    + " delivered message(s) not acknowledged: the new holder delivers them again");
        }
        activity.holding(null);
        yielding = false;
        trouble = false;
    }
}
