package org.imapra.bench;

import org.imapra.imap.ImapSessions;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.imapra.standin.LocalCertificates;

/**
 * P5: two child JVMs. The server ({@link P5ServerMain}, GreenMail via the stand-in, {@value #SERVER_HEAP}) holds the
 * messages; the consumer ({@link P5ConsumerMain}, {@value #CONSUMER_HEAP}, exits on OutOfMemoryError) receives them
 * through the adapter's inbound side and streams each attachment to SHA-256.
 */
final class P5Memory {

    static final String SERVER_HEAP = "-Xmx3g";
    static final String CONSUMER_HEAP = "-Xmx256m";

    private P5Memory() {
    }

    static void run(Scale scale, Report report, Path workDir) throws Exception {
        Path trustStore = workDir.resolve("p5-truststore.p12");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String cp = System.getProperty("java.class.path");
        Process server = new ProcessBuilder(java, SERVER_HEAP,
                "-D" + StandInNoDelay.WITH_NAGLE + "=" + !StandInNoDelay.enabled(), "-cp", cp, P5ServerMain.class.getName(),
                Integer.toString(scale.p5Messages), Integer.toString(scale.p5AttachmentMb), trustStore.toString())
                .redirectErrorStream(true).start();
        Map<String, String> result = new HashMap<>();
        String outcome;
        List<String> consumerTail = new ArrayList<>();
        int exit;
        double fillSeconds;
        try {
            BlockingQueue<String> serverLines = lines(server, "p5-server");
            long t0 = System.nanoTime();
            String ready = null;
            long fillLimit = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
            while (ready == null && System.nanoTime() < fillLimit) {
                String line = serverLines.poll(1, TimeUnit.SECONDS);
                if (line == null) {
                    if (!server.isAlive()) {
                        break;
                    }
                    continue;
                }
                if (line.startsWith("READY ")) {
                    ready = line;
                } else {
                    Bench.progress("P5 server: " + line);
                }
            }
            if (ready == null) {
                throw new IllegalStateException("the P5 server did not get ready (alive: " + server.isAlive() + ")");
            }
            fillSeconds = (System.nanoTime() - t0) / 1e9;
            String[] r = ready.split(" ");
            Process consumer = new ProcessBuilder(java, CONSUMER_HEAP, "-XX:+ExitOnOutOfMemoryError",
                    "-Djavax.net.ssl.trustStore=" + trustStore,
                    "-Djavax.net.ssl.trustStorePassword=" + LocalCertificates.JVM_TRUST_STORE_PASSWORD,
                    "-Djavax.net.ssl.trustStoreType=PKCS12",
                    "-cp", cp, P5ConsumerMain.class.getName(), r[1], r[2], r[3],
                    Integer.toString(scale.p5Messages), Integer.toString(scale.p5TimeLimitSeconds))
                    .redirectErrorStream(true).start();
            BlockingQueue<String> consumerLines = lines(consumer, "p5-consumer");
            long limit = System.nanoTime() + TimeUnit.SECONDS.toNanos(scale.p5TimeLimitSeconds + 60L);
            while (System.nanoTime() < limit && (consumer.isAlive() || !consumerLines.isEmpty())) {
                String line = consumerLines.poll(1, TimeUnit.SECONDS);
                if (line == null) {
                    continue;
                }
                if (line.startsWith("RESULT ")) {
                    for (String kv : line.substring(7).split(" ")) {
                        int eq = kv.indexOf('=');
                        result.put(kv.substring(0, eq), kv.substring(eq + 1));
                    }
                } else {
                    Bench.progress("P5 consumer: " + line);
                    consumerTail.add(line);
                    if (consumerTail.size() > 20) {
                        consumerTail.remove(0);
                    }
                }
            }
            if (consumer.isAlive()) {
                consumer.destroyForcibly();
            }
            consumer.waitFor(10, TimeUnit.SECONDS);
            exit = consumer.isAlive() ? -1 : consumer.exitValue();
        } finally {
            server.getOutputStream().close();
            if (!server.waitFor(10, TimeUnit.SECONDS)) {
                server.destroyForcibly();
            }
        }
        boolean oom = exit == 3 || consumerTail.stream().anyMatch(l -> l.contains("OutOfMemoryError"));
        if (oom) {
            outcome = "**OutOfMemoryError** (consumer exit " + exit + ")";
        } else if (result.isEmpty()) {
            outcome = "no result (consumer exit " + exit + "): " + String.join(" / ", consumerTail);
        } else {
            outcome = "no OutOfMemoryError" + ("true".equals(result.get("timedOut")) ? ", but the time limit of "
                    + scale.p5TimeLimitSeconds + " s was reached" : "");
        }
        String messages = result.getOrDefault("messages", "0");
        long bytes = Long.parseLong(result.getOrDefault("bytes", "0"));
        report.section("## P5 memory\n\n"
                + scale.p5Messages + " messages with a " + scale.p5AttachmentMb + " MB attachment each ("
                + size(scale.p5Messages * (long) scale.p5AttachmentMb) + " in all) are held by "
                + "GreenMail (the stand-in) in a separate JVM (" + SERVER_HEAP + ": GreenMail keeps every message in "
                + "its heap; the attachments are generated while GreenMail stores them; the consumer starts once "
                + P5ServerMain.READY_AFTER + " are in, after " + Report.f1(fillSeconds) + " s, the rest follow while it "
                + "runs). A second JVM with " + CONSUMER_HEAP + " and -XX:+ExitOnOutOfMemoryError runs the "
                + "adapter's inbound delivery (defaults: IDLE, 100 per batch, MARK_SEEN) to a listener that streams "
                + "every part through SHA-256. Peak heap: the sum of the heap pools' peak usage (`MemoryPoolMXBean`), "
                + "and the largest heap in use after a collection (GC notifications), i.e. what was live.\n\n"
                + Report.table(List.of("figure", "value"), List.of(
                List.of("outcome", outcome),
                List.of("messages consumed", messages + " of " + scale.p5Messages),
                List.of("attachment bytes streamed", Report.f1(bytes / (1024.0 * 1024)) + " MB"),
                List.of("distinct SHA-256 digests", result.getOrDefault("distinct", "?")),
                List.of("time", result.getOrDefault("seconds", "?") + " s"),
                List.of("**largest heap in use after a GC** (live data)", "**" + result.getOrDefault("peakAfterGcMb", "?")
                        + " MB**"),
                List.of("peak heap used (sum of the heap pools' peaks; G1 lets garbage fill the heap before "
                        + "collecting)", result.getOrDefault("peakUsedMb", "?") + " MB of "
                        + result.getOrDefault("maxHeapMb", "?") + " MB"),
                List.of("collector", result.getOrDefault("gc", "?")),
                List.of("failed deliveries", result.getOrDefault("failures", "?")
                        + ("0".equals(result.getOrDefault("interrupted", "0")) ? ""
                        : " (and " + result.get("interrupted") + " stopped mid-way by the time limit)"))))
                + (Integer.parseInt(messages) < scale.p5Messages ? "\nWhy the time limit was reached: GreenMail renders the whole "
                + "body part again for every partial FETCH (`FetchCommand.handleBodyFetch`: `writeTo`, a String of the "
                + "part, then a slice); the adapter fetches bodies in " + (ImapSessions.FETCH_SIZE_BYTES / 1024)
                + " KB slices. The peak heap is the figure that matters; every consumed message was streamed in full."
                : ""));
        report.row("P5 memory, " + CONSUMER_HEAP, "live heap after GC, peak (heap pools' peak); " + messages + " of "
                        + scale.p5Messages + " × " + scale.p5AttachmentMb + " MB consumed",
                result.getOrDefault("peakAfterGcMb", "?") + " MB (" + result.getOrDefault("peakUsedMb", "?")
                        + " MB); " + (oom ? "**OutOfMemoryError**" : "no OutOfMemoryError"), "—", "");
    }

    private static String size(long mb) {
        return mb >= 1024 ? Report.f1(mb / 1024.0) + " GB" : mb + " MB";
    }

    /** The process's output lines, read by a daemon thread. */
    private static BlockingQueue<String> lines(Process p, String name) {
        BlockingQueue<String> q = new ArrayBlockingQueue<>(10_000);
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    q.offer(line);
                }
            } catch (java.io.IOException e) {
                // process gone
            }
        }, name + "-output");
        t.setDaemon(true);
        t.start();
        return q;
    }
}
