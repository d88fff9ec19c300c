package org.imapra.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * P3's MDB in Payara Micro ({@code BenchMailListener} of the bench app, watching {@link BenchServer#MDB_MAILBOX}):
 * the messages are written to the Maildir first, then moved into {@code new/} at once; timed from that moment until
 * the MDB has read them all and none is unseen. The MDB's connection stays open between runs, so the mailbox keeps
 * what earlier runs delivered (seen).
 */
final class P3Mdb {

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private P3Mdb() {
    }

    static void run(Scale scale, BenchServer server, String url, P3Inbound.Results results) throws Exception {
        if (server.round() < Integer.MAX_VALUE) {
            Bench.progress("P3 MDB: not on " + server.title() + " (its folders hold at most " + server.round()
                    + " messages at a time)");
            return;
        }
        String large = P3Inbound.largeName(scale);
        // warm-up: Payara's delivery path (EJB container, endpoint pool) is compiled only after some thousand calls
        drain(server, url, P3Inbound.SMALL, scale.p3MdbWarmup, scale, 120_000);
        drain(server, url, large, Math.max(10, scale.p3MdbWarmup / 10), scale, 120_000);
        for (String size : List.of(P3Inbound.SMALL, large)) {
            int n = size.equals(P3Inbound.SMALL) ? scale.p3Small : scale.p3Large;
            P3Inbound.Row row = drain(server, url, size, n, scale, scale.p3LoopLimitSeconds * 1000L);
            results.put(server.title(), size, P3Inbound.MDB, row);
            Bench.progress("P3 " + server.title() + ": " + P3Inbound.MDB + ", " + row.done() + " × " + size + ", "
                    + Report.f1(row.nanos() / 1e9) + " s = " + Report.f0(row.rate()) + " msg/s, "
                    + Report.f2((double) row.commandCount() / Math.max(1, row.done())) + " commands/msg");
        }
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
