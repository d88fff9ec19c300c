package org.imapra.auth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The one token cache: per (authority, client, scope, credential), at most one request in flight and one request per
 * token lifetime, whatever the concurrency. A token is refreshed ahead of expiry ({@link AccessToken#refreshMargin()}):
 * the caller that notices does the request while the others go on with the current token. Callers that find no usable
 * token wait for the one request in flight. After a failure the same failure is answered for
 * {@code failureHold}, so a failing endpoint sees a bounded number of requests.
 */
public final class TokenCache {

    private static final Logger LOG = Logger.getLogger(TokenCache.class.getName());
    private static final Duration DEFAULT_FAILURE_HOLD = Duration.ofSeconds(2);

    private final TokenSource source;
    private final Clock clock;
    private final Duration failureHold;
    private final Map<TokenRequest.Key, Entry> entries = new ConcurrentHashMap<>();
    private final AtomicLong requests = new AtomicLong();

    public TokenCache(TokenSource source, Clock clock, Duration failureHold) {
        this.source = source;
        this.clock = clock;
        this.failureHold = failureHold;
    }

    public TokenCache(TokenSource source) {
        this(source, Clock.systemUTC(), DEFAULT_FAILURE_HOLD);
    }

    /**
     * A token usable for a new connection (not within its retire margin), with the request's renewal margin (see
     * {@link AccessToken#withRenewalMargin(Duration)}).
     */
    public AccessToken get(TokenRequest request) throws TokenException {
        return fetchOrCached(request).withRenewalMargin(request.renewalMargin());
    }

    private AccessToken fetchOrCached(TokenRequest request) throws TokenException {
        Entry entry = entries.computeIfAbsent(request.key(), k -> new Entry());
        CompletableFuture<AccessToken> flight;
        AccessToken current;
        boolean mine = false;
        synchronized (entry) {
            Instant now = clock.instant();
            current = entry.token == null ? null : entry.token.withRenewalMargin(request.renewalMargin());
            if (current != null && !current.needsRefresh(now)) {
                return current;
            }
            boolean currentUsable = current != null && current.usable(now);
            if (entry.inFlight != null) {
                if (currentUsable) {
                    return current;
                }
                flight = entry.inFlight;
            } else if (entry.failure != null && now.isBefore(entry.failureUntil)) {
                if (currentUsable) {
                    return current;
                }
                throw entry.failure;
            } else {
                flight = entry.inFlight = new CompletableFuture<>();
                mine = true;
            }
        }
        return mine ? fetch(request, entry, flight, current) : await(request, flight);
    }

    private AccessToken fetch(TokenRequest request, Entry entry, CompletableFuture<AccessToken> flight,
                              AccessToken current) throws TokenException {
        requests.incrementAndGet();
        try {
            AccessToken fresh = source.fetch(request);
            synchronized (entry) {
                entry.token = fresh;
                entry.failure = null;
                entry.inFlight = null;
            }
            flight.complete(fresh);
            return fresh;
        } catch (TokenException | RuntimeException e) {
            TokenException failure = e instanceof TokenException te ? te
                    : new TokenException(request.tokenEndpoint(), 0, null, java.util.List.of(),
                    e.getClass().getSimpleName() + ": " + e.getMessage(), null, e);
            synchronized (entry) {
                entry.failure = failure;
                entry.failureUntil = clock.instant().plus(failureHold);
                entry.inFlight = null;
            }
            flight.completeExceptionally(failure);
            if (current != null && current.usable(clock.instant())) {
                LOG.log(Level.WARNING, "Refreshing the token for client " + request.clientId() + " failed; the "
                        + "current token is used until it expires at " + current.expiresAt() + ": "
                        + failure.getMessage(), failure);
                return current;
            }
            throw failure;
        } catch (Error e) {
            abandon(request, entry, flight, e);
            throw e;
        } finally {
            if (!flight.isDone()) {
                abandon(request, entry, flight, null);
            }
        }
    }

    /**
     * The request in flight ended without a token or a {@link TokenException} (an {@link Error}, e.g.
     * {@code NoClassDefFoundError} or {@code OutOfMemoryError}): the callers waiting for it fail now, and the next
     * caller makes a fresh attempt (no failure is held: the error says nothing about the token endpoint).
     */
    private void abandon(TokenRequest request, Entry entry, CompletableFuture<AccessToken> flight, Throwable error) {
        synchronized (entry) {
            if (entry.inFlight == flight) {
                entry.inFlight = null;
            }
        }
        String what = error == null ? "ended abnormally" : "failed with " + error.getClass().getName();
        flight.completeExceptionally(new TokenException(request.tokenEndpoint(), 0, null, java.util.List.of(),
                "the token request " + what + (error == null || error.getMessage() == null ? ""
                        : ": " + error.getMessage()), null, error));
        LOG.log(Level.SEVERE, "The token request for client " + request.clientId() + " to "
                + request.tokenEndpoint() + " " + what + "; the next caller tries again", error);
    }

    private static AccessToken await(TokenRequest request, CompletableFuture<AccessToken> flight)
            throws TokenException {
        long wait = (long) request.connectTimeoutMillis() + request.readTimeoutMillis() + 1_000L;
        try {
            return flight.get(wait, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw (TokenException) e.getCause();
        } catch (TimeoutException e) {
            throw new TokenException(request.tokenEndpoint(), 0, null, java.util.List.of(),
                    "waited " + wait + " ms for a token request in flight", null, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TokenException(request.tokenEndpoint(), 0, null, java.util.List.of(), "interrupted", null, e);
        }
    }

    /** Forgets the cached token and failure of one request (e.g. after a new delegated sign-in). */
    public void forget(TokenRequest request) {
        entries.remove(request.key());
    }

    /** Forgets every cached token and failure. */
    public void clear() {
        entries.clear();
    }

    /** How many token requests this cache has made (for tests, benchmarks and status pages). */
    public long requestCount() {
        return requests.get();
    }

    private static final class Entry {
        AccessToken token;
        CompletableFuture<AccessToken> inFlight;
        TokenException failure;
        Instant failureUntil;
    }
}
