package org.imapra.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The cache's concurrency and timing rules, with a token source that counts and a clock the test moves. */
public class TokenCacheTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-28T12:00:00Z"));
    private final ExecutorService callers = Executors.newFixedThreadPool(50);
    private final AtomicInteger fetches = new AtomicInteger();
    private volatile boolean failing;
    private volatile CountDownLatch release = new CountDownLatch(0);

    private final TokenSource source = request -> {
        fetches.incrementAndGet();
        try {
            release.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (failing) {
            throw new TokenException(request.tokenEndpoint(), 401, "invalid_client", List.of("AADSTS7000215"),
                    "AADSTS7000215: Invalid client secret provided.", "corr", null);
        }
        Instant now = clock.instant();
        return new AccessToken("token-" + fetches.get(), now, now.plusSeconds(3600));
    };

    private final TokenCache cache = new TokenCache(source, clock, Duration.ofSeconds(2));
    private final TokenRequest request = new TokenRequest("https://localhost:8443/contoso.example/", "client",
            "https://outlook.office365.com/.default", ClientCredential.secret("s".toCharArray(), "fp"), null, 1000,
            1000);

    @AfterEach
    void stop() {
        callers.shutdownNow();
    }

    private List<Future<AccessToken>> fifty() {
        List<Future<AccessToken>> results = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            results.add(callers.submit(() -> cache.get(request)));
        }
        return results;
    }

    @Test
    void fiftyColdCallersMakeOneRequest() throws Exception {
        release = new CountDownLatch(1);
        List<Future<AccessToken>> results = fifty();
        Thread.sleep(200);
        release.countDown();
        AccessToken first = results.get(0).get(5, TimeUnit.SECONDS);
        for (Future<AccessToken> f : results) {
            assertSame(first, f.get(5, TimeUnit.SECONDS));
        }
        assertEquals(1, fetches.get());
        assertEquals(1, cache.requestCount());
    }

    @Test
    void oneRequestPerLifetimeAndRefreshAheadWhileOthersKeepTheCurrentToken() throws Exception {
        AccessToken first = cache.get(request);
        clock.advance(Duration.ofMinutes(49));
        assertSame(first, cache.get(request), "outside the refresh margin the cached token is used");
        clock.advance(Duration.ofMinutes(2)); // 9 minutes left: inside the 10-minute refresh margin
        release = new CountDownLatch(1);
        Future<AccessToken> refresher = callers.submit(() -> cache.get(request));
        Thread.sleep(200);
        for (Future<AccessToken> f : fifty()) {
            assertSame(first, f.get(5, TimeUnit.SECONDS), "others go on with the current token meanwhile");
        }
        release.countDown();
        AccessToken second = refresher.get(5, TimeUnit.SECONDS);
        assertEquals("token-2", second.value());
        assertEquals(2, fetches.get());
        assertSame(second, cache.get(request));
    }

    @Test
    void aFailingEndpointSeesOneRequestPerHoldPeriodAndEveryCallerGetsTheTypedError() throws Exception {
        failing = true;
        for (Future<AccessToken> f : fifty()) {
            Exception e = assertThrows(Exception.class, () -> f.get(5, TimeUnit.SECONDS));
            TokenException te = (TokenException) e.getCause();
            assertEquals(List.of("AADSTS7000215"), te.errorCodes());
            assertEquals(401, te.httpStatus());
        }
        assertEquals(1, fetches.get());
        clock.advance(Duration.ofSeconds(3));
        failing = false;
        assertEquals("token-2", cache.get(request).value());
    }

    @Test
    void anErrorDuringARequestFailsItsWaitersWithTheErrorAndTheNextCallerTriesAgain() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch go = new CountDownLatch(1);
        AtomicInteger calls = new AtomicInteger();
        TokenSource clashing = r -> {
            if (calls.incrementAndGet() == 1) {
                entered.countDown();
                try {
                    go.await(5, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                throw new NoClassDefFoundError("com/example/Clash");
            }
            Instant now = clock.instant();
            return new AccessToken("after-the-error", now, now.plusSeconds(3600));
        };
        // a long wait: without the fix a waiter would give up only after 60 s, with a TimeoutException
        TokenRequest slow = new TokenRequest(request.tenantAuthority(), "client", request.scope(),
                request.credential(), null, 30_000, 30_000);
        TokenCache errorCache = new TokenCache(clashing, clock, Duration.ofSeconds(2));
        Future<AccessToken> first = callers.submit(() -> errorCache.get(slow));
        assertTrue(entered.await(5, TimeUnit.SECONDS));
        CompletableFuture<Throwable> waiter = new CompletableFuture<>();
        Thread waiting = new Thread(() -> {
            try {
                waiter.complete(new AssertionError("got a token: " + errorCache.get(slow)));
            } catch (Throwable t) {
                waiter.complete(t);
            }
        });
        waiting.start();
        while (waiting.getState() != Thread.State.TIMED_WAITING && waiting.isAlive()) {
            Thread.onSpinWait(); // until it waits for the request in flight
        }
        go.countDown();

        ExecutionException e = assertThrows(ExecutionException.class, () -> first.get(10, TimeUnit.SECONDS));
        assertInstanceOf(NoClassDefFoundError.class, e.getCause(), "the Error reaches its own caller");
        Throwable seen = waiter.get(120, TimeUnit.SECONDS); // longer than the 61 s a waiter could wait
        TokenException te = assertInstanceOf(TokenException.class, seen, "the waiter gets a TokenException");
        assertInstanceOf(NoClassDefFoundError.class, te.getCause(), "about the error, not a timeout: " + te);
        assertEquals("after-the-error", errorCache.get(slow).value(), "the next caller makes a fresh attempt");
        assertEquals(2, calls.get());
    }

    @Test
    void marginsScaleWithShortLifetimes() {
        Instant t0 = Instant.parse("2026-11-28T12:00:00Z");
        AccessToken shortLived = new AccessToken("x", t0, t0.plusSeconds(40));
        assertEquals(Duration.ofSeconds(10), shortLived.refreshMargin());
        assertEquals(Duration.ofSeconds(5), shortLived.retireMargin());
        AccessToken hour = new AccessToken("x", t0, t0.plusSeconds(3599));
        assertEquals(Duration.ofMinutes(10), hour.refreshMargin());
        assertEquals(Duration.ofMinutes(5), hour.retireMargin());
        assertEquals(false, shortLived.usable(t0.plusSeconds(35)));
        assertEquals(true, shortLived.usable(t0.plusSeconds(34)));
    }

    @Test
    void aConfiguredRenewalMarginRetiresAndRefreshesEarlierAndIsBoundedByHalfTheLifetime() {
        Instant t0 = Instant.parse("2026-11-28T12:00:00Z");
        AccessToken hour = new AccessToken("x", t0, t0.plusSeconds(3600)).withRenewalMargin(Duration.ofMinutes(20));
        assertEquals(Duration.ofMinutes(20), hour.retireMargin());
        assertEquals(Duration.ofMinutes(25), hour.refreshMargin(), "five minutes to get a new token in time");
        assertEquals(false, hour.usable(t0.plus(Duration.ofMinutes(40))));
        assertEquals(true, hour.usable(t0.plus(Duration.ofMinutes(39))));
        AccessToken capped = hour.withRenewalMargin(Duration.ofHours(2));
        assertEquals(Duration.ofMinutes(30), capped.retireMargin(), "at most half the lifetime");
        assertEquals(Duration.ofMinutes(5), hour.withRenewalMargin(null).retireMargin(), "null: automatic again");
    }

    @Test
    void theCacheRenewsAtTheRequestsMarginAndHandsOutTheTokenWithIt() throws Exception {
        TokenRequest early = new TokenRequest(request.tenantAuthority(), request.clientId(), request.scope(),
                request.credential(), null, 1000, 1000, null, Duration.ofMinutes(20));
        AccessToken first = cache.get(early);
        assertEquals(Duration.ofMinutes(20), first.retireMargin(), "handed out with the definition's margin");
        clock.advance(Duration.ofMinutes(34));
        assertEquals(first.value(), cache.get(early).value(), "before the refresh margin (25 min)");
        assertEquals(first.value(), cache.get(request).value(), "the automatic margin (10 min) of another definition");
        clock.advance(Duration.ofMinutes(2));
        AccessToken second = cache.get(early);
        assertEquals(2, fetches.get(), "36 min into an hour's token: within 25 min of its expiry");
        assertTrue(!second.value().equals(first.value()), "a new token");
    }

    @Test
    void anEmptyTokenCannotExist() {
        Instant t0 = Instant.now();
        assertThrows(IllegalArgumentException.class, () -> new AccessToken("", t0, t0.plusSeconds(1)));
        assertThrows(IllegalArgumentException.class, () -> new AccessToken(null, t0, t0.plusSeconds(1)));
    }

    /** A clock the test moves (used by other packages' tests too). */
    public static final class MutableClock extends Clock {
        private volatile Instant now;

        public MutableClock(Instant now) {
            this.now = now;
        }

        public void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
