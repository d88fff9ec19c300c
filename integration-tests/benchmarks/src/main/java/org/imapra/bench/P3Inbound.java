package org.imapra.bench;

import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * P3: inbound throughput and IMAP commands per delivered message, on each server. The mailbox is filled around IMAP
 * before each run; the loops run one after the other against the same server in one JVM, in {@code p3Rounds} rounds
 * whose order alternates, each loop keeping its median run (the MDB in Payara Micro is added by {@link P3Mdb}). A
 * warm-up pass runs first on fewer messages.
 */
final class P3Inbound {

    static final String IMAPRA = "imapra → MailListener (no container)";
    static final String MDB = "imapra → MDB in Payara Micro";
    static final String WHOLE = "whole-message batch loop";
    static final String NAIVE = "naive Angus loop";
    static final String SPRING = "batched fetch (Spring style)";
    static final String WHOLE_BY_MDB = "whole-message batch loop, alternating with the MDB";
    static final String NAIVE_BY_MDB = "naive Angus loop, alternating with the MDB";
    /** The JVM option that turns Jakarta Mail's per-part provider lookup into a class lookup (README). */
    static final String PROVIDER_OPTION = "-Djakarta.mail.util.StreamProvider=org.eclipse.angus.mail.util.MailStreamProvider";

    /** How the MDB's Payara Micro runs: its rows' names, its peers' and the JVM option it adds. */
    record MdbVariant(String name, String title, String mdb, String batch, String naive, String jvmOption) {
        static final MdbVariant DEFAULTS = new MdbVariant("defaults", "MDB", MDB, WHOLE_BY_MDB, NAIVE_BY_MDB, "");
        static final MdbVariant PROVIDER = new MdbVariant("provider-option", "MDB with the provider option",
                "imapra → MDB in Payara Micro with the provider option",
                "whole-message batch loop, alternating with the MDB with the provider option",
                "naive Angus loop, alternating with the MDB with the provider option", PROVIDER_OPTION);

        List<String> loops() {
            return List.of(mdb, batch, naive);
        }
    }
    static final String SMALL = "small text";

    interface Loop {
        InboundLoops.Result run(BenchServer server, int n, long limitMillis) throws Exception;
    }

