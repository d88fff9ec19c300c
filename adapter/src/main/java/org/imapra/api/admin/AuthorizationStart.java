package org.imapra.api.admin;

import java.io.Serializable;
import java.time.Instant;

/**
 * A started delegated sign-in: where to send the browser, and the {@code state} the callback must bring back (keep
 * it in the administrator's session; it can be used once, until {@code expiresAt}). The PKCE verifier stays in the
 * adapter.
 */
public record AuthorizationStart(String authorizeUrl, String state, Instant expiresAt) implements Serializable {

    @Override
    public String toString() {
        return "AuthorizationStart[expiresAt=" + expiresAt + "]";
    }
}
