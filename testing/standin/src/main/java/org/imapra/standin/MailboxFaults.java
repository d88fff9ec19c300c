package org.imapra.standin;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Exchange Online's limits, on demand and per mailbox, and what the server received per mailbox: the commands on its
 * sessions (AUTHENTICATE naming it included), its logins (AUTHENTICATE attempts) and its concurrent authenticated
 * sessions (now and the peak). Addresses are compared case-insensitively.
 */
final class MailboxFaults {

    /** Exchange's words for each limit. */
    static final String THROTTLED = "Request is throttled. Suggested Backoff Time: %d milliseconds";
    static final String UNAVAILABLE = "Server Unavailable. 15";
    static final String NOT_CONNECTED = "User is authenticated but not connected.";
    static final String TOO_MANY = "[LIMIT] Too many concurrent connections to this mailbox.";

    enum Kind { THROTTLED, UNAVAILABLE, NOT_CONNECTED }

    /** A fault; for THROTTLED, what arrived in its window after its first throttled reply. */
    private record Fault(Kind kind, Instant until, LongAdder replies, LongAdder afterReply) {
        Fault(Kind kind, Instant until) {
            this(kind, until, new LongAdder(), new LongAdder());
        }

        boolean active(Instant now) {
            return now.isBefore(until);
        }
    }

    private final Map<String, Fault> faults = new ConcurrentHashMap<>();
    private final Map<String, Integer> maxConnections = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> commands = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> logins = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> refused = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> live = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> peak = new ConcurrentHashMap<>();
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong acceptedAfterReply = new AtomicLong();

    private static String key(String mailbox) {
        return mailbox == null ? "" : mailbox.toLowerCase(Locale.ROOT);
    }

    void set(String mailbox, Kind kind, Duration length) {
        faults.put(key(mailbox), new Fault(kind, length == null ? Instant.MAX : Instant.now().plus(length)));
    }

    void clear(String mailbox) {
        faults.remove(key(mailbox));
    }

    void maxConnections(String mailbox, int max) {
        if (max <= 0) {
            maxConnections.remove(key(mailbox));
        } else {
            maxConnections.put(key(mailbox), max);
        }
    }

    /**
     * The NO or BAD reply text for a command (AUTHENTICATE included) concerning {@code mailbox} now, or null. A
     * NOT_CONNECTED fault does not refuse AUTHENTICATE: the session gets it on its next command instead.
     */
    String refusal(String mailbox, boolean authenticate) {
        return refusal(mailbox, authenticate, true);
    }

    /** Like {@link #refusal(String, boolean)}; with {@code reply} false the command is counted, not refused. */
    String refusal(String mailbox, boolean authenticate, boolean reply) {
        Fault f = faults.get(key(mailbox));
        Instant now = Instant.now();
        if (f == null || !f.active(now)) {
            return null;
        }
        if (f.kind() == Kind.THROTTLED) {
            if (f.replies().sum() > 0) {
                f.afterReply().increment();
            }
            if (!reply) {
                return null;
            }
            f.replies().increment();
        }
        return switch (f.kind()) {
            case THROTTLED -> "NO " + String.format(Locale.ROOT, THROTTLED,
                    Math.max(1, Duration.between(now, f.until()).toMillis()));
            case UNAVAILABLE -> "NO " + UNAVAILABLE;
            case NOT_CONNECTED -> authenticate ? null : "BAD " + NOT_CONNECTED;
        };
    }

    /** Whether a session authenticated to {@code mailbox} now is "authenticated but not connected". */
    boolean notConnected(String mailbox) {
        Fault f = faults.get(key(mailbox));
        return f != null && f.kind() == Kind.NOT_CONNECTED && Instant.now().isBefore(f.until());
    }

    void accepted() {
        accepted.incrementAndGet();
        Instant now = Instant.now();
        if (faults.values().stream().anyMatch(f -> f.kind() == Kind.THROTTLED && f.active(now)
                && f.replies().sum() > 0)) {
            acceptedAfterReply.incrementAndGet();
        }
    }

    /** Throttled replies sent for {@code mailbox}'s current (or last) throttle window. */
    long throttledReplies(String mailbox) {
        Fault f = faults.get(key(mailbox));
        return f == null || f.kind() != Kind.THROTTLED ? 0 : f.replies().sum();
    }

    /** Commands and logins for {@code mailbox} that arrived in its throttle window after the first throttled reply. */
    long afterThrottledReply(String mailbox) {
        Fault f = faults.get(key(mailbox));
        return f == null || f.kind() != Kind.THROTTLED ? 0 : f.afterReply().sum();
    }

    /** TCP connections accepted while a throttle window had already been answered (any mailbox). */
    long acceptedAfterThrottledReply() {
        return acceptedAfterReply.get();
    }

    void command(String mailbox) {
        commands.computeIfAbsent(key(mailbox), k -> new LongAdder()).increment();
    }

    void login(String mailbox) {
        logins.computeIfAbsent(key(mailbox), k -> new LongAdder()).increment();
    }

    /** Takes a session slot for {@code mailbox}; false (and counted as refused) when it has its maximum. */
    synchronized boolean admit(String mailbox) {
        String k = key(mailbox);
        AtomicInteger n = live.computeIfAbsent(k, x -> new AtomicInteger());
        Integer max = maxConnections.get(k);
        if (max != null && n.get() >= max) {
            refused.computeIfAbsent(k, x -> new LongAdder()).increment();
            return false;
        }
        int now = n.incrementAndGet();
        peak.computeIfAbsent(k, x -> new AtomicInteger()).accumulateAndGet(now, Math::max);
        return true;
    }

    synchronized void loggedOut(String mailbox) {
        live.get(key(mailbox)).decrementAndGet();
    }

    long commands(String mailbox) {
        LongAdder a = commands.get(key(mailbox));
        return a == null ? 0 : a.sum();
    }

    long logins(String mailbox) {
        LongAdder a = logins.get(key(mailbox));
        return a == null ? 0 : a.sum();
    }

    long refusedLogins(String mailbox) {
        LongAdder a = refused.get(key(mailbox));
        return a == null ? 0 : a.sum();
    }

    int authenticated(String mailbox) {
        AtomicInteger a = live.get(key(mailbox));
        return a == null ? 0 : a.get();
    }

    int peakAuthenticated(String mailbox) {
        AtomicInteger a = peak.get(key(mailbox));
        return a == null ? 0 : a.get();
    }

    long acceptedConnections() {
        return accepted.get();
    }

    /** Starts the counters (not the faults, not the live sessions) afresh; the peak restarts at the live count. */
    synchronized void resetCounts() {
        commands.clear();
        logins.clear();
        refused.clear();
        accepted.set(0);
        acceptedAfterReply.set(0);
        peak.clear();
        live.forEach((k, n) -> peak.put(k, new AtomicInteger(n.get())));
    }
}
