package org.imapra.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.angus.mail.imap.IMAPStore;
import org.imapra.api.ImapConnection;
import org.imapra.api.ImapConnectionFactory;
import org.imapra.outbound.NonManagedConnectionManager;
import org.imapra.standin.EntraTokenEndpoint;
import org.imapra.standin.LocalM365;

/**
 * P2: token requests while 50 threads call {@code getConnection()} on a cold pool at once and then keep working
 * (checkout, STATUS, close, a short pause) for several token lifetimes of short-lived tokens from the stand-in.
 * Counted at the token endpoint. The peer: the same 50-thread cold start written by hand (one shared MSAL app,
 * a token from it for each connection).
 */
final class P2TokenTraffic {

    private P2TokenTraffic() {
    }

    static void run(Scale scale, Report report) throws Exception {
        int threads = scale.p2Threads;
        int lifetime = scale.p2TokenLifetimeSeconds;
        try (LocalM365 m365 = Bench.startStandIn()) {
            m365.tokens().tokenLifetimeSeconds(lifetime);
            m365.tokens().reset();
            NonManagedConnectionManager pool = new NonManagedConnectionManager(threads, 30_000);
            ImapConnectionFactory factory = (ImapConnectionFactory) Bench.factory(m365).createConnectionFactory(pool);
            Map<String, AtomicLong> errors = new ConcurrentHashMap<>();
            AtomicLong operations = new AtomicLong();
            ExecutorService callers = Executors.newFixedThreadPool(threads);
            int cold;
            long elapsedNanos;
            try {
                CountDownLatch go = new CountDownLatch(1);
                CountDownLatch coldDone = new CountDownLatch(threads);
                long[] start = new long[1];
                long[] deadlineHolder = new long[1];
                List<Future<?>> workers = new ArrayList<>();
                for (int i = 0; i < threads; i++) {
                    workers.add(callers.submit(() -> {
                        go.await();
                        checkout(factory, operations, errors); // the cold burst
                        coldDone.countDown();
                        coldDone.await();
                        while (System.nanoTime() < deadlineHolder[0]) {
                            checkout(factory, operations, errors);
                            Thread.sleep(20 + ThreadLocalRandom.current().nextInt(60));
                        }
                        return null;
                    }));
                }
                start[0] = System.nanoTime();
                deadlineHolder[0] = start[0] + TimeUnit.SECONDS.toNanos((long) lifetime * scale.p2Lifetimes);
                Bench.progress("P2: " + threads + " threads, cold pool, then " + scale.p2Lifetimes + " lifetimes of "
                        + lifetime + " s");
                go.countDown();
                if (!coldDone.await(120, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("the cold burst did not finish in 120 s");
                }
                cold = m365.tokens().tokenRequestCount();
                for (Future<?> f : workers) {
                    f.get(lifetime * (long) scale.p2Lifetimes + 120, TimeUnit.SECONDS);
                }
                elapsedNanos = System.nanoTime() - start[0];
            } finally {
                callers.shutdownNow();
                pool.close();
            }
            int total = m365.tokens().tokenRequestCount();
            double lifetimes = elapsedNanos / 1e9 / lifetime;
            double perLifetime = total / lifetimes;

            // the peer: the same cold burst, hand-written (tokens of the default lifetime, so MSAL's cache can hold them)
            m365.tokens().tokenLifetimeSeconds(EntraTokenEndpoint.DEFAULT_TOKEN_LIFETIME_SECONDS);
            m365.tokens().reset();
            Bench.progress("P2: the hand-written cold burst (" + threads + " threads, one shared MSAL app)");
            Map<String, AtomicLong> peerErrors = new ConcurrentHashMap<>();
            int peerCold = handWrittenColdBurst(m365, threads, peerErrors);

            String errorText = errors.isEmpty() ? "none" : new TreeMap<>(errors).toString();
            double ideal = 1 / (1 - 0.25); // imapra refreshes a token when a quarter of its lifetime is left
            report.section("## P2 token traffic\n\n"
                    + threads + " threads call `getConnection()` at the same moment on a cold pool (max " + threads
                    + " connections), then keep working (checkout, STATUS, close, 20–80 ms pause) for "
                    + scale.p2Lifetimes + " token lifetimes; the stand-in issues tokens valid for " + lifetime
                    + " s. Token requests are counted at the token endpoint.\n\n"
                    + Report.table(List.of("figure", "value"), List.of(
                    List.of("token requests for the cold burst of " + threads + " callers", Integer.toString(cold)),
                    List.of("token requests in all, over " + Report.f1(elapsedNanos / 1e9) + " s ("
                            + Report.f2(lifetimes) + " lifetimes)", Integer.toString(total)),
                    List.of("**token requests per token lifetime**", "**" + Report.f2(perLifetime) + "**"),
                    List.of("checkouts done", Report.f0(operations.get())),
                    List.of("errors (by type)", errorText),
                    List.of("hand-written cold burst (" + threads + " threads, one shared MSAL "
                            + "ConfidentialClientApplication, acquireToken per connection)", Integer.toString(peerCold)),
                    List.of("hand-written errors", peerErrors.isEmpty() ? "none" : new TreeMap<>(peerErrors).toString())))
                    + "\nimapra renews a token once a quarter of its lifetime is left (at most 10 min), so a steady "
                    + "load needs " + Report.f2(ideal) + " requests per lifetime: one per lifetime of use plus the "
                    + "overlap; the goal of 1 is met for the cold burst (any number of callers, one request). "
                    + "No connection may outlive its token: errors count any `ImapException` a caller saw.");
            report.row("P2 token traffic", "token requests: cold burst of " + threads + " / per token lifetime",
                    cold + " / " + Report.f2(perLifetime), peerCold + " (cold burst, MSAL)",
                    Report.x((double) peerCold / Math.max(1, cold)) + " fewer (cold burst)");
        }
    }

    private static void checkout(ImapConnectionFactory factory, AtomicLong operations, Map<String, AtomicLong> errors) {
        try (ImapConnection c = factory.getConnection()) {
            c.status("INBOX");
            operations.incrementAndGet();
        } catch (Exception e) {
            errors.computeIfAbsent(e.getClass().getSimpleName(), k -> new AtomicLong()).incrementAndGet();
        }
    }

    private static int handWrittenColdBurst(LocalM365 m365, int threads, Map<String, AtomicLong> errors)
            throws Exception {
        HandWritten.Tokens msal = HandWritten.msal(m365.authorityHost());
        ExecutorService callers = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<?>> all = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                all.add(callers.submit(() -> {
                    go.await();
                    IMAPStore store = HandWritten.connect(m365.imapHost(), m365.imapsPort(), msal.token());
                    try {
                        return HandWritten.status(store);
                    } finally {
                        HandWritten.closeQuietly(store);
                    }
                }));
            }
            go.countDown();
            for (Future<?> f : all) {
                try {
                    f.get(120, TimeUnit.SECONDS);
                } catch (java.util.concurrent.ExecutionException e) {
                    errors.computeIfAbsent(e.getCause().getClass().getSimpleName(),
                            k -> new AtomicLong()).incrementAndGet();
                }
            }
        } finally {
            callers.shutdownNow();
        }
        return m365.tokens().tokenRequestCount();
    }
}
