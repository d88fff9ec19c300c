package org.imapra.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.ArrayList;
import java.util.List;

/**
 * The backlog measure: a mailbox holding N unseen small messages when the activation starts ("first deploy"), timed
 * from {@code endpointActivation} until all are delivered and seen, for growing N. The cost per message must not
 * grow with N. After each drain, with the activation still active (its connection and the folder's message cache
 * alive), the heap in use after a full GC, against the same before the activation.
 */
final class Backlog {

    private Backlog() {
    }

    static void run(Scale scale, Report report, BenchServer server) throws Exception {
        List<List<String>> rows = new ArrayList<>();
        double first = Double.NaN;
        double last = Double.NaN;
        double firstSteady = Double.NaN;
        double lastSteady = Double.NaN;
        List<Double> marginal = new ArrayList<>(); // µs per message between one backlog and the next
        double firstPeer = Double.NaN;
        double lastPeer = Double.NaN;
        long previousNanos = -1;
        int previousN = 0;
        int[] sizes = new int[scale.backlog.length + 1];
        sizes[0] = Math.min(500, scale.backlog[0] / 4); // a warm-up drain, not reported
        System.arraycopy(scale.backlog, 0, sizes, 1, scale.backlog.length);
        for (int k = 0; k < sizes.length; k++) {
            int n = sizes[k];
            server.purge();
            long f0 = System.nanoTime();
            fill(server, n);
            double fillSeconds = (System.nanoTime() - f0) / 1e9;
            long before = liveHeap();
            InboundLoops.Activation a = InboundLoops.Activation.start(server);
            InboundLoops.Result r;
            long after;
            long untilFirst;
            try {
                r = a.drain(server, n, scale.backlogLimitSeconds * 1000L);
                untilFirst = a.untilFirstDeliveryNanos();
                after = liveHeap();
            } finally {
                a.stop();
            }
            if (k == 0) {
                continue; // warm-up
            }
            // the peer on the same backlog and server: what the server's own cost does with the folder's size
            server.purge();
            fill(server, n);
            InboundLoops.Result peer = InboundLoops.wholeBatch(server, n, scale.backlogLimitSeconds * 1000L);
            double peerPerMessage = peer.nanos() / 1e3 / Math.max(1, peer.messages());
            if (Double.isNaN(firstPeer)) {
                firstPeer = peerPerMessage;
            }
            lastPeer = peerPerMessage;
            double perMessage = r.nanos() / 1e3 / Math.max(1, r.messages());
            // from the first delivery on: what the drain costs per message, without connecting and without the
            // server's first look at the folder (Dovecot indexes a folder it has not seen on its first SELECT)
            double steady = (r.nanos() - untilFirst) / 1e3 / Math.max(1, r.messages() - 1);
            if (Double.isNaN(firstSteady)) {
                firstSteady = steady;
            }
            lastSteady = steady;
            String step = "";
            if (previousNanos >= 0) {
                double m = (r.nanos() - previousNanos) / 1e3 / (n - previousN);
                marginal.add(m);
                step = Report.us(m);
            }
            previousNanos = r.nanos();
            previousN = n;
            if (Double.isNaN(first)) {
                first = perMessage;
            }
            last = perMessage;
            rows.add(List.of(Integer.toString(n), r.messages() + (r.timedOut() ? " (time limit)" : ""),
                    Report.f1(r.nanos() / 1e9) + " s", Report.f0(r.perSecond()), Report.us(perMessage),
                    Report.f1(untilFirst / 1e6) + " ms", "**" + Report.us(steady) + "**", step,
                    Report.f1((after - before) / (1024.0 * 1024)) + " MB",
                    Report.f0((after - before) / (double) Math.max(1, n)) + " B",
                    Report.f1(fillSeconds) + " s", Integer.toString(r.failures()),
                    Report.us(peerPerMessage) + (peer.timedOut() ? " (time limit)" : "")));
            Bench.progress("backlog " + server.title() + ": " + r.messages() + " of " + n + " in "
                    + Report.f1(r.nanos() / 1e9) + " s = " + Report.us(perMessage) + "/msg; live heap +"
                    + Report.f1((after - before) / (1024.0 * 1024)) + " MB");
        }
        server.purge();
        double growth = marginal.size() >= 2 ? marginal.get(marginal.size() - 1) / marginal.get(0) : Double.NaN;
        report.section("## Backlog: draining unseen mail on first deploy (" + server.title() + ")\n\n"
                + "The mailbox holds N unseen small messages (Maildir files written before, not timed) when the "
                + "activation starts (defaults: IDLE, UNSEEN, MARK_SEEN, 100 per batch); timed from "
                + "`endpointActivation` (token, TLS, XOAUTH2, SELECT of a folder Dovecot has not indexed yet included) "
                + "until every message was delivered to a listener reading it and is \\Seen. Live heap: heap in use "
                + "after a full GC with the activation still active (its connection and Angus' message cache alive), "
                + "minus the same before the activation. GreenMail is not measured here: its FETCH and STORE are "
                + "O(n²) in the folder's size. Per message: the time over N (connecting, the first SELECT and "
                + "the last search included); added message: the time the drain took longer than the previous "
                + "one's, per message more (linear: the same from row to row). A drain of " + sizes[0]
                + " messages runs first, not reported (JIT). Until the first delivery: connecting, the token, the "
                + "SELECT (Dovecot indexes the N messages of a folder it has not seen then) and the first search of "
                + "the whole folder; after it, the drain proper, per message: the goal's figure.\n\n"
                + Report.table(List.of("backlog N", "delivered", "time", "messages/s", "per message",
                "until the first delivery", "per message after the first delivery", "per added message",
                "live heap added", "per message held", "fill (not timed)", "failed deliveries",
                "whole-message batch loop, per message"), rows)
                + "\nPer-message cost at the largest backlog: " + Report.x(last / first) + " that at the smallest ("
                + "the whole-message batch loop, run on the same backlog right after: " + Report.x(lastPeer / firstPeer)
                + "); cost per added message from the last step to the first: " + Report.x(growth) + ".");
        double steadyGrowth = lastSteady / firstSteady;
        report.goal("backlog drain linear: cost per message after the first delivery at the largest backlog ≤ 1.3× "
                        + "that at the smallest", server.title(), Report.x(steadyGrowth) + " (" + Report.us(firstSteady)
                        + " at N = " + scale.backlog[0] + ", " + Report.us(lastSteady) + " at N = "
                        + scale.backlog[scale.backlog.length - 1] + "; per added message, first step to last: "
                        + Report.x(growth) + ")", !(steadyGrowth > 1.3),
                "the cost per message of the drain proper grew " + Report.x(steadyGrowth) + " from N = "
                        + scale.backlog[0] + " to N = " + scale.backlog[scale.backlog.length - 1]
                        + " (overall, connecting included: " + Report.x(last / first) + "; the whole-message batch loop "
                        + "on the same backlogs: " + Report.x(lastPeer / firstPeer) + "); candidates: Dovecot's Maildir "
                        + "with tens of thousands of files in cur/ (each STORE renames 100 files in it; in Dovecot's "
                        + "rawlog a UID STORE of 100 took 4.5 ms at N = 8000 and 11.8 ms at N = 32000) and its index "
                        + "growing with the folder, the live heap growing with Angus' message cache, and the machine's "
                        + "load changing between steps");
        report.row("Backlog drain, " + server.title(), "per message after the first delivery (overall), N = "
                        + scale.backlog[0] + " → " + scale.backlog[scale.backlog.length - 1], Report.us(firstSteady)
                        + " → " + Report.us(lastSteady) + " (" + Report.us(first) + " → " + Report.us(last) + ")", "—",
                Report.x(steadyGrowth) + " largest / smallest (1× = linear); whole-message batch loop, overall: "
                        + Report.us(firstPeer) + " → " + Report.us(lastPeer) + ", " + Report.x(lastPeer / firstPeer));
    }

    private static void fill(BenchServer server, int n) throws Exception {
        server.fill(Bench.MAILBOX, n, i -> {
            try {
                return Mails.small("backlog " + (i + 1));
            } catch (jakarta.mail.MessagingException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    /** Heap in use after collections (System.gc() twice: G1 runs a full collection for each). */
    private static long liveHeap() {
        MemoryMXBean m = ManagementFactory.getMemoryMXBean();
        System.gc();
        System.gc();
        return m.getHeapMemoryUsage().getUsed();
    }
}
