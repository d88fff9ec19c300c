package org.imapra.inbound;

import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.imapra.imap.ImapErrors;

/**
 * Settles each delivery of a batch on the watcher's thread: a delivered message is queued for acknowledgement (or,
 * afterDelivery NONE, remembered); a failed one is left unacknowledged and retried after back-off, and after
 * {@code maxAttempts} failures moved to {@code errorFolder} with the reason logged; an unavailable endpoint pauses
 * deliveries. A failure that comes with a lost connection is not counted as an attempt: the batch ends and the
 * watcher reconnects; it is counted apart, as a loss ({@link DeliveryLedger#lost}), and so is a delivery broken by an
 * Error that is not the message's fault (logged at SEVERE); a message with too many losses is poisoned
 * ({@link #poison}).
 */
final class DeliverySettler {

    private static final Logger LOG = Logger.getLogger(DeliverySettler.class.getName());

    private final InboundSettings settings;
    private final DeliveryLedger ledger;
    private final PendingAcks acks;
    private final Backoff backoff;
    private final StopSignal signal;
    private InboundConnection connection;
    private final ActivityRecord activity;
    private final org.imapra.core.FolderCounters counters;
    private long reconnectAt;
    private MessagingException failure;
    private boolean lossCounted;
    private long pausedUntil;
    private int unavailableStreak;

    DeliverySettler(InboundSettings settings, DeliveryLedger ledger, PendingAcks acks, Backoff backoff,
                    StopSignal signal, ActivityRecord activity, org.imapra.core.FolderCounters counters) {
        this.activity = activity;
        this.counters = counters;
        this.settings = settings;
        this.ledger = ledger;
        this.acks = acks;
        this.backoff = backoff;
        this.signal = signal;
    }

    void startBatch(InboundConnection c, long reconnectAtMillis) {
        connection = c;
        reconnectAt = reconnectAtMillis;
        failure = null;
        lossCounted = false;
    }

    /** @throws MessagingException when the connection was lost during the batch */
    void endBatch() throws MessagingException {
        MessagingException f = failure;
        connection = null;
        failure = null;
        if (f != null) {
            throw f;
        }
    }

    /** Until when (epoch ms) deliveries are paused because the endpoint was unavailable. */
    long pausedUntil() {
        return pausedUntil;
    }

    /** @return false to start no further delivery of this batch */
    boolean settle(Delivery d) {
        long now = System.currentTimeMillis();
        try {
            switch (d.result()) {
                case DELIVERED -> {
                    activity.delivered();
                    count(d);
                    delivered(d, now);
                }
                case FAILED -> {
                    if (!connection.isOpen()) {
                        int n = countLoss(d.key());
                        fail(new MessagingException("the connection was lost during the delivery of "
                                + describe(d) + ": it is delivered again after the reconnect (not counted as an "
                                + "attempt; connection losses during its delivery: " + n + ")",
                                asException(d.failure())));
                        return false;
                    }
                    activity.failed("onMessage failed for " + describe(d) + ": " + d.failure());
                    counters.failedAttempt();
                    failed(d, now);
                }
                case BROKEN -> {
                    int n = countLoss(d.key());
                    LOG.log(Level.SEVERE, "The delivery of " + describe(d) + " was broken by " + d.failure()
                            + ": not counted as a failed attempt (broken deliveries of it: " + n + "); the "
                            + "connection is closed and opened again, and the message delivered again", d.failure());
                    fail(new BrokenDeliveryException("the delivery of " + describe(d) + " was broken by "
                            + d.failure(), asException(d.failure())));
                    return false;
                }
                case UNAVAILABLE -> {
                    unavailableStreak++;
                    long delay = backoff.delay(unavailableStreak);
                    pausedUntil = now + delay;
                    LOG.log(Level.WARNING, "The message endpoint for " + settings.describe() + " is not available ("
                            + d.failure() + "); " + describe(d) + " stays unacknowledged and deliveries resume in "
                            + delay + " ms", d.failure());
                    return false;
                }
            }
        } catch (MessagingException e) {
            fail(e);
            return false;
        }
        return !signal.stopping() && System.currentTimeMillis() < reconnectAt;
    }

    /** A delivery for the metrics: the latency from the message's arrival (INTERNALDATE), a redelivery. */
    private void count(Delivery d) {
        if (ledger.attempts(d.key()) > 0) {
            counters.redelivered();
        }
        java.time.Duration latency = null;
        try {
            java.util.Date arrived = d.message().getReceivedDate();
            latency = arrived == null ? null
                    : java.time.Duration.ofMillis(System.currentTimeMillis() - arrived.getTime());
        } catch (MessagingException | RuntimeException e) {
            LOG.log(Level.FINEST, "No INTERNALDATE for " + d.key(), e);
        }
        counters.delivered(latency);
    }

