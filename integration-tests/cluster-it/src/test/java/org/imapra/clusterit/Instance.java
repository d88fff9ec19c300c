package org.imapra.clusterit;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.imapra.sandbox.MicroProcess;

/** One Payara Micro instance of the cluster IT: its process, HTTP port and the file its MDBs record deliveries in. */
final class Instance {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    final String name;
    final MicroProcess micro;
    final int port;
    final Path deliveries;
    final Path log;
    volatile boolean down;

    Instance(String name, MicroProcess micro, int port, Path deliveries, Path log) {
        this.name = name;
        this.micro = micro;
        this.port = port;
        this.deliveries = deliveries;
        this.log = log;
    }

    /** "mailbox subject" lines of what this instance's MDBs delivered. */
    List<String> delivered() {
        try {
            return Files.exists(deliveries) ? Files.readAllLines(deliveries, StandardCharsets.UTF_8) : List.of();
        } catch (IOException e) {
            return List.of();
        }
    }

    /** Subjects delivered from {@code mailbox} starting with {@code prefix}, in order (a duplicate twice). */
    List<String> delivered(String mailbox, String prefix) {
        return deliveries(mailbox, prefix).stream().map(Delivery::subject).toList();
    }

    /** The deliveries from {@code mailbox} of subjects starting with {@code prefix}, in order, with their time. */
    List<Delivery> deliveries(String mailbox, String prefix) {
        List<Delivery> out = new ArrayList<>();
        for (String line : delivered()) {
            int tab = line.indexOf('\t');
            if (line.startsWith(mailbox + " " + prefix) && tab > 0) {
                out.add(new Delivery(line.substring(mailbox.length() + 1, tab),
                        Long.parseLong(line.substring(tab + 1).strip())));
            }
        }
        return out;
    }

    /** One delivery: the subject and {@link System#nanoTime()} as onMessage recorded it (the same clock here). */
    record Delivery(String subject, long nanos) {
    }

    /** Sends the JVM a signal with kill(1) ("STOP", "CONT"). */
    void signal(String name) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(micro.pid())).inheritIO().start();
        if (kill.waitFor() != 0) {
            throw new IOException("kill -" + name + " " + micro.pid() + " failed");
        }
    }

    /**
     * When (epoch ms, the log record's timeMillis) this instance first logged that it took the lease of
     * {@code describe} ("mailbox/folder") at or after {@code fromMillis}; -1 if it has not.
     */
    long tookLeaseAt(String describe, long fromMillis) {
        try (java.util.stream.Stream<String> lines = Files.lines(log, StandardCharsets.ISO_8859_1)) {
            return lines.filter(l -> l.contains("took the lease of " + describe + " "))
                    .map(TIME_MILLIS::matcher).filter(java.util.regex.Matcher::find)
                    .mapToLong(m -> Long.parseLong(m.group(1))).filter(t -> t >= fromMillis).min().orElse(-1);
        } catch (IOException | java.io.UncheckedIOException e) {
            return -1;
        }
    }

    private static final java.util.regex.Pattern TIME_MILLIS = java.util.regex.Pattern.compile("timeMillis: (\\d+)");

    /** How many lines of the server's log contain {@code text}. */
    long logLines(String text) {
        try (java.util.stream.Stream<String> lines = Files.lines(log, StandardCharsets.ISO_8859_1)) {
            return lines.filter(l -> l.contains(text)).count();
        } catch (IOException | java.io.UncheckedIOException e) {
            return 0;
        }
    }

    /** GET {@code /cluster-app/cluster/<path>}: status and body; status 0 when the instance does not answer. */
    Answer get(String path) {
        return send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30)).GET().build());
    }

    Answer post(String path) {
        return send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.noBody()).build());
    }

    /** The holder of {@code mailbox}'s lease as this instance sees it ("B (127.0.0.1:5901)"), or null. */
    String holderOf(String mailbox) {
        Answer a = get("status");
        if (a.status != 200) {
            return null;
        }
        for (String line : a.body.split("\n")) {
            if (line.startsWith(mailbox + " ")) {
                String h = line.substring(mailbox.length() + 1).strip();
                return h.equals("-") || h.equals("null") ? null : h;
            }
        }
        return null;
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + "/cluster-app/cluster/" + path);
    }

    private static Answer send(HttpRequest r) {
        try {
            HttpResponse<String> resp = HTTP.send(r, HttpResponse.BodyHandlers.ofString());
            return new Answer(resp.statusCode(), resp.body());
        } catch (IOException e) {
            return new Answer(0, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Answer(0, "interrupted");
        }
    }

    record Answer(int status, String body) {
        @Override
        public String toString() {
            return status + " " + body;
        }
    }

    @Override
    public String toString() {
        return name;
    }
}
