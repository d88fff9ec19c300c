package org.imapra.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import org.imapra.standin.LocalM365;

/**
 * Runs the benchmarks and writes the report.
 *
 * <pre>
 * java -jar integration-tests/benchmarks/target/imapra-benchmarks.jar [--quick] [--only P1,P1C,P3] [--out FILE | --no-write]
 * </pre>
 *
 * <p>Default: every measure at the scale, the report to {@code docs/benchmarks.md} (relative to the current
 * directory: run it from the repository root). {@code --quick} scales everything down for a check of the harness.
 * P1C is P1 inside Payara Micro, through an EJB ({@link P1InContainer}).
 */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) throws Exception {
        Scale scale = Scale.full();
        String p5 = null;
        Integer p5Limit = null;
        Set<String> only = new LinkedHashSet<>(Arrays.asList("P1", "P1C", "P2", "P3", "P4", "P5"));
        Path out = Path.of("docs", "benchmarks.md");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--quick" -> scale = Scale.quick();
                case "--only" -> only = new LinkedHashSet<>(Arrays.asList(args[++i].toUpperCase(Locale.ROOT)
                        .split(",")));
                case "--out" -> out = Path.of(args[++i]);
                case "--no-write" -> out = null;
                case "--p5" -> p5 = args[++i];
                case "--p5-limit" -> p5Limit = Integer.valueOf(args[++i]);
                case "--with-nagle" -> System.setProperty(StandInNoDelay.WITH_NAGLE, "true");
                case "--help", "-h" -> {
                    System.out.println("usage: java -jar imapra-benchmarks.jar [--quick] [--only P1,P1C,P2,P3,P4,P5] "
                            + "[--out docs/benchmarks.md | --no-write] [--p5 40x25] [--p5-limit 120] [--with-nagle]");
                    return;
                }
                default -> throw new IllegalArgumentException("unknown option " + args[i] + " (see --help)");
            }
        }
        if (p5 != null) {
            scale.p5(p5);
        }
        if (p5Limit != null) {
            scale.p5TimeLimitSeconds = p5Limit;
        }
        run(scale, only, out);
    }

    private static void run(Scale scale, Set<String> only, Path out) throws Exception {
        Bench.init();
        String started = OffsetDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'"));
        String loadBefore = Env.loadAverage();
        System.out.println("imapra benchmarks, " + scale.describe());
        System.out.println("machine: " + Env.machine() + "; load average " + loadBefore);
        System.out.println("versions: " + Env.versions());
        long t0 = System.nanoTime();
        Path work = Bench.tempDir("imapra-bench");
        Report report = new Report();
        try {
            double[] standaloneMean = {Double.NaN};
            if (only.contains("P1")) {
                measure("P1", report, () -> standaloneMean[0] = P1Checkout.run(scale, report));
            }
            if (only.contains("P1C")) {
                measure("P1C", report, () -> P1InContainer.run(scale, report, work, standaloneMean[0]));
            }
            if (only.contains("P2")) {
                measure("P2", report, () -> P2TokenTraffic.run(scale, report));
            }
            if (only.contains("P3") || only.contains("P4")) {
                LocalM365 m365 = Bench.startStandIn();
                try {
                    if (only.contains("P3")) {
                        measure("P3", report, () -> P3Inbound.run(scale, report, m365));
                    }
                    if (only.contains("P4")) {
                        measure("P4", report, () -> P4IdleLatency.run(scale, report, m365));
                    }
                } finally {
                    m365.close();
                }
            }
            if (only.contains("P5")) {
                measure("P5", report, () -> P5Memory.run(scale, report, work));
            }
        } finally {
            Bench.deleteTree(work);
        }
        double minutes = (System.nanoTime() - t0) / 60e9;
        String markdown = markdown(report, scale, started, loadBefore, Env.loadAverage(), minutes, only);
        System.out.println();
        System.out.println(markdown);
        if (out != null) {
            write(out, markdown);
            System.out.println("written to " + out.toAbsolutePath().normalize());
        }
        System.exit(0); // stand-in and MSAL threads
    }

    private interface Measure {
        void run() throws Exception;
    }

    private static void measure(String name, Report report, Measure m) {
        long t0 = System.nanoTime();
        System.out.println(name + " ...");
        try {
            m.run();
        } catch (Exception | Error e) {
            e.printStackTrace();
            report.row(name, "**failed**", e.toString().replace('|', '/'), "", "");
        }
        System.out.println(name + " took " + Report.f1((System.nanoTime() - t0) / 1e9) + " s");
    }

    private static String markdown(Report report, Scale scale, String started, String loadBefore, String loadAfter,
                                    double minutes, Set<String> only) {
        return "# imapra benchmarks\n\n"
                + "Generated by `integration-tests/benchmarks` (`java -jar "
                + "integration-tests/benchmarks/target/imapra-benchmarks.jar" + (scale.name.equals("quick")
                ? " --quick" : "") + "`); do not edit by hand.\n\n"
                + "- **date**: " + started + "\n"
                + "- **machine**: " + Env.machine() + "\n"
                + "- **load average** (other work on the machine): " + loadBefore + " at the start, " + loadAfter
                + " at the end\n"
                + "- **versions**: " + Env.versions() + "\n"
                + "- **scale**: " + scale.describe() + "; measures run: " + String.join(", ", only) + "; "
                + Report.f1(minutes) + " min in all\n"
                + "- everything runs on loopback against the local Microsoft 365 stand-in (HTTPS token endpoint "
                + "issuing signed tokens, GreenMail IMAPS over TLS validating XOAUTH2 tokens); imapra and its "
                + "hand-written peers run in the same run against the same server. Absolute figures depend on the "
                + "machine and on what else runs on it: compare the ratios.\n"
                + "- " + (StandInNoDelay.enabled() ? "TCP_NODELAY is set on the stand-in's IMAPS and token endpoint "
                + "connections by the harness (GreenMail flushes every response line; with Nagle's algorithm on, each "
                + "command with an untagged response would wait ~40 ms for a delayed ACK, which would measure the "
                + "stand-in, not the clients)" : "measured with the stand-in as it is (`--with-nagle`): Nagle's "
                + "algorithm on, so most IMAP commands wait ~40 ms for a delayed ACK") + ".\n\n"
                + "## Summary\n\n" + report.summaryTable() + "\n" + report.sections();
    }

    private static void write(Path out, String markdown) throws IOException {
        if (out.getParent() != null) {
            Files.createDirectories(out.getParent());
        }
        Files.writeString(out, markdown, StandardCharsets.UTF_8);
    }
}
