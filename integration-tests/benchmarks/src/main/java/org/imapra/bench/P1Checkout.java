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
    static double run(Scale scale, Report report) throws Exception {
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
                .jvmArgsAppend("-Xmx1g", "-D" + StandInNoDelay.WITH_NAGLE + "=" + !StandInNoDelay.enabled())
                .output(log.toString())
                .shouldFailOnError(true)
                .build();
        Collection<RunResult> results = new Runner(opts).run();
        Map<String, Statistics> byName = new HashMap<>();
        for (RunResult r : results) {
            String name = r.getParams().getBenchmark();
            byName.put(name.substring(name.lastIndexOf('.') + 1), r.getPrimaryResult().getStatistics());
        }
        Statistics pooled = byName.get("imapraPooled");
        Statistics perCall = byName.get("connectPerCall");
        Statistics newToken = byName.get("connectPerCallNewToken");

        List<List<String>> rows = new ArrayList<>();
        rows.add(row("imapra: pooled getConnection() + STATUS + close()", pooled, pooled));
        rows.add(row("hand-written: connect per call (token held, new Session, TLS, XOAUTH2, STATUS, LOGOUT)",
                perCall, pooled));
        rows.add(row("hand-written: connect per call with a token request each time", newToken, pooled));
        report.section("## P1 checkout: pooled connection against connect-per-call\n\n"
                + "One operation = obtain a connection, one STATUS INBOX, give it back. The stand-in (Entra-like token "
                + "endpoint and GreenMail IMAPS, TLS, XOAUTH2 validated) runs in the same JVM as the benchmark on "
                + "loopback. JMH " + Env.version("jmh") + ", SampleTime mode, 1 thread, forks=" + scale.p1Forks
                + ", warm-up " + scale.p1WarmupIterations + "×" + scale.p1WarmupSeconds + " s, measurement "
                + scale.p1MeasurementIterations + "×" + scale.p1MeasurementSeconds + " s; ops/s = 1 / mean time.\n\n"
                + Report.table(List.of("variant", "ops/s", "mean", "p50", "p99", "samples", "imapra is faster by"),
                rows)
                + "\nThe in-container figure (Payara Micro, through an EJB) follows in its own section.");
        report.row("P1 checkout", "ops/s (p50 / p99)", opsAndPercentiles(pooled), opsAndPercentiles(perCall)
                + " connect-per-call; " + opsAndPercentiles(newToken) + " with a token request each call",
                Report.x(perCall.getMean() / pooled.getMean()) + " / " + Report.x(newToken.getMean() / pooled.getMean()));
        return pooled.getMean();
    }

    private static List<String> row(String name, Statistics s, Statistics pooled) {
        return List.of(name, Report.f0(1e6 / s.getMean()), Report.us(s.getMean()), Report.us(s.getPercentile(50)),
                Report.us(s.getPercentile(99)), Long.toString(s.getN()),
                s == pooled ? "—" : Report.x(s.getMean() / pooled.getMean()));
    }

    private static String opsAndPercentiles(Statistics s) {
        return Report.f0(1e6 / s.getMean()) + " (" + Report.us(s.getPercentile(50)) + " / "
                + Report.us(s.getPercentile(99)) + ")";
    }
}
