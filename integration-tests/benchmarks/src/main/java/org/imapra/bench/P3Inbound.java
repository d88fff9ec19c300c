package org.imapra.bench;

import jakarta.mail.internet.MimeMessage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.imapra.standin.LocalM365;

/**
 * P3: inbound throughput and IMAP commands per delivered message. The same mailbox is filled directly through
 * GreenMail before each run; the three loops run one after the other against the same server in one JVM. A warm-up
 * pass runs first on fewer messages. Commands are counted at the server (the stand-in counts every command line it
 * receives) during the timed runs.
 */
final class P3Inbound {

    private interface Loop {
        InboundLoops.Result run(LocalM365 m365, int n, long limitMillis) throws Exception;
    }

    private interface Fill {
        MimeMessage message(int i) throws Exception;
    }

    /**
     * Messages in the mailbox at once. GreenMail's FETCH and STORE cost O(n²) in the folder's message count
     * ({@code ImapSessionFolder.getMsn} copies the folder's UID list for every message it looks at): with 10 000
     * messages in one folder each command would take about a second and the server, not the clients, would be
     * measured (at 500 messages, about 90 % of a loop's time is already the server's). So the messages come in rounds: the mailbox is filled with up to ROUND messages, the loop runs until
     * all are read and seen, the mailbox is emptied, and so on; only the loop's runs are timed.
     */
    static final int ROUND = 100;

    private static final Map<String, Loop> LOOPS = new LinkedHashMap<>();

    static {
        LOOPS.put("imapra → MailListener", InboundLoops::imapra);
        LOOPS.put("naive Angus loop", InboundLoops::naive);
        LOOPS.put("batched fetch (Spring style)", InboundLoops::batched);
    }

    private P3Inbound() {
    }

