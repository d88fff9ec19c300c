package org.imapra.core;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.imapra.api.admin.MailboxTelemetry;
import org.imapra.auth.AccessToken;
import org.imapra.auth.TokenException;
import org.imapra.imap.ImapErrors;

/**
 * The counters of one definition: token requests and their failures by AADSTS code, connects and their failures,
 * IMAP commands by kind, throttled time, and per folder the deliveries ({@link FolderCounters}). Fed by the outbound
 * and inbound paths; every update is a counter increment or a volatile write.
 */
public final class MailboxCounters {

    private final String mailbox;
    private final Clock clock;
    private final LongAdder tokenRequests = new LongAdder();
    private final Map<String, LongAdder> tokenFailures = new ConcurrentHashMap<>();
    private final LongAdder connects = new LongAdder();
    private final LongAdder connectFailures = new LongAdder();
    private final Map<String, LongAdder> commands = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> commandFailures = new ConcurrentHashMap<>();
    private final LongAdder throttledMillis = new LongAdder();
    private final Map<String, FolderCounters> folders = new ConcurrentHashMap<>();
    private volatile AccessToken lastToken;
    private volatile TokenException lastTokenException;
    private volatile MailboxTelemetry.Failure lastTokenFailure;
    private volatile MailboxTelemetry.Failure lastConnectFailure;

    MailboxCounters(String mailbox, Clock clock) {
        this.mailbox = mailbox;
        this.clock = clock;
    }

    /**
     * The token cache answered {@code token}: a token not seen before came from a request, which succeeded.
     */
    public void tokenObtained(AccessToken token) {
        if (token != lastToken) {
            lastToken = token;
            tokenRequests.increment();
            lastTokenFailure = null;
        }
    }

    /** The token cache answered {@code e}: one not seen before is a failed request (a held failure is the same). */
    public void tokenFailed(TokenException e) {
        if (e != lastTokenException) {
            lastTokenException = e;
            tokenRequests.increment();
            String code = aadstsCode(e);
            tokenFailures.computeIfAbsent(code, k -> new LongAdder()).increment();
            lastTokenFailure = new MailboxTelemetry.Failure(code, e.getMessage(), clock.instant());
        }
    }

    /** "AADSTS7000215", else the OAuth error ("invalid_grant"), else "none" (no answer: network, timeout). */
    static String aadstsCode(TokenException e) {
        for (String c : e.errorCodes()) {
            if (c != null && !c.isBlank()) {
                String s = c.strip();
                return s.chars().allMatch(Character::isDigit) ? "AADSTS" + s : s;
            }
        }
        return e.error() != null ? e.error() : "none";
    }

    /** A connection (connect, TLS, AUTHENTICATE, SELECT) was opened. */
    public void connected() {
        connects.increment();
        lastConnectFailure = null;
    }

    /** Opening a connection failed (after the token: connect, TLS, AUTHENTICATE, SELECT). */
    public void connectFailed(Exception e) {
        connectFailures.increment();
        lastConnectFailure = new MailboxTelemetry.Failure(null, ImapErrors.serverWords(e), clock.instant());
    }

    /** A command that may fail. */
    @FunctionalInterface
    public interface Command<T, E extends Exception> {
        T run() throws E;
    }

    /** Runs {@code command}, counted as an IMAP command of {@code kind}, and as failed when it throws. */
    public <T, E extends Exception> T count(String kind, Command<T, E> command) throws E {
        command(kind);
        boolean ok = false;
        try {
            T result = command.run();
            ok = true;
            return result;
        } finally {
            if (!ok) {
                commandFailed(kind);
            }
        }
    }

    /** An IMAP command of {@code kind} ("SEARCH", "FETCH", "IDLE", "MOVE", ...) was sent. */
    public void command(String kind) {
        commands.computeIfAbsent(kind, k -> new LongAdder()).increment();
    }

    /** An IMAP command of {@code kind} failed (NO, BAD, or the connection was lost). */
    public void commandFailed(String kind) {
        commandFailures.computeIfAbsent(kind, k -> new LongAdder()).increment();
    }

    /** Exchange asked not to be contacted for another {@code millis}. */
    public void throttled(long millis) {
        if (millis > 0) {
            throttledMillis.add(millis);
        }
    }

    /** The delivery counters of {@code folder}. */
    public FolderCounters folder(String folder) {
        return folders.computeIfAbsent(folder, f -> new FolderCounters(f, clock));
    }

    /** The last token failure, or null when the last request succeeded (or none was made). */
    public MailboxTelemetry.Failure lastTokenFailure() {
        return lastTokenFailure;
    }

    /** Whether a token was asked for since start. */
    boolean used() {
        return tokenRequests.sum() > 0;
    }

    MailboxTelemetry snapshot(int budgetInUse, int budgetMax, long budgetWaits, long budgetWaitMillis) {
        AccessToken t = lastToken;
        List<MailboxTelemetry.Folder> fs = new TreeMap<>(folders).values().stream().map(FolderCounters::snapshot)
                .toList();
        return new MailboxTelemetry(mailbox, tokenRequests.sum(), sums(tokenFailures),
                t == null ? null : t.expiresAt(), lastTokenFailure, connects.sum(), connectFailures.sum(),
                lastConnectFailure, sums(commands), sums(commandFailures), budgetInUse, budgetMax, budgetWaits,
                budgetWaitMillis, throttledMillis.sum(), fs);
    }

    private static Map<String, Long> sums(Map<String, LongAdder> m) {
        Map<String, Long> out = new TreeMap<>();
        m.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }

    /** For tests: the instant of the clock. */
    Instant now() {
        return clock.instant();
    }
}
