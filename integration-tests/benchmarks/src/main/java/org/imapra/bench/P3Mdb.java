package org.imapra.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * P3's MDB in Payara Micro ({@code BenchMailListener} of the bench app, watching {@link BenchServer#MDB_MAILBOX}):
 * the messages are written to the Maildir first, then moved into {@code new/} at once; timed from that moment until
 * the MDB has read them all and none is unseen. The MDB's connection stays open between runs, so the mailbox keeps
 * what earlier runs delivered (seen). In each of {@code p3Rounds} rounds the MDB's run alternates with one of the
 * whole-message batch loop and one of the naive loop on the same server (in the other mailbox), the MDB first in one
 * round and last in the next; each keeps its median run: the goals compare figures taken minutes, not a quarter of
 * an hour, apart.
 */
final class P3Mdb {

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private P3Mdb() {
    }

    static void run(Scale scale, BenchServer server, String url, P3Inbound.Results results,
                    P3Inbound.MdbVariant variant) throws Exception {
        if (server.round() < Integer.MAX_VALUE) {
            Bench.progress("P3 MDB: not on " + server.title() + " (its folders hold at most " + server.round()
                    + " messages at a time)");
            return;
        }
        String large = P3Inbound.largeName(scale);
        // warm-up: Payara's delivery path (EJB container, endpoint pool) is compiled only after some thousand calls
        drain(server, url, P3Inbound.SMALL, scale.p3MdbWarmup, scale, 120_000);
        drain(server, url, large, Math.max(10, scale.p3MdbWarmup / 10), scale, 120_000);
        long limit = scale.p3LoopLimitSeconds * 1000L;
        for (String size : List.of(P3Inbound.SMALL, large)) {
            int n = size.equals(P3Inbound.SMALL) ? scale.p3Small : scale.p3Large;
            var message = P3Inbound.messages(scale, size);
            Map<String, List<P3Inbound.Row>> runs = new LinkedHashMap<>();
            for (int round = 0; round < scale.p3Rounds; round++) {
                // the MDB first in one round, last in the next: neither gains from the order
                List<String> order = new ArrayList<>(List.of(variant.mdb(), variant.batch(), variant.naive()));
                if (round % 2 == 1) {
                    Collections.reverse(order);
                }
                for (String loop : order) {
                    long end = System.nanoTime() + limit * 1_000_000L;
                    P3Inbound.Row row = loop.equals(variant.mdb()) ? drain(server, url, size, n, scale, limit)
                            : P3Inbound.measure(server, loop.equals(variant.batch()) ? InboundLoops::wholeBatch
                            : InboundLoops::naive, n, message, end);
                    runs.computeIfAbsent(loop, k -> new ArrayList<>()).add(row);
                    Bench.progress("P3 " + server.title() + " round " + (round + 1) + ": " + loop + ", "
                            + row.done() + " × " + size + ", " + Report.f1(row.nanos() / 1e9) + " s = "
                            + Report.f0(row.rate()) + " msg/s");
                }
            }
            runs.forEach((loop, rows) -> results.put(server.title(), size, loop, median(rows)));
        }
        server.purge();
    }

    /** The run with the median rate, noting every run's rate. */
    static P3Inbound.Row median(List<P3Inbound.Row> rows) {
        List<P3Inbound.Row> sorted = new ArrayList<>(rows);
        sorted.sort(Comparator.comparingDouble(P3Inbound.Row::rate));
        P3Inbound.Row m = sorted.get(sorted.size() / 2);
        if (rows.size() == 1) {
            return m;
        }
        String all = rows.stream().map(r -> Report.f0(r.rate())).collect(Collectors.joining(", "));
        return new P3Inbound.Row(m.done(), m.n(), m.rounds(), m.nanos(), m.bytes(), m.failures(), m.limited(),
                m.commands(), m.note() + "; the median of " + rows.size() + " runs (" + all + " msg/s)");
    }

    private static P3Inbound.Row drain(BenchServer server, String url, String size, int n, Scale scale,
                                       long limitMillis) throws Exception {
        Runnable publish = server.stage(BenchServer.MDB_MAILBOX, n, P3Inbound.messages(scale, size));
        post(url);
        System.gc();
        server.resetCommandCounts();
        long t0 = System.nanoTime();
        long published = System.currentTimeMillis();
        publish.run();
        long deadline = t0 + limitMillis * 1_000_000L;
        Map<String, String> v = get(url + "?await=" + n + "&timeoutMillis=" + limitMillis);
        boolean limited = false;
        while (Long.parseLong(v.get("delivered")) < n || server.unseen(BenchServer.MDB_MAILBOX) > 0) {
            if (System.nanoTime() > deadline) {
                limited = true;
                break;
            }
            Thread.sleep(2);
            v = get(url);
        }
        long nanos = System.nanoTime() - t0;
        long end = System.currentTimeMillis();
        long woken = server.firstCommandMillis(); // the MDB's DONE ending its IDLE
        String note = "";
        if (woken >= published && woken < end) {
            note = " (" + Report.f1(nanos / 1e9) + " s from the moment they appeared; IDLE notified after "
                    + (woken - published) + " ms)";
            nanos = (end - woken) * 1_000_000L;
        }
        return new P3Inbound.Row((int) Long.parseLong(v.get("delivered")), n, 1, nanos, Long.parseLong(v.get("bytes")),
                (int) Long.parseLong(v.get("failures")), limited, server.commandCounts(), note);
    }

    private static void post(String url) throws IOException, InterruptedException {
        HTTP.send(HttpRequest.newBuilder(URI.create(url)).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static Map<String, String> get(String url) throws IOException, InterruptedException {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofMinutes(5)).GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("GET " + url + ": HTTP " + r.statusCode());
        }
        Map<String, String> v = new HashMap<>();
        for (String line : r.body().split("\\R")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                v.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        return v;
    }
}
