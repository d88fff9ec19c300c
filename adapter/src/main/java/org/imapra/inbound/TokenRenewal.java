package org.imapra.inbound;

import java.time.Instant;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.imapra.auth.TokenException;

/**
 * When a connection's token reaches its retire margin, the connection is replaced, but only once a new token can be
 * had: while the token endpoint fails, the current connection (whose token is still valid) keeps delivering, and
 * the new token is asked for again with back-off, until shortly before the old one expires (the server ends the
 * session then). One per watcher; used on the watcher's thread.
 */
final class TokenRenewal {

    private static final Logger LOG = Logger.getLogger(TokenRenewal.class.getName());
    /** The renewal is due, now. */
    static final long NOW = -1;
    /** How long before the token's expiry the connection is given up at the latest (at most half the margin). */
    static final long LAST_MOMENT_MILLIS = 5_000;

    private final InboundTokens tokens;
    private final Backoff backoff;
    private final String mailbox;
    private int failures;

    TokenRenewal(InboundTokens tokens, Backoff backoff, String mailbox) {
        this.tokens = tokens;
        this.backoff = backoff;
        this.mailbox = mailbox;
    }

    /** The latest moment (epoch ms) to give up {@code c}: shortly before its token expires. */
    long lastMoment(InboundConnection c) {
        return c.tokenExpiresAt().toEpochMilli() - Math.min(LAST_MOMENT_MILLIS, c.retireMargin().toMillis() / 2);
    }

    /**
     * Called once {@code c}'s renewal time has come: {@link #NOW} to replace the connection (a new token is in the
     * cache, or the old one is about to expire), else when to ask again (epoch ms).
     */
    long check(InboundConnection c, long now) {
        Instant expires = c.tokenExpiresAt();
        long lastMoment = lastMoment(c);
        if (now >= lastMoment) {
            failures = 0;
            return NOW;
        }
        try {
            tokens.get(); // the reconnect takes it from the cache
            if (failures > 0) {
                LOG.info("A new token for " + mailbox + " was obtained after " + failures + " failed attempts: "
                        + "renewing the connection");
            }
            failures = 0;
            return NOW;
        } catch (TokenException | RuntimeException e) {
            failures++;
            if (failures == 1) {
                LOG.log(Level.WARNING, "No new token for " + mailbox + " (" + e.getMessage() + "); delivery goes "
                        + "on with the current connection until its token expires at " + expires
                        + ", and the new token is asked for again with back-off", e);
            } else {
                LOG.log(Level.FINE, "Still no new token for " + mailbox, e);
            }
            return Math.min(lastMoment, now + backoff.delay(failures));
        }
    }
}
