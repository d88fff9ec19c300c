package org.imapra.core;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Delegated sign-ins in progress, keyed by their {@code state}: the definition, the PKCE verifier (never leaves the
 * server), the redirect URI and who started it. Each state can be taken once, within 10 minutes.
 */
public final class PendingSignIns {

    public static final Duration LIFETIME = Duration.ofMinutes(10);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int MAX_PENDING = 1000;

    public record Pending(String name, String verifier, String redirectUri, String actor, Instant expiresAt) {
        @Override
        public String toString() {
            return "Pending[" + name + ", " + actor + ", expires " + expiresAt + "]";
        }
    }

    private final Map<String, Pending> pending = new ConcurrentHashMap<>();

    public static String random(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    public static String challenge(String verifier) {
        try {
            return Base64.getUrlEncoder().withoutPadding().encodeToString(MessageDigest.getInstance("SHA-256")
                    .digest(verifier.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Remembers a new sign-in; returns its state. */
    public String add(String name, String verifier, String redirectUri, String actor, Instant now) {
        pending.values().removeIf(p -> !now.isBefore(p.expiresAt()));
        if (pending.size() >= MAX_PENDING) {
            throw new IllegalStateException("too many sign-ins in progress");
        }
        String state = random(32);
        pending.put(state, new Pending(name, verifier, redirectUri, actor, now.plus(LIFETIME)));
        return state;
    }

    /** Takes the sign-in of this state (once), if it has not expired. */
    public Optional<Pending> take(String state, Instant now) {
        if (state == null) {
            return Optional.empty();
        }
        Pending p = pending.remove(state);
        return p != null && now.isBefore(p.expiresAt()) ? Optional.of(p) : Optional.empty();
    }
}
