package org.imapra.inbound;

import jakarta.mail.MessagingException;
import jakarta.resource.spi.endpoint.MessageEndpointFactory;
import jakarta.resource.spi.work.Work;
import jakarta.resource.spi.work.WorkManager;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import org.imapra.core.ConnectionBudgets;
import org.imapra.core.MailboxThrottles;
import org.imapra.imap.ImapErrors;
import org.imapra.imap.ServerLimit;
import org.imapra.imap.IdleCommand;

/**
 * The long-running Work of one activation: connect (with back-off), then repeatedly search, fetch a batch, deliver
 * it and acknowledge it, and wait for more in IDLE or until the next poll. Reconnects when the connection is lost
 * and, proactively, before its token expires; every (re)connect is followed by a search, so nothing that arrived
 * meanwhile waits. {@link #release()} asks it to stop; it then lets a delivery in progress finish.
 */
final class MailboxWatcher implements Work {

    private static final Logger LOG = Logger.getLogger(MailboxWatcher.class.getName());
    private final InboundSettings settings;
    private final InboundTokens tokens;
    private final StopSignal signal = new StopSignal();
    private final IdleCommand idle = new IdleCommand(this::halted);
    private final Backoff backoff;
    private final DeliveryLedger ledger;
    private final PendingAcks acks;
    private final BatchDispatcher dispatcher;
    private final DeliveryClaims claims;
    private final DeliverySettler settler;
    private final BatchCycle cycle;
    private final TokenRenewal renewal;
    private final ServerBackoff limits;
    private final ActivationLease lease;
    private final LeaseStandby standby;
    private final WatcherConnector connector;
    private final CountDownLatch finished = new CountDownLatch(1);
    private volatile boolean started;
    private volatile InboundConnection connection;

    private boolean idleFallbackLogged;

    private final ActivityRecord activity = new ActivityRecord();

    MailboxWatcher(InboundSettings settings, InboundTokens tokens, MessageEndpointFactory factory,
                   WorkManager workManager, DeliveryClaims claims, MailboxThrottles throttles,
                   ConnectionBudgets budgets, ActivationLease lease) {
        this.lease = lease;
        this.settings = settings;
        this.tokens = tokens;
        this.claims = claims;
        this.backoff = new Backoff(settings.retryBackoffMillis(), settings.maxRetryBackoffMillis());
        this.ledger = new DeliveryLedger(backoff);
        this.acks = new PendingAcks(settings.describe());
        this.dispatcher = new BatchDispatcher(new EndpointInvoker(factory), workManager, settings.maxConcurrency(),
                this::halted);
        this.settler = new DeliverySettler(settings, ledger, acks, backoff, signal, activity,
                tokens.counters().folder(settings.folder()));
        activity.expectCycleWithin(settings.mode() == ListenMode.POLL ? settings.pollIntervalSeconds()
                : Math.max(settings.idleRenewSeconds(), settings.pollIntervalSeconds()));
        this.renewal = new TokenRenewal(tokens, backoff, settings.describe());
        this.limits = new ServerBackoff(settings, throttles);
        this.standby = new LeaseStandby(lease, settings, signal, activity, acks, this::wake);
        this.connector = new WatcherConnector(settings, tokens, signal, idle, backoff, limits, budgets, lease, acks,
                activity, standby::trouble);
        this.cycle = new BatchCycle(settings, ledger, acks, dispatcher, claims, settler, connector::searched);
    }

    ActivityRecord activity() {
        return activity;
    }

