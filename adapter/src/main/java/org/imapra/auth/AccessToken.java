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
    /** The configured retire margin, or null: automatic. */
    private final Duration renewalMargin;

    public AccessToken(String value, Instant acquiredAt, Instant expiresAt) {
        this(value, acquiredAt, expiresAt, null);
    }

    private AccessToken(String value, Instant acquiredAt, Instant expiresAt, Duration renewalMargin) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("an access token cannot be empty");
        }
        this.value = value;
        this.acquiredAt = Objects.requireNonNull(acquiredAt);
        this.expiresAt = Objects.requireNonNull(expiresAt);
        this.renewalMargin = renewalMargin;
    }

    /**
     * The same token with a configured retire margin ({@code tokenRenewalMarginSeconds}: servers that refuse a token
     * as "expiring soon" minutes before its expiry), or with the automatic one when {@code margin} is null.
     */
    public AccessToken withRenewalMargin(Duration margin) {
        return Objects.equals(margin, renewalMargin) ? this : new AccessToken(value, acquiredAt, expiresAt, margin);
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
     * How long before expiry a token is refreshed: the {@link #retireMargin()} plus an eighth of the lifetime, at
     * most 5 minutes (automatically: a quarter of the lifetime, at most 10 minutes). Larger than the retire margin,
     * so a freshly handed-out token always outlives it.
     */
    public Duration refreshMargin() {
        return retireMargin().plus(eighthAtMostFiveMinutes());
    }

    /**
     * How long before expiry a connection authenticated with this token stops being used, and the token is no longer
     * handed out for a new one: the configured margin (at most half the lifetime), else an eighth of the lifetime, at
     * most 5 minutes, so the pool replaces it before the server ends the session (AccessTokenExpired).
     */
    public Duration retireMargin() {
        if (renewalMargin != null) {
            Duration half = lifetime().dividedBy(2);
            return renewalMargin.compareTo(half) > 0 ? half : renewalMargin;
        }
        return eighthAtMostFiveMinutes();
    }

    private Duration eighthAtMostFiveMinutes() {
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
