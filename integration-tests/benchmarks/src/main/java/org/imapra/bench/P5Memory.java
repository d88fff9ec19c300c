package org.imapra.bench;

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

    /** One server's outcome. */
    private record Outcome(String server, Map<String, String> result, String outcome, boolean oom, String setUp) {
    }

    static void run(Scale scale, Report report, Path workDir, List<BenchServer> servers) throws Exception {
        List<Outcome> outcomes = new ArrayList<>();
        for (BenchServer server : servers) {
            outcomes.add(server.name().equals("greenmail") ? greenMail(scale, workDir) : dovecot(scale, workDir, server));
        }
        List<String> header = new ArrayList<>(List.of("figure"));
        outcomes.forEach(o -> header.add(o.server()));
        List<List<String>> rows = new ArrayList<>();
        rows.add(row("outcome", outcomes, o -> o.outcome()));
        rows.add(row("messages consumed", outcomes, o -> o.result().getOrDefault("messages", "0") + " of "
                + scale.p5Messages));
        rows.add(row("attachment bytes streamed", outcomes, o -> Report.f1(Long.parseLong(
                o.result().getOrDefault("bytes", "0")) / (1024.0 * 1024)) + " MB"));
        rows.add(row("distinct SHA-256 digests", outcomes, o -> o.result().getOrDefault("distinct", "?")));
        rows.add(row("time", outcomes, o -> o.result().getOrDefault("seconds", "?") + " s"));
        rows.add(row("**largest heap in use after a GC** (live data)", outcomes, o -> "**"
                + o.result().getOrDefault("peakAfterGcMb", "?") + " MB**"));
        rows.add(row("peak heap used (sum of the heap pools' peaks; G1 lets garbage fill the heap before "
                + "collecting)", outcomes, o -> o.result().getOrDefault("peakUsedMb", "?") + " MB of "
                + o.result().getOrDefault("maxHeapMb", "?") + " MB"));
        rows.add(row("collector", outcomes, o -> o.result().getOrDefault("gc", "?")));
        rows.add(row("failed deliveries", outcomes, o -> o.result().getOrDefault("failures", "?")
                + ("0".equals(o.result().getOrDefault("interrupted", "0")) ? ""
                : " (and " + o.result().get("interrupted") + " stopped mid-way by the time limit)")));
        StringBuilder setUps = new StringBuilder();
        outcomes.forEach(o -> setUps.append("- ").append(o.server()).append(": ").append(o.setUp()).append('\n'));
        report.section("## P5 memory\n\n"
                + scale.p5Messages + " messages with a " + scale.p5AttachmentMb + " MB attachment each ("
                + size(scale.p5Messages * (long) scale.p5AttachmentMb) + " in all). A JVM with " + CONSUMER_HEAP
                + " and -XX:+ExitOnOutOfMemoryError runs the adapter's inbound delivery (defaults: IDLE, 100 per "
                + "batch, MARK_SEEN) to a listener that streams every part through SHA-256. Peak heap: the sum of "
                + "the heap pools' peak usage (`MemoryPoolMXBean`), and the largest heap in use after a collection "
                + "(GC notifications), i.e. what was live.\n\n" + setUps + "\n"
                + Report.table(header, rows));
        for (Outcome o : outcomes) {
            report.row("P5 memory, " + CONSUMER_HEAP + ", " + o.server(), "live heap after GC, peak (heap pools' "
                            + "peak); " + o.result().getOrDefault("messages", "0") + " of " + scale.p5Messages + " × "
                            + scale.p5AttachmentMb + " MB consumed",
                    o.result().getOrDefault("peakAfterGcMb", "?") + " MB (" + o.result().getOrDefault("peakUsedMb", "?")
                            + " MB); " + (o.oom() ? "**OutOfMemoryError**" : "no OutOfMemoryError"), "—", "");
        }
    }

    private static List<String> row(String figure, List<Outcome> outcomes,
                                    java.util.function.Function<Outcome, String> value) {
        List<String> r = new ArrayList<>(List.of(figure));
        outcomes.forEach(o -> r.add(value.apply(o)));
        return r;
    }

    /** Dovecot: the Maildir filled first (in this JVM, not timed), then the consumer. */
    private static Outcome dovecot(Scale scale, Path workDir, BenchServer server) throws Exception {
        server.purge();
        long t0 = System.nanoTime();
        server.fill(Bench.MAILBOX, scale.p5Messages, i -> {
            try {
                return Mails.withStreamedAttachment("P5 " + (i + 1), scale.p5AttachmentMb * 1024L * 1024L, i + 1);
            } catch (jakarta.mail.MessagingException e) {
                throw new IllegalStateException(e);
            }
        });
        double fillSeconds = (System.nanoTime() - t0) / 1e9;
        Bench.progress("P5 Dovecot: " + scale.p5Messages + " messages written to the Maildir in "
                + Report.f1(fillSeconds) + " s");
        Path trustStore = workDir.resolve("p5-dovecot-truststore.p12");
        server.m365.certificates().writeTrustStore(trustStore,
                LocalCertificates.JVM_TRUST_STORE_PASSWORD.toCharArray());
        try {
            return consume(scale, "Dovecot", trustStore, server.authorityHost(), server.imapHost(),
                    server.imapsPort(), "Dovecot's Maildir holds every message before the consumer starts (written in "
                            + Report.f1(fillSeconds) + " s, not timed)");
        } finally {
            server.purge();
        }
    }

    /** GreenMail in a JVM of its own, filling while the consumer runs. */
    private static Outcome greenMail(Scale scale, Path workDir) throws Exception {
        Path trustStore = workDir.resolve("p5-truststore.p12");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String cp = System.getProperty("java.class.path");
        Process server = new ProcessBuilder(java, SERVER_HEAP,
                "-D" + StandInNoDelay.WITH_NAGLE + "=" + !StandInNoDelay.enabled(), "-cp", cp, P5ServerMain.class.getName(),
                Integer.toString(scale.p5Messages), Integer.toString(scale.p5AttachmentMb), trustStore.toString())
                .redirectErrorStream(true).start();
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
            double fillSeconds = (System.nanoTime() - t0) / 1e9;
            String[] r = ready.split(" ");
            return consume(scale, "GreenMail", trustStore, r[1], r[2], Integer.parseInt(r[3]), "GreenMail (the "
                    + "stand-in) in a separate JVM (" + SERVER_HEAP + ": GreenMail keeps every message in its heap; "
                    + "the attachments are generated while GreenMail stores them; the consumer starts once "
                    + P5ServerMain.READY_AFTER + " are in, after " + Report.f1(fillSeconds) + " s, the rest follow "
                    + "while it runs)");
        } finally {
            server.getOutputStream().close();
            if (!server.waitFor(10, TimeUnit.SECONDS)) {
                server.destroyForcibly();
            }
        }
    }

    private static Outcome consume(Scale scale, String serverTitle, Path trustStore, String authorityHost,
                                   String imapHost, int port, String setUp) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String cp = System.getProperty("java.class.path");
        Map<String, String> result = new HashMap<>();
        List<String> consumerTail = new ArrayList<>();
        Process consumer = new ProcessBuilder(java, CONSUMER_HEAP, "-XX:+ExitOnOutOfMemoryError",
                "-Djavax.net.ssl.trustStore=" + trustStore,
                "-Djavax.net.ssl.trustStorePassword=" + LocalCertificates.JVM_TRUST_STORE_PASSWORD,
                "-Djavax.net.ssl.trustStoreType=PKCS12",
                "-cp", cp, P5ConsumerMain.class.getName(), authorityHost, imapHost, Integer.toString(port),
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
                Bench.progress("P5 consumer (" + serverTitle + "): " + line);
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
        int exit = consumer.isAlive() ? -1 : consumer.exitValue();
        boolean oom = exit == 3 || consumerTail.stream().anyMatch(l -> l.contains("OutOfMemoryError"));
        String outcome;
        if (oom) {
            outcome = "**OutOfMemoryError** (consumer exit " + exit + ")";
        } else if (result.isEmpty()) {
            outcome = "no result (consumer exit " + exit + "): " + String.join(" / ", consumerTail);
        } else {
            outcome = "no OutOfMemoryError" + ("true".equals(result.get("timedOut")) ? ", but the time limit of "
                    + scale.p5TimeLimitSeconds + " s was reached" : "");
        }
        return new Outcome(serverTitle, result, outcome, oom, setUp);
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
