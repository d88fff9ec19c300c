package org.imapra.bench;

import java.util.ArrayList;
import java.util.List;

/** The backlog measure's section, goals and summary row, from the medians of each backlog's rounds. */
final class BacklogReport {

    /** imapra's drain (wall clock, server included) may grow this much per message. */
    static final double GROWTH_GOAL = 1.3;

    /**
     * One backlog's medians: imapra's per message overall, until the first delivery (ms), after it (with every
     * round's figure), its CPU per message and its time (s); the batch loop's per message overall, after its first
     * delivery and its CPU; the live heap added (bytes) and the fill time (s).
     */
    record Row(int n, int delivered, boolean timedOut, int failures, double perMessage, double untilFirstMillis,
               double steady, List<String> steadyRuns, double cpu, double seconds, double peerPerMessage,
               double peerSteady, double peerCpu, double cpuMillis, double peerCpuMillis, double heap,
               double fillSeconds) {
    }

    /** CPU µs per message more from the row before to this one: a drain's constant CPU cost cancels out. */
    private static double cpuAdded(Row before, Row r, boolean peer) {
        double d = peer ? r.peerCpuMillis() - before.peerCpuMillis() : r.cpuMillis() - before.cpuMillis();
        return d * 1e3 / (r.n() - before.n());
    }

    private BacklogReport() {
    }

    static void write(Report report, BenchServer server, Scale scale, int warmUp, List<Row> rows) {
        Row first = rows.get(0);
        Row last = rows.get(rows.size() - 1);
        List<List<String>> table = new ArrayList<>();
        Row previous = null;
        for (Row r : rows) {
            String added = previous == null ? "" : Report.us((r.seconds() - previous.seconds()) * 1e6
                    / (r.n() - previous.n()));
            String cpuAdded = previous == null ? "" : Report.us(cpuAdded(previous, r, false));
            String peerCpuAdded = previous == null ? "" : Report.us(cpuAdded(previous, r, true));
            table.add(List.of(Integer.toString(r.n()), r.delivered() + (r.timedOut() ? " (time limit)" : ""),
                    Report.f1(r.seconds()) + " s", Report.us(r.perMessage()), Report.f1(r.untilFirstMillis()) + " ms",
                    "**" + Report.us(r.steady()) + "** (" + String.join(", ", r.steadyRuns()) + ")", added,
                    Report.us(r.cpu()), cpuAdded, Report.us(r.peerSteady()), Report.us(r.peerPerMessage()),
                    Report.us(r.peerCpu()), peerCpuAdded, Report.f1(r.heap() / (1024.0 * 1024)) + " MB",
                    Report.f0(r.heap() / r.n()) + " B", Report.f1(r.fillSeconds()) + " s",
                    Integer.toString(r.failures())));
            previous = r;
        }
        double growth = last.steady() / first.steady();
        double peerGrowth = last.peerSteady() / first.peerSteady();
        double overPeer = growth / peerGrowth;
        Row second = rows.get(Math.min(1, rows.size() - 1));
        Row beforeLast = rows.get(Math.max(0, rows.size() - 2));
        // from the first step's added messages to the last's: what a drain does once (connecting, the JIT's and
        // GC's background work a run leaves) cancels out; per message from the first delivery, it would not
        double cpuGrowth = cpuAdded(beforeLast, last, false) / cpuAdded(first, second, false);
        double peerCpuGrowth = cpuAdded(beforeLast, last, true) / cpuAdded(first, second, true);
        String range = "N = " + first.n() + " → " + last.n();
        report.section("## Backlog: draining unseen mail on first deploy (" + server.title() + ")\n\n"
                + "The mailbox holds N unseen small messages (Maildir files written before, not timed) when the "
                + "activation starts (defaults: IDLE, UNSEEN, MARK_SEEN, 100 per batch); timed from "
                + "`endpointActivation` (token, TLS, XOAUTH2, SELECT of a folder Dovecot has not indexed yet included) "
                + "until every message was delivered to a listener reading it and is \\Seen. For each N, "
                + scale.backlogRounds + " round(s) alternate imapra's drain with the whole-message batch loop's on "
                + "the same backlog, each on a freshly filled folder, which of the two goes first alternating; every "
                + "figure is the median of the rounds (imapra's figure after the first delivery lists each round's). "
                + "Until the first delivery: connecting, the token, the SELECT (Dovecot indexes the N messages of a "
                + "folder it has not seen then) and the first search of the whole folder; after it, the drain "
                + "proper, per message. Per added message: the time the drain took longer than the previous one's, "
                + "per message more. CPU: this JVM's CPU time from the first delivery to the end, per message (the "
                + "client's own work with its GC and JIT; Dovecot runs in its own processes); per added message: "
                + "the CPU time more than the previous row's, per message more (what a drain costs once, such as "
                + "the background compilation and collection a run leaves, cancels out). Live heap: heap in use "
                + "after a full GC with the activation still active (its connection and Angus' message cache alive), "
                + "minus the same before the activation. Drains of " + warmUp + " messages run first, not reported "
                + "(JIT), twice each. GreenMail is not measured here: its FETCH and STORE are O(n²) in the folder's "
                + "size.\n\n"
                + Report.table(List.of("backlog N", "delivered", "time", "per message", "until the first delivery",
                "per message after the first delivery (each round)", "per added message",
                "CPU per message after the first delivery", "CPU per added message",
                "batch loop: per message after its first delivery", "batch loop: per message",
                "batch loop: CPU per message after its first delivery", "batch loop: CPU per added message",
                "live heap added", "per message held", "fill (not timed)",
                "failed deliveries"), table)
                + "\nFrom the smallest backlog to the largest, per message after the first delivery: imapra "
                + Report.x(growth) + ", the whole-message batch loop on the same backlogs " + Report.x(peerGrowth)
                + " (what the server's cost does with the folder's size: every client pays it); imapra over the "
                + "batch loop: " + Report.x(overPeer) + ". The client's CPU per added message, from the first "
                + "step to the last: imapra " + Report.x(cpuGrowth) + ", the batch loop " + Report.x(peerCpuGrowth)
                + " (a difference of medians, which moves a lot from run to run: a diagnostic, not a goal).");
        report.goal("backlog drain linear: cost per message after the first delivery at the largest backlog ≤ "
                        + Report.x(GROWTH_GOAL) + " that at the smallest", server.title(), Report.x(growth) + " ("
                        + Report.us(first.steady()) + " → " + Report.us(last.steady()) + ", " + range + "; the "
                        + "whole-message batch loop: " + Report.x(peerGrowth) + ")", !(growth > GROWTH_GOAL),
                "imapra's drain grew " + Report.x(growth) + " per message; the batch loop's on the same backlogs "
                        + Report.x(peerGrowth) + ", the client's CPU per added message, first step to last, "
                        + Report.x(cpuGrowth) + " (the batch loop's: " + Report.x(peerCpuGrowth) + ")");
        report.row("Backlog drain, " + server.title(), "per message after the first delivery (CPU), " + range,
                Report.us(first.steady()) + " → " + Report.us(last.steady()) + ", " + Report.x(growth) + " ("
                        + "CPU per added message " + Report.x(cpuGrowth) + ")",
                "whole-message batch loop: " + Report.us(first.peerSteady()) + " → " + Report.us(last.peerSteady())
                        + ", " + Report.x(peerGrowth) + " (CPU " + Report.x(peerCpuGrowth) + ")",
                Report.x(growth) + " largest / smallest (1× = linear); " + Report.x(overPeer) + " the batch loop's "
                        + "growth");
    }
}