    /** One loop's figures on one server and message size. */
    record Row(int done, int n, int rounds, long nanos, long bytes, int failures, boolean limited,
               Map<String, Long> commands, String note) {
        double rate() {
            return done / (nanos / 1e9);
        }

        long commandCount() {
            return commands.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    /** Every row, by server title, message size, loop. */
    static final class Results {
        final Map<String, Map<String, Map<String, Row>>> rows = new LinkedHashMap<>();

        synchronized void put(String server, String size, String loop, Row row) {
            rows.computeIfAbsent(server, k -> new LinkedHashMap<>()).computeIfAbsent(size, k -> new LinkedHashMap<>())
                    .put(loop, row);
        }

        synchronized Row get(String server, String size, String loop) {
            return rows.getOrDefault(server, Map.of()).getOrDefault(size, Map.of()).get(loop);
        }
    }

    private static final Map<String, Loop> LOOPS = new LinkedHashMap<>();

    static {
        LOOPS.put(IMAPRA, InboundLoops::imapra);
        LOOPS.put(WHOLE, InboundLoops::wholeBatch);
        LOOPS.put(NAIVE, InboundLoops::naive);
        LOOPS.put(SPRING, InboundLoops::batched);
    }

    private P3Inbound() {
    }

    static String largeName(Scale scale) {
        return scale.p3LargeKb + " KB attachment";
    }

    /** The message of a size ({@link #SMALL} or {@link #largeName}) with number {@code i}. */
    static IntFunction<MimeMessage> messages(Scale scale, String size) {
        byte[] attachment = Mails.randomBytes(scale.p3LargeKb * 1024, 42);
        return i -> {
            try {
                return size.equals(SMALL) ? Mails.small("P3 small " + i)
                        : Mails.withAttachment("P3 large " + i, attachment);
            } catch (MessagingException e) {
                throw new IllegalStateException(e);
            }
        };
    }

    static void run(Scale scale, BenchServer server, Results results) throws Exception {
        long limitMillisPerRun = scale.p3LoopLimitSeconds * 1000L;
        List<String> sizes = List.of(SMALL, largeName(scale));

        // warm-up pass first (the JIT of server and clients), not reported
        for (String size : sizes) {
            int n = Math.min(server.round(), size.equals(SMALL) ? scale.p3WarmupSmall : scale.p3WarmupLarge);
            for (var loop : LOOPS.entrySet()) {
                fill(server, n, messages(scale, size), 0);
                loop.getValue().run(server, n, limitMillisPerRun);
            }
        }

        long budgetEnd = System.nanoTime() + scale.p3LimitSeconds * 1_000_000_000L;
        for (String size : sizes) {
            boolean isSmall = size.equals(SMALL);
            int n = isSmall ? scale.p3Small : scale.p3Large;
            IntFunction<MimeMessage> message = messages(scale, size);
            // p3Rounds rounds, the loops' order reversed from one round to the next; each loop keeps its median run
            Map<String, List<Row>> runs = new LinkedHashMap<>();
            for (int round = 0; round < scale.p3Rounds; round++) {
                List<String> order = new ArrayList<>(LOOPS.keySet());
                if (round % 2 == 1) {
                    java.util.Collections.reverse(order);
                }
                for (String loop : order) {
                    Row row = measure(server, LOOPS.get(loop), n, message, Math.min(budgetEnd,
                            System.nanoTime() + limitMillisPerRun * 1_000_000L));
                    runs.computeIfAbsent(loop, k -> new ArrayList<>()).add(row);
                    Bench.progress("P3 " + server.title() + " round " + (round + 1) + ": " + loop + ", " + row.done()
                            + " × " + size + " in " + row.rounds() + " rounds, " + Report.f1(row.nanos() / 1e9)
                            + " s = " + Report.f0(row.rate()) + " msg/s, "
                            + Report.f2((double) row.commandCount() / Math.max(1, row.done())) + " commands/msg"
                            + (row.limited() ? " (time limit reached)" : ""));
                }
            }
            runs.forEach((loop, rows) -> results.put(server.title(), size, loop, P3Mdb.median(rows)));
        }
        server.purge();
    }

    /** One loop over {@code n} messages (in rounds of at most the server's round), until {@code loopEnd}. */
    static Row measure(BenchServer server, Loop loop, int n, IntFunction<MimeMessage> message, long loopEnd)
            throws Exception {
        System.gc();
        int done = 0;
        long nanos = 0;
        long bytes = 0;
        int failures = 0;
        int rounds = 0;
        boolean limited = false;
        Map<String, Long> commands = new LinkedHashMap<>();
        while (done < n) {
            long left = (loopEnd - System.nanoTime()) / 1_000_000L;
            if (left <= 0) {
                limited = true;
                break;
            }
            int k = Math.min(server.round(), n - done);
            fill(server, k, message, done);
            server.resetCommandCounts(); // filling goes around IMAP: not counted anyway
            InboundLoops.Result r = loop.run(server, k, left);
            server.commandCounts().forEach((c, v) -> commands.merge(c, v, Long::sum));
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
        return new Row(done, n, rounds, nanos, bytes, failures, limited, commands, "");
    }

    /** Empties the mailbox and puts messages {@code from + 1} to {@code from + n} into INBOX. */
    private static void fill(BenchServer server, int n, IntFunction<MimeMessage> message, int from) {
        server.purge();
        server.fill(Bench.MAILBOX, n, i -> message.apply(from + 1 + i));
    }

    /** The section and the summary rows, once every server (and the MDB) ran. */
    static void report(Scale scale, Results results, List<String> servers, Report report) {
        List<String> sizes = List.of(SMALL, largeName(scale));
        List<String> loops = new ArrayList<>(MdbVariant.DEFAULTS.loops());
        loops.addAll(MdbVariant.PROVIDER.loops());
        loops.addAll(List.of(IMAPRA, WHOLE, NAIVE, SPRING));
        List<String> header = new ArrayList<>(List.of("loop", "messages"));
        for (String s : servers) {
            header.addAll(List.of(s + " msg/s", s + ": × whole-message batch (alternating for the MDB)",
                    s + " commands/msg"));
        }
        List<List<String>> rows = new ArrayList<>();
        List<List<String>> details = new ArrayList<>();
        for (String size : sizes) {
            for (String loop : loops) {
                List<String> row = new ArrayList<>(List.of(loop, size));
                boolean any = false;
                for (String s : servers) {
                    Row r = results.get(s, size, loop);
                    Row whole = results.get(s, size, baseOf(loop));
                    if (r == null) {
                        row.addAll(List.of("—", "", ""));
                        continue;
                    }
                    any = true;
                    row.add("**" + Report.f0(r.rate()) + "**" + (r.limited() ? " (" + r.done() + " of " + r.n()
                            + ", time limit)" : ""));
                    row.add(whole == null ? "" : Report.x(r.rate() / whole.rate()));
                    row.add(r.commands().isEmpty() ? "" : Report.f2((double) r.commandCount() / Math.max(1, r.done())));
                    details.add(List.of(s, loop, size, Integer.toString(r.done()), Integer.toString(r.rounds()),
                            Report.f1(r.nanos() / 1e9) + " s" + r.note(), Report.f0(r.rate()),
                            Report.f1(r.bytes() / 1e6) + " MB", Integer.toString(r.failures()),
                            r.commands().isEmpty() ? "not counted" : r.commands().toString()));
                }
                if (any) {
                    rows.add(row);
                }
            }
        }
        report.section("## P3 inbound throughput\n\n"
                + "Each loop run is timed from its start (token, TLS, XOAUTH2, SELECT included) until every message "
                + "has been read (envelope and every part's content streamed) and is \\Seen on the server. "
                + "Dovecot: the Maildir is filled with all messages at once (files written, then moved into `new/`); "
                + "GreenMail: in rounds of at most 100 messages, each round one run, only the runs timed "
                + "(GreenMail's FETCH and STORE are O(n²) in the folder's size). imapra: the resource adapter's "
                + "inbound side without a container (BootstrapContext whose WorkManager runs Work on the benchmark's "
                + "threads, a MessageEndpointFactory whose endpoints implement `MailListener`), activation defaults "
                + "(IDLE, UNSEEN, MARK_SEEN, 100 messages per batch, 1 at a time): per batch one UID FETCH of flags "
                + "and sizes (its answers carry the sequence numbers), one FETCH `BODY.PEEK[]` of the messages up to "
                + "256 KB (of envelope and structure for larger ones, which are streamed when read), one UID STORE; "
                + "three UID SEARCHes per drain (the whole folder, from the last UID delivered on, the whole folder "
                + "again), none per batch; the MDB: the same RAR deployed in "
                + "Payara Micro (child JVM), defaults, a bean reading every part (see P1 in Payara Micro for the "
                + "set-up), running before the messages appear in its mailbox's Maildir (all at once) and waiting in "
                + "IDLE; timed from the moment Dovecot's IDLE notification reached it (the DONE of its IDLE, from "
                + "Dovecot's rawlog) until all are delivered and seen: Dovecot tells an IDLE session of new mail "
                + "about half a second after the change (its notification delay), which no loop started afresh "
                + "pays; the time from the moment the messages appeared is in the details. Whole-message batch "
                + "loop: one connection, SEARCH UNSEEN, per 100 messages one FETCH "
                + "`BODY.PEEK[]` and one STORE +FLAGS \\Seen. Naive: SEARCH UNSEEN, then per message Angus' lazy "
                + "fetches and a STORE. Spring style: SEARCH UNSEEN, one `folder.fetch(ENVELOPE, FLAGS, "
                + "CONTENT_INFO)` for all, then per message content and a STORE. Each loop runs " + scale.p3Rounds
                + " time(s) per message size, the loops without a container in an order reversed from one run to "
                + "the next, the MDB alternating with its own batch and naive loops; each row is the loop's median "
                + "run (the details list every run's rate).\n\n"
                + Report.table(header, rows)
                + "\n### Every run, with the IMAP commands it sent\n\n"
                + "Commands: Dovecot: its rawlog (what clients sent after login: AUTHENTICATE and the CAPABILITY "
                + "before it are not in it); GreenMail: the stand-in counts every command line it receives. DONE, "
                + "which ends an IDLE, is not a command.\n\n"
                + Report.table(List.of("server", "loop", "messages", "count", "rounds", "time", "messages/s",
                "content read", "failed deliveries", "commands"), details));
        for (String s : servers) {
            for (String size : sizes) {
                Row whole = results.get(s, size, WHOLE);
                Row naive = results.get(s, size, NAIVE);
                Row imapra = results.get(s, size, IMAPRA);
                if (whole == null) {
                    continue;
                }
                String peers = Report.f0(whole.rate()) + " whole-message batch; " + (naive == null ? "—"
                        : Report.f0(naive.rate())) + " naive";
                StringBuilder figure = new StringBuilder();
                StringBuilder ratio = new StringBuilder();
                for (MdbVariant v : List.of(MdbVariant.DEFAULTS, MdbVariant.PROVIDER)) {
                    Row mdb = results.get(s, size, v.mdb());
                    if (mdb != null) {
                        String who = v.title();
                        figure.append(who).append(' ').append(Report.f0(mdb.rate())).append("; ");
                        ratio.append(who).append(' ').append(Report.x(mdb.rate() / rate(results.get(s, size,
                                v.batch())))).append(" batch, ").append(Report.x(mdb.rate() / rate(results.get(s,
                                size, v.naive())))).append(" naive (alternating); ");
                    }
                }
                figure.append("no container ").append(imapra == null ? "—" : Report.f0(imapra.rate()));
                ratio.append("no container ").append(Report.x(rate(imapra) / whole.rate())).append(" batch, ")
                        .append(Report.x(rate(imapra) / rate(naive))).append(" naive");
                report.row("P3 inbound, " + size + ", " + s, "messages/s", figure.toString(), peers,
                        ratio.toString());
                if (s.equals("Dovecot")) {
                    goals(report, results, s, size, imapra, whole, naive);
                }
            }
        }
    }

    /** The MDB's goals on one server and size: with the defaults, and with the provider option. */
    private static void goals(Report report, Results results, String s, String size, Row imapra, Row whole,
                              Row naive) {
        for (MdbVariant v : List.of(MdbVariant.DEFAULTS, MdbVariant.PROVIDER)) {
            Row mdb = results.get(s, size, v.mdb());
            if (mdb == null && v == MdbVariant.PROVIDER) {
                continue;
            }
            Row best = mdb != null ? mdb : imapra;
            if (best == null) {
                continue;
            }
            String who = mdb == null ? "adapter without a container (the MDB did not run)" : v.title();
            String when = v == MdbVariant.DEFAULTS ? size : size + ", Payara with the provider option";
            Row batchPeer = mdb != null ? results.get(s, size, v.batch()) : whole;
            Row naivePeer = mdb != null ? results.get(s, size, v.naive()) : naive;
            double overBatch = best.rate() / rate(batchPeer);
            report.goal("MDB delivery ≥ 0.9× the whole-message batch loop (" + when + ")", s,
                    who + " " + Report.x(overBatch), overBatch >= 0.9, whyBelowBatch(v, overBatch));
            if (naivePeer != null) {
                double overNaive = best.rate() / naivePeer.rate();
                report.goal("MDB delivery ≥ 3× the naive loop (" + when + ")", s, who + " " + Report.x(overNaive),
                        overNaive >= 3, WHY_BELOW_NAIVE);
            }
        }
    }

    /** Why the MDB can be below the batch loop: what it does that the batch loop does not. */
    static String whyBelowBatch(MdbVariant v, double mdbOverBatch) {
        return (v == MdbVariant.PROVIDER ? "the MDB with the provider option" : "the MDB") + " reached "
                + Report.x(mdbOverBatch) + ". What it does that the batch loop does not: the EJB container's work per "
                + "message (beforeDelivery, the bean's invocation, afterDelivery), one command more per batch (the "
                + "UID FETCH of flags and sizes, which tells which messages may be fetched whole), and the Micro "
                + "JVM sharing the 2 cores with Dovecot and the harness (the batch loop runs in the harness' JVM); "
                + "the bean's reading of a message fetched whole no longer pays Jakarta Mail's StreamProvider "
                + "lookup under the application's class loader (imapra readies it under its own), so the provider "
                + "option changes little. The runs of one loop, alternating with the others, differ by up to a third "
                + "from one to the next on these 2 cores (see the details): each figure is a median of few runs";
    }

    static final String WHY_BELOW_NAIVE = "the naive loop's cost is per message (four or more round trips each, "
            + "cheap on loopback); when most of every loop's time goes to decoding 100 KB attachments on a shared "
            + "CPU the ratios shrink: what is left of imapra's lead is the naive loop's 13 commands per message";

    /** The batch loop a loop's ratio is taken against: the one alternating with the MDB for the MDB's rows. */
    private static String baseOf(String loop) {
        for (MdbVariant v : List.of(MdbVariant.DEFAULTS, MdbVariant.PROVIDER)) {
            if (v.loops().contains(loop)) {
                return v.batch();
            }
        }
        return WHOLE;
    }

    private static double rate(Row r) {
        return r == null ? Double.NaN : r.rate();
    }
}
