package org.imapra.reliability;

import static org.imapra.reliability.Rig.millisSince;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import org.imapra.testsupport.ThreadWorkManager;

import jakarta.resource.ResourceException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.imapra.ImapResourceAdapter;
import org.imapra.api.ImapConnection;
import org.imapra.api.ImapConnectionFactory;
import org.imapra.api.ImapException;
import org.imapra.outbound.ImapManagedConnectionFactory;
import org.imapra.outbound.NonManagedConnectionManager;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * Outbound under load and random faults: 16 callers on a pool of at most 8 connections for a bounded period while
 * the fault injector strikes. Every failure must be a clear exception (an {@link ImapException} naming the mailbox,
 * or the pool's "no connection became free" {@link ResourceException}); afterwards no handle is leaked, the pool is
 * back to normal (at most 8 connections, all working, one physical connection each, none orphaned).
 * Quick: 20 s; soak: {@code -Dsoak=true -Dsoak.seconds=N}.
 */
@Order(60)
@DisplayName("Outbound pool under load and random faults")
class OutboundLoadTest {

    static final int CALLERS = 16;
    static final int POOL = 8;

    @Test
    @DisplayName("16 callers, pool of 8, random faults: calls, clear failures, leaked handles, pool at the end")
    void loadWithRandomFaults() throws Exception {
        int seconds = Rig.seconds(20);
        Rig.reset();
        Rig.m365().tokens().tokenLifetimeSeconds(20); // connections retire and tokens refresh during the run
        for (int i = 1; i <= 20; i++) {
            Rig.deliver("load " + i);
        }
        ThreadWorkManager ctx = new ThreadWorkManager("reliability-work", Evidence::exception);
        ImapResourceAdapter ra = Rig.adapter(ctx);
        ImapManagedConnectionFactory mcf = Rig.factory(ra);
        NonManagedConnectionManager pool = new NonManagedConnectionManager(POOL, 5_000);
        ImapConnectionFactory factory = (ImapConnectionFactory) mcf.createConnectionFactory(pool);
        AtomicInteger calls = new AtomicInteger();
        AtomicInteger ok = new AtomicInteger();
        Map<String, AtomicInteger> failures = new ConcurrentHashMap<>();
        List<String> unclear = new CopyOnWriteArrayList<>();
        AtomicInteger maxInUse = new AtomicInteger();
        ExecutorService callers = Executors.newFixedThreadPool(CALLERS);
        FaultInjector faults;
        long t0 = System.nanoTime();
        long deadline = t0 + seconds * 1_000_000_000L;
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < CALLERS; i++) {
                done.add(callers.submit(() -> {
                    go.await();
                    while (System.nanoTime() < deadline) {
                        calls.incrementAndGet();
                        try {
                            oneCall(factory);
                            ok.incrementAndGet();
                        } catch (Exception e) {
                            Evidence.exception(e);
                            failures.computeIfAbsent(e.getClass().getSimpleName(), k -> new AtomicInteger())
                                    .incrementAndGet();
                            if (!clear(e)) {
                                unclear.add(e.toString());
                            }
                            Thread.sleep(20); // a caller that failed does not retry in a tight loop
                        }
                        maxInUse.accumulateAndGet(pool.inUse(), Math::max);
                    }
                    return null;
                }));
            }
            faults = new FaultInjector();
            go.countDown();
            try {
                for (Future<?> d : done) {
                    d.get(seconds + 60L, TimeUnit.SECONDS);
                }
            } finally {
                faults.stop();
            }

            // after the faults: every caller gets a working connection again (a stale idle one fails once)
            long r0 = System.nanoTime();
            List<Future<Integer>> recovery = new ArrayList<>();
            CountDownLatch again = new CountDownLatch(1);
            for (int i = 0; i < CALLERS; i++) {
                recovery.add(callers.submit(() -> {
                    again.await();
                    for (int attempt = 1; ; attempt++) {
                        try {
                            oneCall(factory);
                            return attempt;
                        } catch (Exception e) {
                            Evidence.exception(e);
                            if (attempt >= 40) { // about 8 s: a cached token failure is answered for 2 s
                                throw e;
                            }
                            Thread.sleep(200);
                        }
                    }
                }));
            }
            again.countDown();
            int worst = 0;
            for (Future<Integer> f : recovery) {
                worst = Math.max(worst, f.get(60, TimeUnit.SECONDS));
            }
            long recoveredMs = millisSince(r0);
            int leaked = pool.inUse();
            int idle = pool.idleCount();
            boolean oneSessionEach = Rig.within(Duration.ofSeconds(Rig.READ_TIMEOUT / 1000 + 5),
                    () -> Rig.m365().mailServer().openSessionCount() == pool.idleCount());
            int sessions = Rig.m365().mailServer().openSessionCount();
            Map<String, Integer> byClass = new TreeMap<>();
            failures.forEach((k, v) -> byClass.put(k, v.get()));
            Figures.record("outbound-load-random-faults", "failures are ImapConnectionLostException (dropped, "
                            + "stalled, BYE), ImapAuthenticationException (token faults), ImapException, or the "
                            + "pool's wait timeout; after the faults each caller needed at most " + worst
                            + " attempts (a stale idle connection fails once and is evicted)",
                    "seconds", seconds, "callers", CALLERS, "poolMax", POOL, "calls", calls.get(), "ok", ok.get(),
                    "failures", byClass, "unclearFailures", unclear.size(), "maxInUse", maxInUse.get(),
                    "leakedHandles", leaked, "poolIdleAtEnd", idle, "imapSessionsAtEnd", sessions,
                    "recoveredMs", recoveredMs, "tokenRequests", Rig.m365().tokens().tokenRequestCount(),
                    "faults", faults.total(), "seed", faults.seed);
            Figures.record("outbound-load-random-faults/injected", null, "faults", faults.injected());
            assertEquals(List.of(), unclear.size() > 10 ? unclear.subList(0, 10) : unclear, "unclear failures");
            assertEquals(0, leaked, "leaked connection handles");
            assertTrue(idle <= POOL, "pool size " + idle);
            assertTrue(maxInUse.get() <= POOL, "more than " + POOL + " in use: " + maxInUse.get());
            assertTrue(oneSessionEach, "physical IMAP connections " + sessions + " for " + idle
                    + " pooled ones: orphaned connections");
            assertTrue(ok.get() > 0 && faults.total() >= seconds / 3, "load and faults happened");
        } finally {
            callers.shutdownNow();
            pool.close();
            ra.stop();
            Rig.m365().tokens().tokenLifetimeSeconds(3599);
        }
        assertTrue(Rig.m365().mailServer().awaitOpenSessionCount(0, Duration.ofSeconds(5)),
                "IMAP sessions left after the pool was closed: " + Rig.m365().mailServer().openSessionCount());
        assertTrue(Rig.within(Duration.ofSeconds(5), () -> Rig.imapProxy().openLinks() == 0),
                "TCP connections left: " + Rig.imapProxy().openLinks());
    }

    /** One application call: a connection, one or two commands, closed. */
    private static void oneCall(ImapConnectionFactory factory) throws Exception {
        try (ImapConnection c = factory.getConnection()) {
            switch (ThreadLocalRandom.current().nextInt(3)) {
                case 0 -> c.status("INBOX");
                case 1 -> c.search("INBOX", null);
                default -> {
                    long[] uids = c.search("INBOX", null);
                    c.fetch("INBOX", java.util.Arrays.copyOf(uids, Math.min(5, uids.length)));
                }
            }
        }
    }

    /** A clear failure: an ImapException naming the mailbox, or the pool's own wait timeout. */
    private static boolean clear(Exception e) {
        String m = e.getMessage() == null ? "" : e.getMessage();
        if (e instanceof ImapException) {
            return m.contains(Rig.MAILBOX);
        }
        return e instanceof ResourceException && m.contains("No IMAP connection became free");
    }
}
