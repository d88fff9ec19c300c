package org.imapra.core;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.imapra.api.ImapThrottledException;
import org.imapra.config.MailboxDefinition;

/**
 * Per mailbox (address and IMAP endpoint), the instant before which Exchange asked not to be contacted again. Shared
 * by every connection factory and activation of the resource adapter: outbound calls fail fast with an
 * {@link ImapThrottledException}, activations wait. The instant gets a jitter of up to a tenth of the wait (at most
 * 30 s), so that clients throttled together do not come back together.
 */
public final class MailboxThrottles {

    private static final Logger LOG = Logger.getLogger(MailboxThrottles.class.getName());
    /** The longest wait honoured: a larger suggestion is taken as this. */
    static final Duration MAX_WAIT = Duration.ofHours(1);

    private final Map<String, Instant> until = new ConcurrentHashMap<>();
    private final Clock clock;
    private final Telemetry telemetry;

    public MailboxThrottles() {
        this(Clock.systemUTC());
    }

    MailboxThrottles(Clock clock) {
        this(clock, null);
    }

    /** Adding the time each mailbox is throttled to its definition's counters in {@code telemetry}. */
    MailboxThrottles(Clock clock, Telemetry telemetry) {
        this.clock = clock;
        this.telemetry = telemetry;
    }

    /** "support@contoso.com at outlook.office365.com:993". */
    public static String key(MailboxDefinition d) {
        return d.userName().toLowerCase(Locale.ROOT) + " at " + d.imapHost().toLowerCase(Locale.ROOT) + ":"
                + d.imapPort();
    }

    /** The instant before which nothing is sent for {@code d}'s mailbox, or null when it is not throttled. */
    public Instant throttledUntil(MailboxDefinition d) {
        Instant u = until.get(key(d));
        if (u != null && !clock.instant().isBefore(u)) {
            until.remove(key(d), u);
            return null;
        }
        return u;
    }

    /** Fails fast when {@code d}'s mailbox is throttled: nothing may be sent for {@code command}. */
    public void check(MailboxDefinition d, String command) throws ImapThrottledException {
        Instant u = throttledUntil(d);
        if (u != null) {
            throw new ImapThrottledException("IMAP " + command + " not sent for " + d.userName() + ": Exchange Online "
                    + "throttled this mailbox; retry after " + u, d.userName(), command, u, null);
        }
    }

    /**
     * Records the server's request to wait until {@code e.retryAfter()} (plus jitter) and returns the exception to
     * throw: the same words, with the instant actually honoured.
     */
    public ImapThrottledException record(MailboxDefinition d, ImapThrottledException e) {
        Instant now = clock.instant();
        Duration wait = Duration.between(now, e.retryAfter());
        if (wait.isNegative()) {
            wait = Duration.ZERO;
        }
        if (wait.compareTo(MAX_WAIT) > 0) {
            wait = MAX_WAIT;
        }
        long jitterBound = Math.min(wait.toMillis() / 10, 30_000);
        Instant candidate = now.plus(wait).plusMillis(jitterBound <= 0 ? 0
                : ThreadLocalRandom.current().nextLong(jitterBound + 1));
        Instant before = until.get(key(d));
        Instant honoured = until.merge(key(d), candidate, (a, b) -> a.isAfter(b) ? a : b);
        if (telemetry != null) {
            Instant from = before != null && before.isAfter(now) ? before : now;
            telemetry.mailbox(d.name()).throttled(Duration.between(from, honoured).toMillis());
        }
        LOG.log(Level.WARNING, "Exchange Online throttled " + key(d) + ": nothing is sent for it before "
                + honoured + " (" + e.getMessage() + ")", e);
        return new ImapThrottledException(e.getMessage(), e.mailbox(), e.command(), honoured, e);
    }
}
