package org.imapra.reliability;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.imapra.standin.EntraTokenEndpoint;

/**
 * Random faults on a thread of its own, one every 0.7 to 2.5 s, from a menu of IMAP faults (through the IMAP
 * {@link FaultProxy} and the stand-in's BYE) and token endpoint faults (the stand-in's knobs and the token proxy).
 * Seeded ({@code -Dreliability.seed=N} to replay a run). {@link #stop()} ends it and clears every fault.
 */
final class FaultInjector implements AutoCloseable {

    static final List<String> MENU = List.of("imap-drop-all", "imap-drop-mid-response", "imap-drop-next-command",
            "imap-drop-after-command", "imap-stall", "imap-restart", "imap-bye", "imap-corrupt", "token-503",
            "token-500", "token-slow", "token-hang", "token-drop");

    final long seed;
    private final Random random;
    private final Map<String, AtomicInteger> injected = new ConcurrentHashMap<>();
    private final Thread thread;
    private volatile boolean running = true;

    FaultInjector() {
        seed = Long.getLong("reliability.seed", System.currentTimeMillis());
        random = new Random(seed);
        thread = new Thread(this::run, "fault-injector");
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        FaultProxy imap = Rig.imapProxy();
        FaultProxy token = Rig.tokenProxy();
        EntraTokenEndpoint endpoint = Rig.m365().tokens();
        try {
            while (running) {
                sleep(700 + random.nextInt(1_800));
                if (!running) {
                    break;
                }
                String fault = MENU.get(random.nextInt(MENU.size()));
                injected.computeIfAbsent(fault, k -> new AtomicInteger()).incrementAndGet();
                if (Boolean.getBoolean("reliability.trace")) {
                    System.out.println("TRACE " + java.time.LocalTime.now() + " FAULT " + fault);
                }
                switch (fault) {
                    case "imap-drop-all" -> imap.dropAll();
                    case "imap-drop-mid-response" -> imap.dropAfterServerBytes(100 + random.nextInt(40_000));
                    case "imap-drop-next-command" -> imap.dropOnNextClientBytes(false);
                    case "imap-drop-after-command" -> imap.dropOnNextClientBytes(true);
                    case "imap-stall" -> {
                        imap.blackhole();
                        sleep(300 + random.nextInt(2_200));
                        imap.pass();
                    }
                    case "imap-restart" -> imap.restart(Duration.ofMillis(500 + random.nextInt(2_500)));
                    case "imap-bye" -> Rig.m365().mailServer().invalidateAllSessions();
                    case "imap-corrupt" -> imap.corruptNextServerBytes();
                    case "token-503" -> endpoint.failNext(1 + random.nextInt(3), 503);
                    case "token-500" -> endpoint.failNext(1, 500);
                    case "token-slow" -> {
                        endpoint.delayMillis(Rig.READ_TIMEOUT + 1_000L);
                        sleep(1_000 + random.nextInt(2_000));
                        endpoint.delayMillis(0);
                    }
                    case "token-hang" -> {
                        token.blackhole();
                        sleep(1_000 + random.nextInt(2_000));
                        token.pass();
                    }
                    case "token-drop" -> token.dropAll();
                    default -> throw new IllegalStateException(fault);
                }
            }
        } finally {
            clear();
        }
    }

    private static void clear() {
        Rig.imapProxy().pass();
        Rig.tokenProxy().pass();
        Rig.m365().tokens().failNext(0, 503);
        Rig.m365().tokens().delayMillis(0);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Faults injected so far, by kind. */
    Map<String, Integer> injected() {
        Map<String, Integer> out = new TreeMap<>();
        injected.forEach((k, v) -> out.put(k, v.get()));
        return out;
    }

    int total() {
        return injected.values().stream().mapToInt(AtomicInteger::get).sum();
    }

    /** Ends the faults (waits for a transient one to end) and clears every knob. */
    void stop() throws InterruptedException {
        running = false;
        thread.interrupt();
        thread.join(10_000);
        clear();
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }
}
