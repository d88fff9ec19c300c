package org.imapra.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
        Set<String> only = new LinkedHashSet<>(Arrays.asList("P1", "P1C", "P2", "P3", "BACKLOG", "P4", "P5"));
        List<String> servers = BenchServer.names("both");
        Path out = Path.of("docs", "benchmarks.md");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--quick" -> scale = Scale.quick();
                case "--only" -> only = new LinkedHashSet<>(Arrays.asList(args[++i].toUpperCase(Locale.ROOT)
                        .split(",")));
                case "--out" -> out = Path.of(args[++i]);
                case "--server" -> servers = BenchServer.names(args[++i]);
                case "--no-write" -> out = null;
                case "--p5" -> p5 = args[++i];
                case "--p5-limit" -> p5Limit = Integer.valueOf(args[++i]);
                case "--with-nagle" -> System.setProperty(StandInNoDelay.WITH_NAGLE, "true");
                case "--help", "-h" -> {
                    System.out.println("usage: java -jar imapra-benchmarks.jar [--quick] [--server dovecot|greenmail|both] "
                            + "[--only P1,P1C,P2,P3,BACKLOG,P4,P5] "
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
        run(scale, only, out, servers);
    }

    private static void run(Scale scale, Set<String> only, Path out, List<String> serverNames) throws Exception {
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
            Map<String, Double> standaloneMeans = new HashMap<>();
            if (only.contains("P1")) {
                measure("P1", report, () -> standaloneMeans.putAll(P1Checkout.run(scale, report, serverNames)));
            }
            if (only.contains("P2")) {
                measure("P2", report, () -> P2TokenTraffic.run(scale, report));
            }
            LocalM365 m365 = Bench.startStandIn();
            List<BenchServer> servers = BenchServer.startAll(serverNames, m365);
            P3Inbound.Results p3 = new P3Inbound.Results();
            try {
                if (only.contains("P3")) {
                    for (BenchServer server : servers) {
                        measure("P3 " + server.title(), report, () -> P3Inbound.run(scale, server, p3));
                    }
                }
                boolean mdb = only.contains("P3") || only.contains("MDB");
                if (only.contains("P1C") || mdb) {
                    measure("P1C + P3 MDB", report, () -> P1InContainer.run(scale, report, work, standaloneMeans,
                            servers, m365, p3, only.contains("P1C"), mdb));
                }
                if (mdb) {
                    measure("P3 MDB with the provider option", report, () -> P1InContainer.run(scale, report, work,
                            standaloneMeans, servers, m365, p3, false, true, P3Inbound.MdbVariant.PROVIDER));
                }
                if (mdb) {
                    P3Inbound.report(scale, p3, servers.stream().map(BenchServer::title).toList(), report);
                }
                if (only.contains("BACKLOG")) {
                    for (BenchServer server : servers) {
                        if (server.round() == Integer.MAX_VALUE) {
                            measure("backlog " + server.title(), report, () -> Backlog.run(scale, report, server));
                        }
                    }
                }
                if (only.contains("P4")) {
                    measure("P4", report, () -> P4IdleLatency.run(scale, report, servers));
                }
                if (only.contains("P5")) {
                    measure("P5", report, () -> P5Memory.run(scale, report, work, servers));
                }
            } finally {
                servers.forEach(BenchServer::close);
                m365.close();
            }
        } finally {
            Bench.deleteTree(work);
        }
        double minutes = (System.nanoTime() - t0) / 60e9;
        String markdown = markdown(report, scale, started, loadBefore, Env.loadAverage(), minutes, only, serverNames);
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
                                    double minutes, Set<String> only, List<String> servers) {
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
                + "- **servers**: " + String.join(", ", servers) + " (`--server dovecot|greenmail|both`). Everything runs "
                + "on loopback against the local Microsoft 365 stand-in's HTTPS token endpoint issuing signed tokens, "
                + "and two IMAP servers over TLS validating the XOAUTH2 tokens: Dovecot " + Env.dovecot()
                + " (a private instance: oauth2 passdb validating the token locally against the stand-in's signing "
                + "key; its rawlog on, to count commands) and GreenMail (the stand-in's own). imapra and its "
                + "hand-written peers run in the same run against the same server. Absolute figures depend on the "
                + "machine and on what else runs on it (the load average above; other engineers' builds ran on the "
                + "same 2 cores): compare the ratios within one server.\n"
                + "- " + (StandInNoDelay.enabled() ? "GreenMail: TCP_NODELAY is set on the stand-in's IMAPS and token endpoint "
                + "connections by the harness (GreenMail flushes every response line; with Nagle's algorithm on, each "
                + "command with an untagged response would wait ~40 ms for a delayed ACK, which would measure the "
                + "stand-in, not the clients)" : "measured with the stand-in as it is (`--with-nagle`): Nagle's "
                + "algorithm on, so most IMAP commands wait ~40 ms for a delayed ACK") + ".\n\n"
                + "## Summary\n\n" + report.summaryTable() + "\n" + report.goalsSection() + report.sections();
    }

    private static void write(Path out, String markdown) throws IOException {
        if (out.getParent() != null) {
            Files.createDirectories(out.getParent());
        }
        Files.writeString(out, markdown, StandardCharsets.UTF_8);
    }
}
