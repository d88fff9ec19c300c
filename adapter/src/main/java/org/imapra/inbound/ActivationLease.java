package org.imapra.inbound;

import jakarta.mail.MessagingException;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.imapra.cluster.Lease;
import org.imapra.cluster.LeaseGrid;
import org.imapra.cluster.LeaseSpread;

/**
 * The cluster-wide lease of one activation on its (mailbox, folder): taken before the watcher opens a connection,
 * renewed by the {@link LeaseKeeper} while it consumes, renewed once more (the epoch fence) right before every
 * acknowledgement, and released when it stops. A holder that cannot renew has lost it: it acknowledges nothing
 * further. Renewals are serialised here, so the keeper's and the fence's compare-and-set never race each other.
 */
final class ActivationLease {

    private static final Logger LOG = Logger.getLogger(ActivationLease.class.getName());

    private final LeaseSpread spread;
    private final LeaseGrid grid;
    private final String key;
    private final String token = UUID.randomUUID().toString();
    private final long ttlMillis;
    private final String describe;
    private Lease held;
    private volatile Lease status;
    /** The message of the last failed take, until a take succeeds: logged once, not at every retry. */
    private String takeFailure;

    ActivationLease(LeaseSpread spread, InboundSettings settings, long ttlMillis) {
        this.spread = spread;
        this.grid = spread.grid();
        this.key = key(settings);
        this.ttlMillis = ttlMillis;
        this.describe = settings.describe();
        spread.register(key);
    }

    /** The activation stopped: its key no longer counts in this instance's share. */
    void close() {
        release();
        spread.unregister(key);
    }

    /** (IMAP host, mailbox, folder): one consumer at a time cluster-wide. */
    static String key(InboundSettings s) {
        return s.definition().imapHost() + ":" + s.definition().imapPort() + "/" + s.definition().userName() + "/"
                + s.folder();
    }

    boolean shared() {
        return grid.shared();
    }

    long ttlMillis() {
        return ttlMillis;
    }

    /**
     * Waiting time between two attempts of a stand-by to take the lease: a sixth of the TTL, at most 2 s. A crashed
     * holder's lease has expired at most a TTL after its last renewal, so the next attempt after that takes it: a
     * takeover within TTL + this (17 s with the default 15 s), once the grid answers for the lease's partition.
     */
    long retryMillis() {
        return Math.max(100, Math.min(2_000, ttlMillis / 6));
    }

    /** Takes the lease if it is free (or expired) and this instance is not above its fair share. */
    synchronized boolean tryTake() {
        if (held != null) {
            return true;
        }
        try {
            held = spread.take(key, token, ttlMillis);
            if (takeFailure != null) {
                LOG.info("The lease store answers again for " + describe + " (it failed with: " + takeFailure + ")");
                takeFailure = null;
            }
        } catch (RuntimeException e) {
            // once per kind of failure, not at every retry of a stand-by (several a TTL) while the store is down
            boolean again = String.valueOf(e.getMessage()).equals(takeFailure);
            takeFailure = String.valueOf(e.getMessage());
            LOG.log(again ? Level.FINE : Level.WARNING, "Taking the lease of " + describe + " failed: " + e
                    + (again ? "" : "; this stand-by retries every " + retryMillis() + " ms and says so again when "
                    + "the failure changes or ends"), e);
            held = null;
        }
        status = held;
        if (held != null && grid.shared()) {
            Lease h = held;
            long skew = grid.now() - System.currentTimeMillis();
            LOG.info(() -> "This instance (" + grid.memberName() + ") took the lease of " + describe + " (epoch "
                    + h.epoch() + ", TTL " + ttlMillis + " ms; the grid's clock is " + skew + " ms from this host's): "
                    + "it consumes the folder now");
        }
        return held != null;
    }

    synchronized boolean held() {
        return held != null;
    }

    /** Extends the lease; false (and no longer held) when it was lost. */
    synchronized boolean renew() {
        if (held == null) {
            return false;
        }
        Lease renewed;
        try {
            renewed = grid.renew(held, ttlMillis);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Renewing the lease of " + describe + " failed: " + e
                    + "; the lease counts as lost", e);
            renewed = null;
        }
        if (renewed == null) {
            spread.dropped(key);
            LOG.warning("This instance lost the lease of " + describe + " (epoch " + held.epoch() + "): it stops "
                    + "consuming at once and acknowledges nothing further; another instance redelivers what was "
                    + "not acknowledged");
        }
        held = renewed;
        status = renewed;
        return renewed != null;
    }

    /**
     * The epoch fence before an acknowledgement: the lease is renewed, so it is still this holding (same epoch) and
     * holds for a whole TTL more, far longer than the command takes.
     *
     * @throws LostLeaseException when it was lost
     */
    void fence() throws LostLeaseException {
        if (grid.shared() && !renew()) {
            throw new LostLeaseException("the lease of " + describe + " was lost: nothing more is acknowledged");
        }
    }

    /** Whether this instance holds more than its share and should hand this lease over. */
    synchronized boolean shouldYield() {
        return held != null && spread.shouldYield(held, ttlMillis);
    }

    /** Frees the lease (another instance may take it at once). */
    synchronized void release() {
        if (held == null) {
            return;
        }
        spread.dropped(key);
        try {
            grid.release(held);
            if (grid.shared()) {
                LOG.info("This instance (" + grid.memberName() + ") released the lease of " + describe);
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Releasing the lease of " + describe + " failed (" + e + "): it expires within "
                    + ttlMillis + " ms", e);
        }
        held = null;
        status = null;
    }

    /** The holding for the console: this instance's (null when it stands by). */
    Lease current() {
        return status;
    }

    /** Who holds the lease cluster-wide now (null: nobody, or no grid). */
    Lease holder() {
        Lease mine = status;
        if (mine != null || !grid.shared()) {
            return mine;
        }
        try {
            return grid.holder(key);
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** The lease was lost before an acknowledgement. */
    static final class LostLeaseException extends MessagingException {
        private static final long serialVersionUID = 1L;

        LostLeaseException(String message) {
            super(message);
        }
    }
}
