package org.imapra.inbound;

import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * What one activation remembers, in memory, about messages of its folder: failed attempts and when the next one is
 * due, messages given up without an error folder, (afterDelivery NONE) messages already delivered, and, apart from
 * the attempts, how often the connection was lost while a message was fetched or delivered: after
 * {@value #LOSSES_BEFORE_POISON} such losses a message is poisoned (moved to the error folder, or given up) instead of
 * breaking the connection again and again and holding up every message behind it. Messages of a part whose whole
 * fetch broke the connection are suspects: fetched one by one until the one that breaks it is found. Entries of
 * messages that no longer match the search are dropped. Used by the watcher thread only.
 */
final class DeliveryLedger {

    private final Backoff backoff;
    private final Map<MessageKey, Attempts> failing = new HashMap<>();
    private final Set<MessageKey> givenUp = new HashSet<>();
    private final Set<MessageKey> delivered = new HashSet<>();
    private final Map<MessageKey, Integer> losses = new HashMap<>();
    private final Set<MessageKey> suspects = new HashSet<>();

    /** Connection losses during the fetch or delivery of one message after which it is poisoned. */
    static final int LOSSES_BEFORE_POISON = 5;

    DeliveryLedger(Backoff backoff) {
        this.backoff = backoff;
    }

    /** Forgets messages that are not among {@code matching} (ascending UIDs) of folder state {@code uidValidity}. */
    void retain(long uidValidity, long[] matching) {
        failing.keySet().removeIf(k -> gone(k, uidValidity, matching));
        givenUp.removeIf(k -> gone(k, uidValidity, matching));
        delivered.removeIf(k -> gone(k, uidValidity, matching));
        losses.keySet().removeIf(k -> gone(k, uidValidity, matching));
        suspects.removeIf(k -> gone(k, uidValidity, matching));
    }

    private static boolean gone(MessageKey k, long uidValidity, long[] matching) {
        return k.uidValidity() != uidValidity || Arrays.binarySearch(matching, k.uid()) < 0;
    }

    /**
     * The first {@code max} of {@code found} (ascending UIDs) that may be delivered now: not in back-off, not given
     * up, not already delivered (NONE), not waiting for their acknowledgement ({@code pending}).
     */
    long[] pick(long[] found, long uidValidity, long now, int max, Predicate<MessageKey> pending) {
        long[] out = new long[Math.min(found.length, max)];
        int n = 0;
        for (int i = 0; i < found.length && n < out.length; i++) {
            MessageKey k = new MessageKey(uidValidity, found[i]);
            if (!pending.test(k) && eligible(k, now)) {
                out[n++] = found[i];
            }
        }
        return Arrays.copyOf(out, n);
    }

    /** True when the message may be delivered now. */
    boolean eligible(MessageKey k, long now) {
        if (givenUp.contains(k) || delivered.contains(k)) {
            return false;
        }
        Attempts a = failing.get(k);
        return a == null || a.nextDue <= now;
    }

    /** Earliest time (epoch ms) a failed message is due again, or {@link Long#MAX_VALUE}. */
    long nextDue() {
        long due = Long.MAX_VALUE;
        for (Map.Entry<MessageKey, Attempts> e : failing.entrySet()) {
            if (!givenUp.contains(e.getKey())) {
                due = Math.min(due, e.getValue().nextDue);
            }
        }
        return due;
    }

    /**
     * Records a failed attempt.
     *
     * @return the number of failed attempts so far
     */
    int failed(MessageKey k, long now) {
        Attempts a = failing.computeIfAbsent(k, x -> new Attempts());
        a.count++;
        a.delay = backoff.delay(a.count);
        a.nextDue = now + a.delay;
        return a.count;
    }

    /** The failed attempts of the message so far (0: none, or delivered since). */
    int attempts(MessageKey k) {
        Attempts a = failing.get(k);
        return a == null ? 0 : a.count;
    }

    /** The back-off chosen at the last failure, ms. */
    long lastDelay(MessageKey k) {
        Attempts a = failing.get(k);
        return a == null ? 0 : a.delay;
    }

    /** Delivered (or moved away): forget its failures and losses. */
    void succeeded(MessageKey k) {
        failing.remove(k);
        losses.remove(k);
        suspects.remove(k);
    }

    /**
     * Records a connection loss during the fetch or delivery of the message (not a failed attempt).
     *
     * @return the number of such losses so far
     */
    int lost(MessageKey k) {
        return losses.merge(k, 1, Integer::sum);
    }

    /** True when the message broke the connection {@value #LOSSES_BEFORE_POISON} times: not to be fetched again. */
    boolean poisoned(MessageKey k) {
        return losses.getOrDefault(k, 0) >= LOSSES_BEFORE_POISON;
    }

    /** The connection was lost while these messages were fetched together: fetch each alone from now on. */
    void suspect(MessageKey k) {
        suspects.add(k);
    }

    /** True when the message is to be fetched alone. */
    boolean suspected(MessageKey k) {
        return suspects.contains(k);
    }

    /** afterDelivery NONE: not to be delivered again while it matches the search. */
    void delivered(MessageKey k) {
        delivered.add(k);
    }

    /** Not to be delivered again by this activation (no error folder to move it to). */
    void giveUp(MessageKey k) {
        givenUp.add(k);
        failing.remove(k);
        losses.remove(k);
        suspects.remove(k);
    }

    private static final class Attempts {
        int count;
        long delay;
        long nextDue;
    }
}
