package org.imapra.core;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntSupplier;
import org.imapra.api.ImapException;
import org.imapra.config.MailboxDefinition;

/**
 * The connection budget of each mailbox (address and IMAP endpoint, as {@link MailboxThrottles#key}): how many
 * physical IMAP connections the resource adapter's connection factories and activations hold on it together. A slot
 * is taken before a connection is opened and given back when it is closed; a caller beyond the budget waits, bounded,
 * then gets an {@link ImapException} naming the budget, so that Exchange never has to refuse a login for too many
 * connections. The budget is the definition's {@code maxConnectionsPerMailbox}, else the resource adapter's. In a
 * cluster it holds across the instances: each takes its share, the budget divided by the live members of the data
 * grid (at least 1), so that together they stay within it.
 */
public final class ConnectionBudgets {

    /** The resource adapter's default: below the 20 connections Microsoft quotes per mailbox. */
    public static final int DEFAULT_MAX = 16;

    private final Map<String, Budget> budgets = new ConcurrentHashMap<>();
    private volatile int defaultMax = DEFAULT_MAX;
    private volatile IntSupplier members = () -> 1;

    /** A taken slot; {@link #close()} gives it back (once). */
    public interface Slot extends AutoCloseable {
        @Override
        void close();
    }

    /** The resource adapter's {@code maxConnectionsPerMailbox}. */
    public void defaultMax(int max) {
        if (max < 1) {
            throw new IllegalArgumentException("maxConnectionsPerMailbox must be at least 1, not " + max);
        }
        this.defaultMax = max;
    }

    /** How many instances share each mailbox's budget now: the data grid's live members. */
    public void sharedBy(IntSupplier liveMembers) {
        this.members = liveMembers;
    }

    /** The budget that applies to {@code d} on this instance: its share of the mailbox's. */
    public int max(MailboxDefinition d) {
        return Math.max(1, total(d) / instances());
    }

    /** The budget of {@code d}'s mailbox for all instances together. */
    public int total(MailboxDefinition d) {
        Integer own = d.maxConnectionsPerMailbox();
        return own == null ? defaultMax : own;
    }

    private int instances() {
        return Math.max(1, members.getAsInt());
    }

    /** Connections open on {@code d}'s mailbox now. */
    public int inUse(MailboxDefinition d) {
        Budget b = budgets.get(MailboxThrottles.key(d));
        return b == null ? 0 : b.inUse();
    }

    /** Times a connect of {@code d}'s mailbox had to wait for a free slot. */
    public long waits(MailboxDefinition d) {
        Budget b = budgets.get(MailboxThrottles.key(d));
        return b == null ? 0 : b.waits.sum();
    }

    /** The total time connects of {@code d}'s mailbox waited for a free slot. */
    public long waitMillis(MailboxDefinition d) {
        Budget b = budgets.get(MailboxThrottles.key(d));
        return b == null ? 0 : TimeUnit.NANOSECONDS.toMillis(b.waitNanos.sum());
    }

    /**
     * Takes a slot of {@code d}'s mailbox, waiting at most {@code waitMillis} for one to become free.
     *
     * @throws ImapException the budget stayed used up (or the wait was interrupted)
     */
    public Slot take(MailboxDefinition d, long waitMillis) throws ImapException {
        String key = MailboxThrottles.key(d);
        Budget b = budgets.computeIfAbsent(key, k -> new Budget());
        int max = max(d);
        try {
            if (!b.take(max, waitMillis)) {
                int n = instances();
                throw new ImapException("The connection budget of " + key + " is used up: " + max
                        + " IMAP connections (maxConnectionsPerMailbox" + (n > 1 ? " " + total(d) + " shared by " + n
                        + " live instances" : "") + ") are open on it in this resource adapter and "
                        + "none became free within " + waitMillis + " ms; raise maxConnectionsPerMailbox (Exchange "
                        + "Online allows about 20 per mailbox) or hold connections for shorter",
                        d.userName(), "connect", null);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ImapException("Interrupted while waiting for a connection of " + key, d.userName(), "connect", e);
        }
        AtomicBoolean given = new AtomicBoolean();
        return () -> {
            if (given.compareAndSet(false, true)) {
                b.give();
            }
        };
    }

    /** One mailbox's count; each caller waits against its own definition's budget. */
    private static final class Budget {
        private int inUse;
        final java.util.concurrent.atomic.LongAdder waits = new java.util.concurrent.atomic.LongAdder();
        final java.util.concurrent.atomic.LongAdder waitNanos = new java.util.concurrent.atomic.LongAdder();

        synchronized int inUse() {
            return inUse;
        }

        synchronized boolean take(int max, long waitMillis) throws InterruptedException {
            if (inUse < max) {
                inUse++;
                return true;
            }
            long start = System.nanoTime();
            waits.increment();
            try {
                long deadline = start + TimeUnit.MILLISECONDS.toNanos(waitMillis);
                while (inUse >= max) {
                    long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                    if (left <= 0) {
                        return false;
                    }
                    wait(left);
                }
                inUse++;
                return true;
            } finally {
                waitNanos.add(System.nanoTime() - start);
            }
        }

        synchronized void give() {
            inUse--;
            notifyAll();
        }
    }
}
