package org.imapra.reliability;

import static org.imapra.reliability.Rig.millisSince;
import static org.imapra.reliability.Rig.subjects;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import org.imapra.testsupport.ThreadWorkManager;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.imapra.ImapResourceAdapter;
import org.imapra.inbound.ImapActivationSpec;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * Inbound delivery over a run with random IMAP and token faults: a sender puts mail into the mailbox at about 20
 * messages a second, the fault injector strikes every 0.7 to 2.5 s, the MDB fails now and then (2 %), and at the end
 * every message must have been delivered and acknowledged (moved to Processed), none acknowledged without delivery.
 * Quick: 30 s; soak: {@code -Dsoak=true -Dsoak.seconds=N}.
 */
@Order(50)
@DisplayName("Inbound delivery under random faults")
class InboundRandomFaultsTest {

    @Test
    @DisplayName("inbound with random faults: sent, delivered, acknowledged, duplicates, lost")
    void randomFaults() throws Exception {
        int seconds = Rig.seconds(30);
        Rig.reset();
        Rig.m365().tokens().tokenLifetimeSeconds(20); // a token refresh and a reconnect every ~17 s: token faults bite
        AtomicInteger lostConnections = new AtomicInteger();
        AtomicInteger tokenFailures = new AtomicInteger();
        Handler counter = new Handler() {
            @Override
            public void publish(LogRecord r) {
                String m = r.getMessage();
                if (Boolean.getBoolean("reliability.trace") && r.getLevel().intValue() >= Level.INFO.intValue()) {
                    System.out.println("TRACE " + java.time.LocalTime.now() + " " + r.getLevel() + " " + m);
                }
                if (r.getLevel() == Level.WARNING && m != null && m.contains("was lost")) {
                    lostConnections.incrementAndGet();
                } else if (r.getLevel() == Level.WARNING && m != null && m.startsWith("No token")) {
                    tokenFailures.incrementAndGet();
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger.getLogger("org.imapra").addHandler(counter);
        ThreadWorkManager ctx = new ThreadWorkManager("reliability-work", Evidence::exception);
        ImapResourceAdapter ra = Rig.adapter(ctx);
        ImapActivationSpec spec = Rig.spec(ra);
        spec.setAfterDelivery("MOVE");
        spec.setMoveTo("Processed");
        spec.setMaxMessagesPerBatch(20);
        spec.setIdleRenewSeconds(3); // a stalled IDLE is noticed within 3 s + the read timeout
        Endpoints endpoints = new Endpoints();
        AtomicInteger beanFailures = new AtomicInteger();
        endpoints.bean((m, s, o) -> {
            if (ThreadLocalRandom.current().nextInt(100) < 2) {
                beanFailures.incrementAndGet();
                throw new IllegalStateException("random MDB failure (rolled back)");
            }
        });
        List<String> sent = new ArrayList<>();
        java.util.Map<String, Long> sentAt = new java.util.concurrent.ConcurrentHashMap<>();
        long t0 = System.nanoTime();
        ra.endpointActivation(endpoints, spec);
        FaultInjector faults = new FaultInjector();
        if (Boolean.getBoolean("reliability.trace")) { // where the watcher is, every 2 s
            Thread dumper = new Thread(() -> {
                while (!Thread.currentThread().isInterrupted()) {
                    try {
                        Thread.sleep(2_000);
                    } catch (InterruptedException e) {
                        return;
                    }
                    Thread.getAllStackTraces().forEach((t, st) -> {
                        if (t.getName().startsWith("reliability-work")) {
                            StringBuilder sb = new StringBuilder("TRACE " + java.time.LocalTime.now() + " STACK "
                                    + t.getName() + " delivered=" + endpoints.received.size());
                            for (int k = 0; k < Math.min(14, st.length); k++) {
                                sb.append("\n    at ").append(st[k]);
                            }
                            System.out.println(sb);
                        }
                    });
                }
            }, "trace-dumper");
            dumper.setDaemon(true);
            dumper.start();
        }
        long drainMs;
        try {
            long end = System.nanoTime() + seconds * 1_000_000_000L;
            for (int i = 1; System.nanoTime() < end; i++) {
                String s = String.format("rf %06d", i);
                sentAt.put(s, System.nanoTime());
                Rig.deliver(s);
                sent.add(s);
                Thread.sleep(50);
            }
        } finally {
            faults.stop();
        }
        long drain0 = System.nanoTime();
        try {
            boolean drained = Rig.within(Duration.ofSeconds(90), () -> Rig.count("INBOX") == 0
                    && Rig.count("Processed") >= sent.size());
            drainMs = millisSince(drain0);
            ra.endpointDeactivation(endpoints, spec);
            if (!drained) {
                System.out.println("RELIABILITY inbound not drained after 90 s: INBOX " + subjects("INBOX").size());
            }
        } finally {
            ra.stop();
            Logger.getLogger("org.imapra").removeHandler(counter);
            Rig.m365().tokens().tokenLifetimeSeconds(3599);
        }
        Set<String> delivered = new HashSet<>(endpoints.subjects());
        List<String> processed = subjects("Processed");
        List<String> ackWithoutDelivery = new ArrayList<>(processed);
        ackWithoutDelivery.removeAll(delivered);
        List<String> lost = new ArrayList<>(sent);
        lost.removeAll(delivered);
        List<String> leftInInbox = subjects("INBOX");
        List<Long> latencies = new ArrayList<>();
        endpoints.deliveredAt().forEach((subject, at) -> {
            Long from = sentAt.get(subject);
            if (from != null) {
                latencies.add((at - from) / 1_000_000);
            }
        });
        java.util.Collections.sort(latencies);
        long p50 = latencies.isEmpty() ? 0 : latencies.get(latencies.size() / 2);
        long p99 = latencies.isEmpty() ? 0 : latencies.get(Math.min(latencies.size() - 1, latencies.size() * 99 / 100));
        long max = latencies.isEmpty() ? 0 : latencies.get(latencies.size() - 1);
        Figures.record("inbound-random-faults", "duplicates: none expected, since the activation never ended "
                        + "(acknowledgements of delivered messages are kept across reconnects and nothing pending is "
                        + "delivered again); a duplicate needs the activation to end between onMessage and the "
                        + "acknowledgement (crash, undeploy past the grace, UIDVALIDITY change), see README",
                "seconds", seconds, "sent", sent.size(), "delivered", delivered.size(), "acknowledged",
                processed.size(), "duplicates", endpoints.duplicates(), "lost", lost.size(), "ackWithoutDelivery",
                ackWithoutDelivery.size(), "leftInInbox", leftInInbox.size(), "mdbFailuresRetried",
                beanFailures.get(), "faults", faults.total(), "connectionsLost", lostConnections.get(),
                "tokenFailures", tokenFailures.get(), "tokenRequests", Rig.m365().tokens().tokenRequestCount(),
                "latencyMsP50", p50, "latencyMsP99", p99, "latencyMsMax", max, "drainMs", drainMs,
                "seed", faults.seed);
        Figures.record("inbound-random-faults/injected", null, "faults", faults.injected());
        System.out.println("RELIABILITY inbound run took " + millisSince(t0) + " ms");
        assertTrue(ctx.awaitNoLiveThreads(Duration.ofSeconds(6)), "Work threads alive: " + ctx.liveThreads());
        assertEquals(List.of(), lost.size() > 20 ? lost.subList(0, 20) : lost, "lost messages");
        assertEquals(List.of(), ackWithoutDelivery, "acknowledged without delivery");
        assertEquals(List.of(), leftInInbox, "left unacknowledged in INBOX");
        assertEquals(List.of(), ctx.failures(), "exceptions escaping a Work");
        assertTrue(faults.total() >= seconds / 3, "faults injected: " + faults.total());
    }
}
