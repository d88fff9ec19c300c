package org.imapra.bench;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;
import org.imapra.ImapResourceAdapter;
import org.imapra.api.MailListener;
import org.imapra.inbound.ImapActivationSpec;
import org.imapra.testsupport.ThreadWorkManager;

/**
 * P5's consumer, run by the parent in a JVM with {@code -Xmx256m -XX:+ExitOnOutOfMemoryError} and a trust store for
 * the server JVM's stand-in CA: the resource adapter's inbound delivery to a listener that streams every part of each
 * message (the attachment) through SHA-256. Prints one line
 * {@code RESULT messages=... bytes=... seconds=... peakUsedMb=... peakAfterGcMb=... maxHeapMb=... failures=...}.
 * Peak heap: the sum of the heap pools' peak usage (MemoryPoolMXBean), and the largest heap after a collection (from
 * the GC notifications: the live data).
 */
public final class P5ConsumerMain {

    private static final AtomicLong PEAK_AFTER_GC = new AtomicLong();

    private P5ConsumerMain() {
    }

    public static void main(String[] args) throws Exception {
        String authorityHost = args[0];
        String imapHost = args[1];
        int port = Integer.parseInt(args[2]);
        int messages = Integer.parseInt(args[3]);
        long limitMillis = Long.parseLong(args[4]) * 1000L;
        Bench.init();
        watchCollections();

        AtomicInteger delivered = new AtomicInteger();
        AtomicInteger failures = new AtomicInteger();
        AtomicInteger interrupted = new AtomicInteger();
        java.util.concurrent.atomic.AtomicBoolean stopping = new java.util.concurrent.atomic.AtomicBoolean();
        AtomicLong bytes = new AtomicLong();
        Set<String> digests = java.util.concurrent.ConcurrentHashMap.newKeySet();
        MailListener listener = m -> {
            try {
                MessageDigest sha = MessageDigest.getInstance("SHA-256");
                bytes.addAndGet(Mails.consume(m, sha));
                digests.add(HexFormat.of().formatHex(sha.digest()));
                int n = delivered.incrementAndGet();
                if (n % 5 == 0 || n == messages) {
                    System.out.println("consumed " + n + " of " + messages + ", heap used now "
                            + usedMb() + " MB");
                }
            } catch (Exception e) {
                (stopping.get() ? interrupted : failures).incrementAndGet();
                throw new IllegalStateException("could not read the message: " + e, e);
            }
        };
        Path store = Bench.tempDir("imapra-bench-store");
        ThreadWorkManager ctx = new ThreadWorkManager("bench-work");
        ImapResourceAdapter ra = new ImapResourceAdapter();
        ra.setStoreDirectory(store.toString());
        ra.start(ctx);
        ListenerEndpoints endpoints = new ListenerEndpoints(listener);
        ImapActivationSpec spec = Bench.spec(authorityHost, imapHost, port);
        spec.setResourceAdapter(ra);
        long t0 = System.nanoTime();
        long deadline = t0 + limitMillis * 1_000_000L;
        boolean timedOut = false;
        try {
            ra.endpointActivation(endpoints, spec);
            while (delivered.get() < messages) {
                if (System.nanoTime() > deadline) {
                    timedOut = true;
                    break;
                }
                Thread.sleep(20);
            }
        } finally {
            stopping.set(true); // a message being read when the time limit stops the activation is not a failure
            ra.endpointDeactivation(endpoints, spec);
            ra.stop();
            ctx.close();
            Bench.deleteTree(store);
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        long poolPeaks = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP && pool.getPeakUsage() != null) {
                poolPeaks += pool.getPeakUsage().getUsed();
            }
        }
        System.out.println("RESULT messages=" + delivered.get() + " bytes=" + bytes.get() + " seconds="
                + String.format(java.util.Locale.ROOT, "%.1f", seconds) + " peakUsedMb=" + poolPeaks / (1024 * 1024)
                + " peakAfterGcMb=" + PEAK_AFTER_GC.get() / (1024 * 1024) + " maxHeapMb="
                + Runtime.getRuntime().maxMemory() / (1024 * 1024) + " failures=" + failures.get() + " interrupted=" + interrupted.get() + " distinct="
                + digests.size() + " timedOut=" + timedOut + " gc="
                + ManagementFactory.getGarbageCollectorMXBeans().stream().map(GarbageCollectorMXBean::getName)
                .collect(Collectors.joining("+")).replace(' ', '_'));
        System.exit(0);
    }

    private static long usedMb() {
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / (1024 * 1024);
    }

    /** Records the heap in use after every collection (the live data), from the GC notifications. */
    private static void watchCollections() {
        Set<String> heapPools = ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(p -> p.getType() == MemoryType.HEAP).map(MemoryPoolMXBean::getName)
                .collect(Collectors.toSet());
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (gc instanceof NotificationEmitter emitter) {
                emitter.addNotificationListener((n, h) -> {
                    if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(n.getType())) {
                        return;
                    }
                    GarbageCollectionNotificationInfo info =
                            GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData());
                    long after = 0;
                    for (var e : info.getGcInfo().getMemoryUsageAfterGc().entrySet()) {
                        if (heapPools.contains(e.getKey())) {
                            MemoryUsage u = e.getValue();
                            after += u.getUsed();
                        }
                    }
                    PEAK_AFTER_GC.accumulateAndGet(after, Math::max);
                }, null, null);
            }
        }
    }
}
