package org.imapra.standin;

import java.time.Instant;
import java.util.Objects;

/**
 * A client secret of an app registration.
 *
 * @param value     the secret's value (what clients send)
 * @param expiresAt when it expires, or {@code null} for never
 */
public record ClientSecret(String value, Instant expiresAt) {
    public ClientSecret {
        Objects.requireNonNull(value, "value");
    }

    public static ClientSecret of(String value) {
        return new ClientSecret(value, null);
    }

    public boolean isExpired(Instant now) {
        return expiresAt != null && !now.isBefore(expiresAt);
    }

    @Override
    public String toString() {
        return "ClientSecret[value=***, expiresAt=" + expiresAt + "]";
    }
}
