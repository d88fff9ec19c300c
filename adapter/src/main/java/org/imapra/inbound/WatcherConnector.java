package org.imapra.inbound;

import jakarta.mail.MessagingException;
import java.util.function.BooleanSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.imapra.auth.AccessToken;
import org.imapra.auth.TokenException;
import org.imapra.core.ConnectionBudgets;
import org.imapra.imap.IdleCommand;
import org.imapra.imap.ImapErrors;
import org.imapra.imap.ServerLimit;
import org.imapra.imap.TrackingSocketFactory;

/**
 * How a {@link MailboxWatcher} gets its connection: a token, TLS, XOAUTH2, SELECT, with back-off after failures
 * (exponential with jitter; the longest while nothing can change until someone signs in or grants the mailbox; as
 * long as the server asked after a throttling reply), and what a lost or broken connection counts for the next
 * attempt. Used by the watcher thread; {@link #forceClose} from any thread.
 */
final class WatcherConnector {

    private static final Logger LOG = Logger.getLogger(WatcherConnector.class.getName());
    /** A lost connection is re-opened at once, unless that already happened this recently (then: back-off). */
    private static final long IMMEDIATE_RECONNECT_SPACING_MILLIS = 10_000;

    private final InboundSettings settings;
    private final InboundTokens tokens;
    private final StopSignal signal;
    private final IdleCommand idle;
    private final Backoff backoff;
    private final ServerBackoff limits;
    private final ConnectionBudgets budgets;
    private final ActivationLease lease;
    private final PendingAcks acks;
    private final ActivityRecord activity;
    private final BooleanSupplier trouble;
    private volatile TrackingSocketFactory sockets;
    private int failures;
    private long lastImmediateReconnect;

    /** @param trouble whether the lease is lost or being handed over: no connection is opened then */
    WatcherConnector(InboundSettings settings, InboundTokens tokens, StopSignal signal, IdleCommand idle,
                     Backoff backoff, ServerBackoff limits, ConnectionBudgets budgets, ActivationLease lease,
                     PendingAcks acks, ActivityRecord activity, BooleanSupplier trouble) {
        this.settings = settings;
        this.tokens = tokens;
        this.signal = signal;
        this.idle = idle;
        this.backoff = backoff;
        this.limits = limits;
        this.budgets = budgets;
        this.lease = lease;
        this.acks = acks;
        this.activity = activity;
        this.trouble = trouble;
    }

    /** A search succeeded: the connection works, the back-off starts from the beginning again. */
    void searched() {
        failures = 0;
    }

    /** Closes the sockets of the connection (being) opened without a word to the server. Any thread. */
    void forceClose() {
        TrackingSocketFactory s = sockets;
        if (s != null) {
            s.closeAll();
        }
    }

    /** The watcher stopped: no socket is kept. */
    void forget() {
        sockets = null;
    }

    /** Connects, with back-off after failures; null when stopping or the lease is in trouble. */
    InboundConnection connect() {
        while (!signal.stopping() && !trouble.getAsBoolean()) {
            long delay = failures > 0 ? backoff.delay(failures) : 0;
            if (delay > 0) {
                LOG.fine(() -> "Reconnecting " + settings.describe() + " in " + delay + " ms");
            }
            if (signal.awaitUntil(limits.nextAttemptAt(System.currentTimeMillis() + delay), trouble)) {
                return null;
            }
            TrackingSocketFactory s = new TrackingSocketFactory();
            sockets = s;
            try {
                AccessToken token = tokens.get();
                if (signal.stopping()) {
                    return null;
                }
                InboundConnection c;
                try {
                    c = InboundConnection.open(settings, token, s, idle, budgets);
                } catch (MessagingException | RuntimeException e) {
                    tokens.counters().connectFailed(e);
                    throw e;
                }
                tokens.counters().connected();
                c.countIn(tokens.counters());
                if (lease.shared()) {
                    c.fencedBy(lease);
                }
                acks.dropIfOtherThan(c.uidValidity());
                LOG.fine(() -> "Connected to " + settings.describe() + " (UIDVALIDITY " + c.uidValidity() + ")");
                return c;
            } catch (TokenException | MessagingException | RuntimeException e) {
                if (signal.stopping()) {
                    LOG.log(Level.FINE, "Connecting " + settings.describe() + " ended by the stop", e);
                    return null;
                }
                ServerLimit limit = limits.note(e, "connect and SELECT " + settings.folder());
                if (limit instanceof ServerLimit.Throttled) {
                    activity.failed(ImapErrors.serverWords(e)); // not an attempt: the next waits as asked
                    continue;
                }
                failures++;
                if (e instanceof org.imapra.auth.SignInRequiredException || limit instanceof ServerLimit.NotConnected) {
                    // nothing changes until someone signs in again, or grants the mailbox: the longest back-off
                    failures = Math.max(failures, 64);
                }
                ConnectFailures.report(settings, activity, e);
            }
        }
        return null;
    }

    /** The connection was lost: logged, counted for the back-off (the first loss in a while reconnects at once). */
    void lost(Exception e) {
        if (signal.stopping()) {
            LOG.log(Level.FINE, "Connection of " + settings.describe() + " closed while stopping", e);
            return;
        }
        if (e instanceof InboundConnection.OutOfStepException) {
            LOG.info(e.getMessage()); // reconnect at once: nothing failed
            return;
        }
        if (e instanceof DeliverySettler.BrokenDeliveryException) {
            failures++; // logged at SEVERE when it happened; reconnect with back-off
            activity.failed(e.getMessage());
            return;
        }
        activity.failed("connection lost: " + ImapErrors.serverWords(e));
        long now = System.currentTimeMillis();
        boolean immediate = failures == 0 && now - lastImmediateReconnect >= IMMEDIATE_RECONNECT_SPACING_MILLIS;
        if (immediate) {
            lastImmediateReconnect = now;
        } else {
            failures++;
        }
        LOG.log(Level.WARNING, "The IMAP connection of " + settings.describe() + " was lost ("
                + ImapErrors.serverWords(e) + "); reconnecting " + (immediate ? "now" : "with back-off")
                + " and searching again" + (acks.isEmpty() ? "" : "; the acknowledgement of " + acks.size()
                + " delivered messages is sent after the reconnect"), e);
    }

    /**
     * An Error (OutOfMemoryError, a class missing at run time, ...) ended the connection's work: logged at SEVERE,
     * and the watcher carries on through the normal reconnect path, with back-off.
     */
    void broken(Error e) {
        failures++;
        activity.failed("error: " + e);
        LOG.log(Level.SEVERE, "Inbound delivery from " + settings.describe() + " was interrupted by " + e
                + "; the connection is closed and opened again" + (signal.stopping() ? "" : " with back-off")
                + ", and what was not acknowledged is delivered again", e);
    }
}