    /** The first failure of the batch is the one endBatch throws. */
    private void fail(MessagingException e) {
        if (failure == null) {
            failure = e;
        }
    }

    private void delivered(Delivery d, long now) throws MessagingException {
        unavailableStreak = 0;
        ledger.succeeded(d.key());
        if (settings.afterDelivery() == AfterDelivery.NONE) {
            ledger.delivered(d.key());
            return;
        }
        acks.add(d.key(), now);
        if (acks.due(now)) {
            acks.flush(connection);
        }
    }

    private void failed(Delivery d, long now) throws MessagingException {
        int n = ledger.failed(d.key(), now);
        String reason = reason(d.failure());
        if (n < settings.maxAttempts()) {
            LOG.log(Level.WARNING, "onMessage failed for " + describe(d) + " (attempt " + n + " of "
                    + settings.maxAttempts() + "); it stays unacknowledged and is delivered again in "
                    + ledger.lastDelay(d.key()) + " ms: " + reason, d.failure());
            return;
        }
        setAside(connection, d.key(), "onMessage failed " + n + " times for " + describe(d),
                "Last failure: " + reason, d.failure());
    }

    /**
     * Sets a message aside that broke the connection {@link DeliveryLedger#LOSSES_BEFORE_POISON} times while it was
     * fetched or delivered: moved to errorFolder, or (none set) not delivered again; logged at SEVERE.
     */
    void poison(InboundConnection c, MessageKey k) throws MessagingException {
        setAside(c, k, "The connection was lost " + DeliveryLedger.LOSSES_BEFORE_POISON + " times while message " + k
                + " of " + settings.describe() + " was fetched or delivered (not counted as attempts)",
                "It is not fetched again, so that the messages behind it are delivered", null);
    }

    private void setAside(InboundConnection c, MessageKey k, String what, String last, Throwable cause)
            throws MessagingException {
        String errorFolder = settings.errorFolder();
        if (errorFolder == null) {
            ledger.giveUp(k);
            LOG.log(Level.SEVERE, what + " and no errorFolder is set: the message stays in " + settings.folder()
                    + " and is not delivered again until the application is redeployed. " + last, cause);
            return;
        }
        try {
            c.moveTo(k.uid(), errorFolder);
            counters.poisonMoved();
            ledger.succeeded(k);
            LOG.log(Level.SEVERE, what + "; moved it to errorFolder '" + errorFolder + "'. " + last, cause);
        } catch (MessagingException e) {
            if (!c.isOpen()) {
                throw e;
            }
            ledger.giveUp(k);
            LOG.log(Level.SEVERE, what + ", and moving it to errorFolder '" + errorFolder + "' failed ("
                    + ImapErrors.serverWords(e) + "): it stays in " + settings.folder() + " and is not delivered "
                    + "again until the application is redeployed. " + last, cause);
        }
    }

    /**
     * Counts a connection loss (or broken delivery) against the first delivery of the batch it cut: with
     * maxConcurrency > 1 the others in flight were cut by the same loss and are not to blame.
     */
    private int countLoss(MessageKey k) {
        if (lossCounted) {
            return 0;
        }
        lossCounted = true;
        return ledger.lost(k);
    }

    private String describe(Delivery d) {
        String id = null;
        try {
            id = d.message() instanceof MimeMessage m ? m.getMessageID() : null;
        } catch (MessagingException | RuntimeException e) {
            LOG.log(Level.FINEST, "No Message-ID", e);
        }
        return "message " + d.key() + (id == null ? "" : " Message-ID " + id) + " of " + settings.describe();
    }

    /** The failure and, when wrapped (EJBException, ...), its root cause. */
    static String reason(Throwable t) {
        if (t == null) {
            return "unknown";
        }
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root == t ? t.toString() : t + " (caused by " + root + ")";
    }

    /** A delivery was broken by an Error that is not the message's fault: the watcher reconnects. */
    static final class BrokenDeliveryException extends MessagingException {
        private static final long serialVersionUID = 1L;

        BrokenDeliveryException(String message, Exception cause) {
            super(message, cause);
        }
    }

    private static Exception asException(Throwable t) {
        return t instanceof Exception e ? e : new RuntimeException(t);
    }
}
