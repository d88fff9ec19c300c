package org.imapra.auth;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * A bearer access token and its lifetime. {@link #toString()} never shows the token.
 */
public final class AccessToken {

    private final String value;
    private final Instant acquiredAt;
    private final Instant expiresAt;

    public AccessToken(String value, Instant acquiredAt, Instant expiresAt) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("an access token cannot be empty");
        }
        this.value = value;
        this.acquiredAt = Objects.requireNonNull(acquiredAt);
        this.expiresAt = Objects.requireNonNull(expiresAt);
    }

    /** The token itself, to hand to the IMAP server. Never log it. */
    public String value() {
        return value;
    }

    public Instant acquiredAt() {
        return acquiredAt;
    }

    public Instant expiresAt() {
        return expiresAt;
    }

    public Duration lifetime() {
        return Duration.between(acquiredAt, expiresAt);
    }

    /**
     * How long before expiry a token is refreshed: a quarter of its lifetime, at most 10 minutes. Larger than
     * {@link #retireMargin()}, so a freshly handed-out token always outlives the retire margin.
     */
    public Duration refreshMargin() {
        Duration quarter = lifetime().dividedBy(4);
        return quarter.compareTo(Duration.ofMinutes(10)) > 0 ? Duration.ofMinutes(10) : quarter;
    }

    /**
     * How long before expiry a connection authenticated with this token stops being used: an eighth of its lifetime,
     * at most 5 minutes, so the pool replaces it before the server ends the session (AccessTokenExpired).
     */
    public Duration retireMargin() {
        Duration eighth = lifetime().dividedBy(8);
        return eighth.compareTo(Duration.ofMinutes(5)) > 0 ? Duration.ofMinutes(5) : eighth;
    }

    /** True when a new token should be requested. */
    public boolean needsRefresh(Instant now) {
        return !now.isBefore(expiresAt.minus(refreshMargin()));
    }

    /** True while a new connection may still be authenticated with it (before the retire margin). */
    public boolean usable(Instant now) {
        return now.isBefore(expiresAt.minus(retireMargin()));
    }

    @Override
    public String toString() {
        return "AccessToken[expiresAt=" + expiresAt + ", value=********]";
    }
}