    @Override
    public void run() {
        started = true;
        LOG.info("Inbound delivery from " + settings.describe() + " started (afterDelivery "
                + settings.afterDelivery() + ", search " + settings.searchFilter() + ")");
        try {
            while (!signal.stopping()) {
                if (!standby.take()) {
                    break;
                }
                InboundConnection c;
                try {
                    c = connector.connect();
                } catch (Error e) {
                    connector.broken(e);
                    continue;
                }
                if (c == null) {
                    if (signal.stopping()) {
                        break;
                    }
                    standby.standDown();
                    continue;
                }
                connection = c;
                try {
                    serve(c);
                } catch (ActivationLease.LostLeaseException e) {
                    LOG.warning(e.getMessage());
                } catch (MessagingException | RuntimeException e) {
                    if (limits.note(e, "IMAP command") instanceof ServerLimit.Throttled) {
                        c.forceClose(); // not even a LOGOUT before the time Exchange asked for
                        activity.failed(ImapErrors.serverWords(e));
                    } else {
                        connector.lost(e);
                    }
                } catch (Error e) {
                    connector.broken(e);
                } finally {
                    connection = null;
                    c.close();
                }
                if (standby.trouble() || !lease.held()) {
                    standby.standDown();
                }
            }
        } finally {
            lease.release();
            connector.forget();
            finished.countDown();
            LOG.info("Inbound delivery from " + settings.describe() + " stopped");
        }
    }

    /** Asks the watcher to stop: wakes it from IDLE or a wait. Does not block. */
    @Override
    public void release() {
        signal.stop();
        InboundConnection c = connection;
        if (c != null) {
            c.abortIdle();
        }
    }

    /** Stopping, or the lease is lost or being handed over: no new delivery starts. */
    private boolean halted() {
        return signal.stopping() || standby.trouble();
    }

    /** The keeper could not renew the lease: stop consuming at once, acknowledge nothing further. Any thread. */
    void leaseLost() {
        standby.lost();
    }

    /** The keeper found this instance above its share: finish, acknowledge, log out and hand the lease over. */
    void yieldLease() {
        standby.handOver();
    }

    private void wake() {
        InboundConnection c = connection;
        if (c != null) {
            c.abortIdle();
        }
        signal.wake();
    }

    boolean started() {
        return started;
    }

    boolean awaitFinished(long millis) {
        try {
            return finished.await(Math.max(0, millis), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return finished.getCount() == 0;
        }
    }

    /** Closes the connection's sockets without a word to the server. Any thread. */
    void forceClose() {
        connector.forceClose();
    }

    private void serve(InboundConnection c) throws MessagingException {
        boolean useIdle = useIdle(c);
        long reconnectAt = c.reconnectAt().toEpochMilli();
        long batchUntil = reconnectAt; // a batch stops early to renew the connection in time
        while (!signal.stopping()) {
            if (standby.trouble()) {
                if (standby.yielding()) {
                    acks.flush(c); // a hand-over: what was delivered is acknowledged first
                }
                return;
            }
            if (limits.throttled()) {
                c.forceClose(); // told elsewhere in the adapter: no further command, not even LOGOUT
                return;
            }
            acks.flush(c);
            if (System.currentTimeMillis() >= reconnectAt) {
                reconnectAt = renewal.check(c, System.currentTimeMillis());
                if (reconnectAt == TokenRenewal.NOW) {
                    LOG.fine(() -> "Renewing the connection of " + settings.describe() + " before its token expires");
                    return;
                }
                batchUntil = renewal.lastMoment(c); // no new token yet: go on until shortly before the expiry
            }
            boolean more = cycle.run(c, batchUntil);
            activity.cycleCompleted();
            if (more) {
                continue;
            }
            long now = System.currentTimeMillis();
            long wait = 1000L * (useIdle ? settings.idleRenewSeconds() : settings.pollIntervalSeconds());
            long deadline = Math.min(Math.min(now + wait, reconnectAt),
                    Math.min(ledger.nextDue(), settler.pausedUntil() > now ? settler.pausedUntil() : Long.MAX_VALUE));
            if (signal.stopping()) {
                break;
            }
            if (useIdle) {
                c.idle(deadline);
            } else {
                signal.awaitUntil(deadline, standby::trouble);
            }
            activity.cycleCompleted();
        }
        acks.flush(c); // stopping: what was delivered is acknowledged before logging out
    }

    private boolean useIdle(InboundConnection c) {
        if (settings.mode() == ListenMode.POLL) {
            return false;
        }
        if (c.supportsIdle()) {
            return true;
        }
        if (settings.mode() == ListenMode.IDLE && !idleFallbackLogged) {
            idleFallbackLogged = true;
            LOG.warning("mode IDLE is set for " + settings.describe() + " but the server does not advertise IDLE: "
                    + "polling every " + settings.pollIntervalSeconds() + " s instead");
        }
        return false;
    }
}