    static void run(Scale scale, Report report, LocalM365 m365) throws Exception {
        long limitMillisPerRun = scale.p3LoopLimitSeconds * 1000L;
        byte[] attachment = Mails.randomBytes(scale.p3LargeKb * 1024, 42);
        Fill small = i -> Mails.small("P3 small " + i);
        Fill large = i -> Mails.withAttachment("P3 large " + i, attachment);
        String largeName = scale.p3LargeKb + " KB attachment";

        // warm-up pass first (the JIT of server and clients), not reported
        for (var size : List.of(Map.entry("small text", small), Map.entry(largeName, large))) {
            int n = Math.min(ROUND, size.getKey().equals("small text") ? scale.p3WarmupSmall : scale.p3WarmupLarge);
            for (var loop : LOOPS.entrySet()) {
                fill(m365, n, size.getValue());
                loop.getValue().run(m365, n, limitMillisPerRun);
            }
        }

        // timed runs: each loop consumes n messages in rounds of at most ROUND (fill, run the loop until all are
        // read and seen, purge); only the loop's runs are timed
        List<List<String>> rows = new ArrayList<>();
        List<List<String>> countRows = new ArrayList<>();
        Map<String, Double> smallCommands = new LinkedHashMap<>();
        Map<String, Double> smallRates = new LinkedHashMap<>();
        Map<String, Double> largeRates = new LinkedHashMap<>();
        long budgetEnd = System.nanoTime() + scale.p3LimitSeconds * 1_000_000_000L;
        for (var size : List.of(Map.entry("small text", small), Map.entry(largeName, large))) {
            boolean isSmall = size.getKey().equals("small text");
            int n = isSmall ? scale.p3Small : scale.p3Large;
            for (var loop : LOOPS.entrySet()) {
                System.gc();
                int done = 0;
                long nanos = 0;
                long bytes = 0;
                int failures = 0;
                int rounds = 0;
                boolean limited = false;
                long loopEnd = Math.min(budgetEnd, System.nanoTime() + limitMillisPerRun * 1_000_000L);
                m365.mailServer().resetCommandCounts(); // filling goes through GreenMail directly: not counted
                while (done < n) {
                    long left = (loopEnd - System.nanoTime()) / 1_000_000L;
                    if (left <= 0) {
                        limited = true;
                        break;
                    }
                    int k = Math.min(ROUND, n - done);
                    fill(m365, k, size.getValue(), done);
                    InboundLoops.Result r = loop.getValue().run(m365, k, left);
                    done += r.messages();
                    nanos += r.nanos();
                    bytes += r.bytes();
                    failures += r.failures();
                    rounds++;
                    if (r.timedOut()) {
                        limited = true;
                        break;
                    }
                }
                Map<String, Long> byName = m365.mailServer().commandCounts();
                long commands = byName.values().stream().mapToLong(Long::longValue).sum();
                double perMessage = (double) commands / Math.max(1, done);
                if (isSmall) {
                    smallCommands.put(loop.getKey(), perMessage);
                }
                countRows.add(List.of(loop.getKey(), size.getKey(), Integer.toString(done), Integer.toString(rounds),
                        Long.toString(commands), Report.f2(perMessage),
                        Report.f1((double) commands / Math.max(1, rounds)), byName.toString()));
                double rate = done / (nanos / 1e9);
                (isSmall ? smallRates : largeRates).put(loop.getKey(), rate);
                rows.add(List.of(loop.getKey(), size.getKey(), done + (limited ? " of " + n + " (time limit)" : ""),
                        Integer.toString(rounds), Report.f1(nanos / 1e9) + " s", "**" + Report.f0(rate) + "**",
                        Report.f1(bytes / 1e6) + " MB", Integer.toString(failures)));
                Bench.progress("P3: " + loop.getKey() + ", " + done + " × " + size.getKey() + " in " + rounds
                        + " rounds, " + Report.f1(nanos / 1e9) + " s = " + Report.f0(rate) + " msg/s"
                        + (limited ? " (time limit reached)" : ""));
            }
        }
        Mails.purge(m365);

        report.section("## P3 inbound throughput\n\n"
                + "The mailbox is filled directly through GreenMail (no SMTP), all messages unseen, in rounds of at most "
                + ROUND + " messages (GreenMail's FETCH and STORE are O(n²) in the folder's size: with 10 000 "
                + "messages at once, the server would be measured, not the clients); each loop run is timed "
                + "from its start (token, TLS, XOAUTH2, SELECT included) until every message has been read (envelope "
                + "and every part's content streamed) and is \\Seen on the server. imapra: the resource adapter's "
                + "inbound side without a container (BootstrapContext whose WorkManager runs Work on the benchmark's "
                + "threads, a MessageEndpointFactory whose endpoints implement `MailListener`), activation defaults "
                + "(IDLE, UNSEEN, MARK_SEEN, 100 messages per batch, 1 at a time). Naive: SEARCH UNSEEN, then per "
                + "message Angus' lazy fetches and a STORE. Spring style: SEARCH UNSEEN, one "
                + "`folder.fetch(ENVELOPE, FLAGS, CONTENT_INFO)` for all, then per message content and a STORE. "
                + "Bodies: the peers use Angus' default 16 KB partial fetches; imapra fetches messages up to 256 KB "
                + "whole with their batch and reads larger ones in 1 MB partial fetches.\n\n"
                + Report.table(List.of("loop", "messages", "count", "rounds", "time", "messages/s", "content read",
                "failed deliveries"), rows)
                + "\n### IMAP commands per delivered message\n\n"
                + "Counted at the server during the timed runs above: the stand-in counts every command line it "
                + "receives, by name (AUTHENTICATE and CAPABILITY included; DONE, which ends an IDLE, is not a "
                + "command). Each round is one connection and, for imapra, one batch of up to 100 messages: "
                + "imapra fetches a batch with one UID FETCH (sequence numbers) and one FETCH (envelope, flags, "
                + "structure, size), then, per part of the batch holding at most 8 MB of messages up to 256 KB, one "
                + "FETCH of those messages whole, and acknowledges the batch with one UID STORE; larger bodies are "
                + "read on demand in 1 MB partial FETCHes.\n\n"
                + Report.table(List.of("loop", "messages", "count", "rounds", "commands", "per message",
                "per round", "by command"), countRows));
        report.row("P3 inbound, small", "messages/s", rate(smallRates, "imapra → MailListener"),
                peers(smallRates), ratios(smallRates));
        report.row("P3 inbound, " + largeName, "messages/s", rate(largeRates, "imapra → MailListener"),
                peers(largeRates), ratios(largeRates));
        report.row("P3 round trips (small)", "IMAP commands per message",
                Report.f2(smallCommands.getOrDefault("imapra → MailListener", Double.NaN)),
                Report.f2(smallCommands.getOrDefault("naive Angus loop", Double.NaN)) + " naive; "
                        + Report.f2(smallCommands.getOrDefault("batched fetch (Spring style)", Double.NaN))
                        + " Spring style", "");
    }

    private static String rate(Map<String, Double> rates, String key) {
        return Report.f0(rates.getOrDefault(key, Double.NaN));
    }

    private static String peers(Map<String, Double> rates) {
        return rate(rates, "naive Angus loop") + " naive; " + rate(rates, "batched fetch (Spring style)")
                + " Spring style";
    }

    private static String ratios(Map<String, Double> rates) {
        double imapra = rates.getOrDefault("imapra → MailListener", Double.NaN);
        return Report.x(imapra / rates.getOrDefault("naive Angus loop", Double.NaN)) + " naive; "
                + Report.x(imapra / rates.getOrDefault("batched fetch (Spring style)", Double.NaN)) + " Spring style";
    }

    private static void fill(LocalM365 m365, int n, Fill fill) throws Exception {
        fill(m365, n, fill, 0);
    }

    /** Empties the mailbox and puts messages {@code from + 1} to {@code from + n} into INBOX. */
    private static void fill(LocalM365 m365, int n, Fill fill, int from) throws Exception {
        Mails.purge(m365);
        for (int i = from + 1; i <= from + n; i++) {
            Mails.deliver(m365, fill.message(i));
        }
    }
}
