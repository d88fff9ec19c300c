package org.imapra.inbound;

import jakarta.resource.spi.endpoint.MessageEndpointFactory;
import jakarta.resource.spi.work.WorkAdapter;
import jakarta.resource.spi.work.WorkEvent;
import jakarta.resource.spi.work.WorkException;
import jakarta.resource.spi.work.WorkManager;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.imapra.core.AdapterContext;

/**
 * One activated message endpoint: its settings and the {@link MailboxWatcher} Work that delivers to it.
 * {@link #start()} only schedules the Work; {@link #stop()} returns within {@link #STOP_MILLIS}.
 */
final class ImapActivation {

    static final long STOP_MILLIS = 4_500;
    /** How long a stopping watcher may take on its own (finish a delivery, acknowledge, log out). */
    static final long GRACE_MILLIS = 2_500;
    private static final Logger LOG = Logger.getLogger(ImapActivation.class.getName());

    private final InboundSettings settings;
    private final WorkManager workManager;
    private final MailboxWatcher watcher;
    private final ActivationLease lease;
    /** Renews the lease while the watcher consumes; null without a data grid. */
    private final LeaseKeeper keeper;

    ImapActivation(MessageEndpointFactory factory, InboundSettings settings, InboundTokens tokens,
                   WorkManager workManager, AdapterContext context) {
        this.settings = settings;
        this.workManager = workManager;
        this.lease = new ActivationLease(context.leases(), settings, context.leaseTtlMillis());
        this.watcher = new MailboxWatcher(settings, tokens, factory, workManager, DeliveryClaims.SINGLE_INSTANCE,
                context.throttles(), context.budgets(), lease);
        this.keeper = lease.shared()
                ? new LeaseKeeper(lease, new StopSignal(), watcher::leaseLost, watcher::yieldLease) : null;
    }

    /** The console's view: folder, last delivery, last error. */
    org.imapra.api.admin.LiveStatus.Activation status() {
        return watcher.activity().snapshot(settings.folder());
    }

    InboundSettings settings() {
        return settings;
    }

    /** Schedules the watcher; does not wait for it and does not touch the network. */
    void start() throws WorkException {
        if (keeper != null) {
            workManager.scheduleWork(keeper, WorkManager.INDEFINITE, null, null);
        }
        workManager.scheduleWork(watcher, WorkManager.INDEFINITE, null, new WorkAdapter() {
            @Override
            public void workRejected(WorkEvent e) {
                LOG.log(Level.SEVERE, "The WorkManager rejected inbound delivery from " + settings.describe()
                        + ": no message is delivered to this endpoint", e.getException());
            }

            @Override
            public void workCompleted(WorkEvent e) {
                if (e.getException() != null) {
                    LOG.log(Level.SEVERE, "Inbound delivery from " + settings.describe() + " ended with a failure",
                            e.getException());
                }
            }
        });
    }

    /**
     * Stops the watcher: it is woken (IDLE ended with DONE), finishes a delivery in progress, sends the pending
     * acknowledgement and logs out. When it has not ended after {@link #GRACE_MILLIS}, its connection is closed under
     * it (a message being delivered then stays unacknowledged). Returns after at most {@link #STOP_MILLIS}.
     */
    void stop() {
        try {
            stopWatcher();
        } finally {
            if (keeper != null) {
                keeper.release(); // after the watcher: its lease is released by now
            }
            lease.close();
        }
    }

    private void stopWatcher() {
        long start = System.currentTimeMillis();
        watcher.release();
        if (!watcher.started()) {
            return; // still queued: it ends at once when it starts
        }
        if (watcher.awaitFinished(GRACE_MILLIS)) {
            return;
        }
        watcher.forceClose();
        if (!watcher.awaitFinished(STOP_MILLIS - (System.currentTimeMillis() - start))) {
            LOG.warning("Inbound delivery from " + settings.describe() + " did not stop within " + STOP_MILLIS
                    + " ms: an onMessage call has not returned; its message will not be acknowledged");
        }
    }
}
