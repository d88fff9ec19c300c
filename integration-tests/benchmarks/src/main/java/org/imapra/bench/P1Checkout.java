package org.imapra.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.util.Statistics;

/** P1 through JMH's Runner API: one fork per benchmark method, short warm-up and measurement. */
final class P1Checkout {

    private P1Checkout() {
    }

    /** Runs the JMH benchmarks and reports them; returns the mean of imapra's pooled checkout in microseconds. */
    static Map<String, Double> run(Scale scale, Report report, List<String> servers) throws Exception {
        // JMH's own output, kept after the run (the work directory is deleted)
        Path log = Path.of(System.getProperty("java.io.tmpdir"), "imapra-bench-p1-jmh.log");
        Bench.progress("P1: JMH, " + scale.p1Forks + " fork(s) per benchmark, warm-up " + scale.p1WarmupIterations
                + " x " + scale.p1WarmupSeconds + " s, measurement " + scale.p1MeasurementIterations + " x "
                + scale.p1MeasurementSeconds + " s; JMH output in " + log);
        Options opts = new OptionsBuilder()
                .include(CheckoutBenchmark.class.getName() + "\\.")
                .forks(scale.p1Forks)
                .threads(1)
                .warmupIterations(scale.p1WarmupIterations)
                .warmupTime(TimeValue.seconds(scale.p1WarmupSeconds))
                .measurementIterations(scale.p1MeasurementIterations)
                .measurementTime(TimeValue.seconds(scale.p1MeasurementSeconds))
                .param("server", servers.toArray(new String[0]))
                .jvmArgsAppend("-Xmx1g", "-D" + StandInNoDelay.WITH_NAGLE + "=" + !StandInNoDelay.enabled())
                .output(log.toString())
                .shouldFailOnError(true)
                .build();
        Collection<RunResult> results = new Runner(opts).run();
        Map<String, Statistics> byName = new HashMap<>();
        for (RunResult r : results) {
            String name = r.getParams().getBenchmark();
            byName.put(r.getParams().getParam("server") + "/" + name.substring(name.lastIndexOf('.') + 1),
                    r.getPrimaryResult().getStatistics());
        }
        Map<String, Double> pooledMeans = new HashMap<>();
        List<List<String>> interleaved = new ArrayList<>();
        List<List<String>> rows = new ArrayList<>();
        for (String server : servers) {
            String title = server.equals("dovecot") ? "Dovecot" : "GreenMail";
            Statistics pooled = byName.get(server + "/imapraPooled");
            Statistics open = byName.get(server + "/openConnection");
            Statistics perCall = byName.get(server + "/connectPerCall");
            Statistics newToken = byName.get(server + "/connectPerCallNewToken");
            pooledMeans.put(title, pooled.getMean());
            rows.add(row(title, "imapra: pooled getConnection() + STATUS + close()", pooled, pooled));
            rows.add(row(title, "hand-written: STATUS on one Angus connection opened once (the floor)", open,
                    pooled));
            rows.add(row(title, "hand-written: connect per call (token held, new Session, TLS, XOAUTH2, STATUS, "
                    + "LOGOUT)", perCall, pooled));
            rows.add(row(title, "hand-written: connect per call with a token request each time", newToken, pooled));
            Bench.progress("P1 " + title + ": pooled checkout and open connection, interleaved call by call");
            P1Interleaved.Figures f = P1Interleaved.run(server, scale.p1WarmupSeconds,
                    scale.p1MeasurementIterations * scale.p1MeasurementSeconds);
            interleaved.add(List.of(title, Report.us(f.pooled().mean()), Report.us(f.pooled().percentile(50)),
                    Report.us(f.open().mean()), Report.us(f.open().percentile(50)), Integer.toString(f.pooled().n()),
                    "**" + Report.x(f.meanRatio()) + "**", Report.x(f.medianRatio())));
            report.goal("pooled checkout + STATUS ≤ 1.2× an open connection's STATUS", title,
                    Report.x(f.meanRatio()) + " of the mean, " + Report.x(f.medianRatio()) + " of the median ("
                            + Report.us(f.pooled().mean()) + " against " + Report.us(f.open().mean())
                            + ", interleaved); JMH, minutes apart: " + Report.x(pooled.getMean() / open.getMean()),
                    f.meanRatio() <= 1.2, "a checkout adds the pool's bookkeeping (take, validity check, return) to "
                            + "the STATUS round trip; see P1");
            report.row("P1 checkout, " + title, "ops/s (p50 / p99)", opsAndPercentiles(pooled),
                    opsAndPercentiles(open) + " open connection; " + opsAndPercentiles(perCall)
                            + " connect-per-call", "pooled takes " + Report.x(pooled.getMean() / open.getMean())
                            + " an open connection's time (goal ≤ 1.2×); " + Report.x(perCall.getMean()
                            / pooled.getMean()) + " faster than connect-per-call");
        }
        report.section("## P1 checkout: pooled connection against connect-per-call\n\n"
                + "One operation = obtain a connection, one STATUS INBOX, give it back. The stand-in (Entra-like token "
                + "endpoint and GreenMail IMAPS, TLS, XOAUTH2 validated) runs in the same JVM as the benchmark on "
                + "loopback; Dovecot in its own processes. The floor is one STATUS on an Angus connection that stays "
                + "open (what any checkout adds comes on top of it); the last column is the variant's time over "
                + "imapra's (below 1×: faster than imapra). JMH " + Env.version("jmh") + ", SampleTime mode, 1 thread, forks=" + scale.p1Forks
                + ", warm-up " + scale.p1WarmupIterations + "×" + scale.p1WarmupSeconds + " s, measurement "
                + scale.p1MeasurementIterations + "×" + scale.p1MeasurementSeconds + " s; ops/s = 1 / mean time.\n\n"
                + Report.table(List.of("server", "variant", "ops/s", "mean", "p50", "p99", "samples",
                        "time / imapra's"), rows)
                + "\n### The goal: pooled checkout against an open connection, interleaved\n\n"
                + "JMH measures one variant after the other, a minute apart, on a machine whose load changes by the "
                + "minute. For the goal, the two alternate call by call in one loop (which one goes first alternates "
                + "too), on one thread, against the same server: warm-up " + scale.p1WarmupSeconds + " s, then "
                + (scale.p1MeasurementIterations * scale.p1MeasurementSeconds) + " s.\n\n"
                + Report.table(List.of("server", "pooled mean", "pooled p50", "open connection mean",
                "open connection p50", "calls each", "pooled / open (mean)", "pooled / open (p50)"), interleaved)
                + "\nThe in-container figure (Payara Micro, through an EJB) follows in its own section.");
        return pooledMeans;
    }

    private static List<String> row(String server, String name, Statistics s, Statistics pooled) {
        return List.of(server, name, Report.f0(1e6 / s.getMean()), Report.us(s.getMean()), Report.us(s.getPercentile(50)),
                Report.us(s.getPercentile(99)), Long.toString(s.getN()),
                s == pooled ? "—" : Report.x(s.getMean() / pooled.getMean()));
    }
    private static String opsAndPercentiles(Statistics s) {
        return Report.f0(1e6 / s.getMean()) + " (" + Report.us(s.getPercentile(50)) + " / "
                + Report.us(s.getPercentile(99)) + ")";
    }
}
