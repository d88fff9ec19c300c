package org.imapra.imap;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What Exchange Online's words say about its limits: throttled (wait the suggested time), unavailable (back off), or
 * "authenticated but not connected" (the token may not open the mailbox, or the client connected too often).
 */
public sealed interface ServerLimit {

    /** The least time to wait after {@code Server Unavailable}, {@code [UNAVAILABLE]} or {@code [LIMIT]}. */
    Duration UNAVAILABLE_WAIT = Duration.ofSeconds(15);

    /** {@code NO Request is throttled. Suggested Backoff Time: N milliseconds}: no command before {@code delay}. */
    record Throttled(Duration delay) implements ServerLimit {
    }

    /** {@code NO Server Unavailable. N}, {@code [UNAVAILABLE]}, {@code [LIMIT]}: back off, at least {@code delay}. */
    record Unavailable(Duration delay) implements ServerLimit {
    }

    /** {@code BAD User is authenticated but not connected.} */
    record NotConnected() implements ServerLimit {
    }

    Pattern SUGGESTED = Pattern.compile("suggested\\s+backoff\\s+time:?\\s*(\\d{1,12})\\s*(milliseconds|ms|seconds|s)?");
    Pattern UNAVAILABLE = Pattern.compile("server\\s+unavailable\\.?\\s*(\\d{1,6})?");

    /** The limit the server's words (anywhere in {@code failure}'s chain) speak of, or null. */
    static ServerLimit of(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            ServerLimit l = parse(t.getMessage());
            if (l != null) {
                return l;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return null;
    }

    /** The limit {@code words} speak of, or null. */
    static ServerLimit parse(String words) {
        if (words == null) {
            return null;
        }
        String w = words.toLowerCase(Locale.ROOT);
        Matcher m = SUGGESTED.matcher(w);
        if (m.find()) {
            long n = Long.parseLong(m.group(1));
            boolean seconds = m.group(2) != null && m.group(2).startsWith("s");
            return new Throttled(seconds ? Duration.ofSeconds(n) : Duration.ofMillis(n));
        }
        if (w.contains("request is throttled")) {
            return new Throttled(Duration.ofMinutes(1));
        }
        if (w.contains("authenticated but not connected")) {
            return new NotConnected();
        }
        m = UNAVAILABLE.matcher(w);
        if (m.find()) {
            Duration given = m.group(1) == null ? Duration.ZERO : Duration.ofSeconds(Long.parseLong(m.group(1)));
            return new Unavailable(given.compareTo(UNAVAILABLE_WAIT) > 0 ? given : UNAVAILABLE_WAIT);
        }
        if (w.contains("[unavailable]") || w.contains("[limit]")) {
            return new Unavailable(UNAVAILABLE_WAIT);
        }
        return null;
    }
}
