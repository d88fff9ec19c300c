package org.imapra.reliability;

import static org.imapra.reliability.Rig.READ_TIMEOUT;
import static org.imapra.reliability.Rig.expect;
import static org.imapra.reliability.Rig.millisSince;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import org.imapra.testsupport.ThreadWorkManager;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.imapra.ImapResourceAdapter;
import org.imapra.api.ImapAuthenticationException;
import org.imapra.api.ImapConnection;
import org.imapra.api.ImapConnectionFactory;
import org.imapra.outbound.ImapManagedConnectionFactory;
import org.imapra.outbound.NonManagedConnectionManager;
import org.imapra.standin.EntraTokenEndpoint;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Faults of the token endpoint (the stand-in's knobs, and the FaultProxy in front of it): HTTP 500 / 503, slow beyond
 * the read timeout, a hang, AADSTS errors, recovery afterwards, and the thundering herd of 50 waiting callers.
 */
@Order(20)
@DisplayName("Token endpoint faults (stand-in knobs and a FaultProxy in front of the token endpoint)")
@Timeout(90)
class TokenFaultTest {

    ThreadWorkManager ctx;
    ImapResourceAdapter ra;
    ImapManagedConnectionFactory mcf;
    NonManagedConnectionManager pool;
    ImapConnectionFactory factory;
    EntraTokenEndpoint endpoint;

    @BeforeEach
    void setUp() throws Exception {
        Rig.reset();
        endpoint = Rig.m365().tokens();
        ctx = new ThreadWorkManager("reliability-work", Evidence::exception);
        ra = Rig.adapter(ctx);
        mcf = Rig.factory(ra);
        mcf.setMaxConnectionsPerMailbox(50); // the herd of 50 logins at once: above the default budget of 16
        pool = new NonManagedConnectionManager(50, 20_000);
        factory = (ImapConnectionFactory) mcf.createConnectionFactory(pool);
    }

    @AfterEach
    void tearDown() throws Exception {
        Rig.tokenProxy().pass();
        endpoint.reset();
        pool.close();
        ra.stop();
        assertEquals(0, pool.inUse(), "leaked connection handles");
        assertTrue(Rig.m365().mailServer().awaitOpenSessionCount(0, Duration.ofSeconds(5)),
                "IMAP sessions left open: " + Rig.m365().mailServer().openSessionCount());
    }

    private void call() throws Exception {
        try (ImapConnection c = factory.getConnection()) {
            c.status("INBOX");
        }
    }

    /** Retries every 100 ms until a call works; returns the milliseconds it took. */
    private long recover() throws Exception {
        long t0 = System.nanoTime();
        while (true) {
            try {
                call();
                return millisSince(t0);
            } catch (ImapAuthenticationException e) {
                Evidence.exception(e);
                assertTrue(millisSince(t0) < 15_000, "not recovered after 15 s: " + e.getMessage());
                Thread.sleep(100);
            }
        }
    }

    private static void assertClear(ImapAuthenticationException e) {
        assertTrue(e.getMessage().contains(Rig.MAILBOX), e.getMessage());
        assertNotNull(e.tokenEndpoint(), "names the token endpoint");
        assertTrue(e.getMessage().contains(e.tokenEndpoint()), e.getMessage());
        assertTrue(e.tokenEndpoint().endsWith("/" + Rig.TENANT + "/oauth2/v2.0/token"), e.tokenEndpoint());
    }

    @ParameterizedTest(name = "HTTP {0} from the token endpoint, then recovery")
    @ValueSource(ints = {500, 503})
    @DisplayName("HTTP 500 / 503 from the token endpoint, then recovery")
    void serverErrors(int status) throws Exception {
        endpoint.failNext(1, status);
        long t0 = System.nanoTime();
        ImapAuthenticationException e = expect(ImapAuthenticationException.class, factory::getConnection);
        long failedMs = millisSince(t0);
        assertClear(e);
        assertEquals(status, e.httpStatus());
        assertEquals(status == 503 ? "temporarily_unavailable" : "server_error", e.error());
        assertEquals(List.of(status == 503 ? "AADSTS90033" : "AADSTS50000"), e.errorCodes());
        long recoveredMs = recover();
        Figures.record("token-http-" + status, "the failure is answered from the cache for 2 s (no hammering), "
                        + "then one new request succeeds", "failedAfterMs", failedMs, "error", e.error(),
                "codes", String.join(" ", e.errorCodes()), "recoveredAfterMs", recoveredMs, "tokenRequests",
                endpoint.tokenRequestCount());
        assertEquals(2, endpoint.tokenRequestCount(), "one failed request, one successful: no retry storm");
    }

    @Test
    @DisplayName("token endpoint slower than the read timeout: a clear timeout error, then recovery")
    void slowBeyondTheTimeout() throws Exception {
        endpoint.delayMillis(READ_TIMEOUT + 2_000L);
        long t0 = System.nanoTime();
        ImapAuthenticationException e = expect(ImapAuthenticationException.class, factory::getConnection);
        long failedMs = millisSince(t0);
        endpoint.delayMillis(0);
        assertClear(e);
        assertEquals(0, e.httpStatus(), "no HTTP answer");
        assertTrue(e.getMessage().toLowerCase().contains("timed out"), e.getMessage());
        long recoveredMs = recover();
        Figures.record("token-slow", "endpoint delay " + (READ_TIMEOUT + 2_000) + " ms, read timeout "
                + READ_TIMEOUT + " ms", "failedAfterMs", failedMs, "message", quote(e.description()),
                "recoveredAfterMs", recoveredMs);
        assertTrue(failedMs <= READ_TIMEOUT + 5_000, "waited " + failedMs + " ms");
    }

    @Test
    @DisplayName("token endpoint hangs (no answer, connection open): a clear timeout error, then recovery")
    void hang() throws Exception {
        Rig.tokenProxy().blackhole();
        long t0 = System.nanoTime();
        ImapAuthenticationException e = expect(ImapAuthenticationException.class, factory::getConnection);
        long failedMs = millisSince(t0);
        Rig.tokenProxy().pass();
        assertClear(e);
        assertEquals(0, e.httpStatus());
        long recoveredMs = recover();
        Figures.record("token-hang", "read timeout " + READ_TIMEOUT + " ms", "failedAfterMs", failedMs,
                "message", quote(e.description()), "recoveredAfterMs", recoveredMs);
        assertTrue(failedMs <= Rig.CONNECT_TIMEOUT + READ_TIMEOUT + 5_000, "waited " + failedMs + " ms");
    }

    private static String quote(String s) {
        return "\"" + (s == null ? "" : s.lines().findFirst().orElse("")) + "\"";
    }

    @ParameterizedTest(name = "{0}, then recovery")
    @ValueSource(strings = {"AADSTS700016 app not found", "AADSTS7000222 secret expired",
            "AADSTS7000215 wrong secret", "AADSTS90002 tenant not found"})
    @DisplayName("AADSTS errors with code, hint and endpoint, never the secret; then recovery")
    void aadstsErrors(String fault) throws Exception {
        String code = fault.substring(0, fault.indexOf(' '));
        ImapConnectionFactory broken = factory;
        switch (code) {
            case "AADSTS700016" -> endpoint.directory().removeApp(Rig.CLIENT);
            case "AADSTS7000222" -> endpoint.directory().app(Rig.app().toBuilder().clearSecrets()
                    .secret(Evidence.SECRET, Instant.now().minusSeconds(3600)).build());
            case "AADSTS7000215" -> {
                ImapManagedConnectionFactory wrong = Rig.factory(ra);
                wrong.setClientSecret(Evidence.WRONG_SECRET);
                broken = (ImapConnectionFactory) wrong.createConnectionFactory(pool);
            }
            case "AADSTS90002" -> {
                ImapManagedConnectionFactory other = Rig.factory(ra);
                other.setTenantId("9a8b7c6d-0000-4000-8000-00000000abcd");
                broken = (ImapConnectionFactory) other.createConnectionFactory(pool);
            }
            default -> throw new IllegalArgumentException(code);
        }
        ImapConnectionFactory f = broken;
        ImapAuthenticationException e = expect(ImapAuthenticationException.class, f::getConnection);
        assertEquals(List.of(code), e.errorCodes());
        assertTrue(e.getMessage().contains(code), e.getMessage());
        assertNotNull(e.hint(), "a hint says what to do");
        assertNotNull(e.correlationId(), "the correlation id for Microsoft support");
        assertFalse(e.getMessage().contains(Evidence.SECRET) || e.getMessage().contains(Evidence.WRONG_SECRET));
        endpoint.directory().app(Rig.app());
        long recoveredMs = recover();
        Figures.record("token-" + code, fault + "; hint: " + e.hint(), "httpStatus", e.httpStatus(), "error",
                e.error(), "recoveredAfterMs", recoveredMs);
    }

    /** 50 callers loop on getConnection for {@code seconds}; returns failures by exception class. */
    private Map<String, Integer> herd(int callers, int seconds, AtomicInteger ok) throws Exception {
        ExecutorService pool50 = Executors.newFixedThreadPool(callers);
        Map<String, AtomicInteger> failures = new ConcurrentHashMap<>();
        CountDownLatch go = new CountDownLatch(1);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < callers; i++) {
                done.add(pool50.submit(() -> {
                    go.await();
                    do {
                        try {
                            call();
                            ok.incrementAndGet();
                        } catch (Exception e) {
                            Evidence.exception(e);
                            failures.computeIfAbsent(e.getClass().getSimpleName(), k -> new AtomicInteger())
                                    .incrementAndGet();
                            Thread.sleep(50);
                        }
                    } while (System.nanoTime() < deadline);
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> d : done) {
                d.get(seconds + 30L, TimeUnit.SECONDS);
            }
        } finally {
            pool50.shutdownNow();
        }
        Map<String, Integer> out = new TreeMap<>();
        failures.forEach((k, v) -> out.put(k, v.get()));
        return out;
    }

    @Test
    @DisplayName("thundering herd: 50 callers against a failing, a slow and a hanging endpoint")
    void thunderingHerd() throws Exception {
        int seconds = 6;
        endpoint.failNext(1_000_000, 503);
        AtomicInteger ok = new AtomicInteger();
        Map<String, Integer> failures = herd(50, seconds, ok);
        int failingRequests = endpoint.tokenRequestCount();
        int bound = seconds / 2 + 2; // one request per failure hold (2 s), plus the edges
        Figures.record("token-herd/failing", "50 callers retrying every 50 ms for " + seconds + " s against HTTP "
                        + "503; bound asserted: " + bound, "callers", 50, "calls",
                failures.values().stream().mapToInt(Integer::intValue).sum() + ok.get(), "failures", failures,
                "tokenRequests", failingRequests);
        assertEquals(0, ok.get());
        assertTrue(failingRequests <= bound, "token requests of 50 callers in " + seconds + " s: " + failingRequests);

        endpoint.reset();
        ra.context().tokens().clear();
        endpoint.delayMillis(1_000);
        // 50 IMAP logins at once after the token arrives: on a busy machine the stand-in may take longer than the
        // rig's 2 s read timeout to answer them, which is no token matter; the token's 1 s stays well inside 15 s
        mcf.setReadTimeoutMillis(15_000);
        int before = endpoint.tokenRequestCount();
        ok.set(0);
        failures = herd(50, 1, ok);
        int slowRequests = endpoint.tokenRequestCount() - before;
        endpoint.delayMillis(0);
        mcf.setReadTimeoutMillis(READ_TIMEOUT);
        Figures.record("token-herd/slow", "50 cold callers, endpoint answering after 1 s", "callers", 50,
                "calls", ok.get(), "failures", failures, "tokenRequests", slowRequests);
        assertEquals(Map.of(), failures);
        assertEquals(1, slowRequests, "one request for 50 waiting callers");

        ra.context().tokens().clear();
        pool.close();
        Rig.tokenProxy().blackhole();
        long cacheBefore = ra.context().tokens().requestCount();
        long t0 = System.nanoTime();
        ok.set(0);
        failures = herd(50, 1, ok);
        long hangMs = millisSince(t0);
        long hangRequests = ra.context().tokens().requestCount() - cacheBefore;
        Rig.tokenProxy().pass();
        Figures.record("token-herd/hang", "50 cold callers, endpoint never answers (read timeout " + READ_TIMEOUT
                        + " ms); requests counted by the adapter's token cache", "callers", 50, "failures", failures,
                "tokenRequests", hangRequests, "allFailedWithinMs", hangMs);
        assertEquals(0, ok.get());
        assertTrue(hangRequests <= 2, "requests while hanging: " + hangRequests);
        assertTrue(hangMs <= Rig.CONNECT_TIMEOUT + READ_TIMEOUT + 1_000 + 5_000 + 1_000, "herd took " + hangMs);
    }
}
