package org.imapra.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * The backlog measure: a mailbox holding N unseen small messages when the activation starts ("first deploy"), timed
 * from {@code endpointActivation} until all are delivered and seen, for growing N. The cost per message must not
 * grow with N. For each N, {@code backlogRounds} rounds alternate imapra's drain with the whole-message batch loop's
 * on the same backlog (which goes first alternates too), each on a freshly filled folder; every figure is the median
 * of its rounds. What a server's own cost does with the folder's size shows in the batch loop, which pays it too;
 * what the client does shows in this JVM's CPU time per message (the server runs in its own processes). After each of
 * imapra's drains, with the activation still active (its connection and the folder's message cache alive), the heap
 * in use after a full GC, against the same before the activation.
 */
final class Backlog {

    /** One N: imapra's runs, their heap added, the peer's runs, the fill times. */
    private record Step(int n, List<InboundLoops.Result> mine, List<Long> heap, List<InboundLoops.Result> peer,
                        List<Double> fillSeconds) {
        double mine(ToDoubleFunction<InboundLoops.Result> f) {
            return median(mine.stream().mapToDouble(f).boxed().toList());
        }

        double peer(ToDoubleFunction<InboundLoops.Result> f) {
            return median(peer.stream().mapToDouble(f).boxed().toList());
        }

        static double median(List<? extends Number> values) {
            return new Stats(values).percentile(50);
        }
    }

    private Backlog() {
    }

    static void run(Scale scale, Report report, BenchServer server) throws Exception {
        int warmUp = scale.backlog[0];
        measure(server, warmUp, 2, scale); // JIT, both loops: not reported (with less, the smallest backlog's CPU
        // time per message is mostly the JIT compiling the delivery path)
        List<Step> steps = new ArrayList<>();
        for (int n : scale.backlog) {
            Step s = measure(server, n, scale.backlogRounds, scale);
            steps.add(s);
            Bench.progress("backlog " + server.title() + ": N = " + n + ", imapra " + Report.us(s.mine(
                    InboundLoops.Result::steadyMicrosPerMessage)) + "/msg after the first delivery (CPU " + Report.us(
                    s.mine(InboundLoops.Result::steadyCpuMicrosPerMessage)) + "), batch loop " + Report.us(s.peer(
                    InboundLoops.Result::steadyMicrosPerMessage)) + "/msg; live heap +" + Report.f1(Step.median(
                    s.heap()) / (1024.0 * 1024)) + " MB");
        }
        server.purge();
        BacklogReport.write(report, server, scale, warmUp, steps.stream().map(s -> new BacklogReport.Row(s.n(),
                s.mine().stream().mapToInt(InboundLoops.Result::messages).min().orElse(0),
                s.mine().stream().anyMatch(InboundLoops.Result::timedOut)
                        || s.peer().stream().anyMatch(InboundLoops.Result::timedOut),
                s.mine().stream().mapToInt(InboundLoops.Result::failures).sum(),
                s.mine(r -> r.nanos() / 1e3 / Math.max(1, r.messages())), s.mine(r -> r.untilFirstNanos() / 1e6),
                s.mine(InboundLoops.Result::steadyMicrosPerMessage),
                s.mine().stream().map(r -> Report.us(r.steadyMicrosPerMessage())).toList(),
                s.mine(InboundLoops.Result::steadyCpuMicrosPerMessage), s.mine(r -> r.nanos() / 1e9),
                s.peer(r -> r.nanos() / 1e3 / Math.max(1, r.messages())),
                s.peer(InboundLoops.Result::steadyMicrosPerMessage),
                s.peer(InboundLoops.Result::steadyCpuMicrosPerMessage),
                s.mine(r -> (r.cpuNanos() - r.cpuUntilFirstNanos()) / 1e6),
                s.peer(r -> (r.cpuNanos() - r.cpuUntilFirstNanos()) / 1e6), Step.median(s.heap()),
                Step.median(s.fillSeconds()))).toList());
    }

    /** {@code rounds} rounds on backlogs of {@code n}: imapra first in the even ones, the batch loop in the odd. */
    private static Step measure(BenchServer server, int n, int rounds, Scale scale) throws Exception {
        Step s = new Step(n, new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        long limit = scale.backlogLimitSeconds * 1000L;
        for (int round = 0; round < rounds; round++) {
            for (int k = 0; k < 2; k++) {
                boolean mine = (k == 0) == (round % 2 == 0);
                server.purge();
                long f0 = System.nanoTime();
                fill(server, n);
                s.fillSeconds().add((System.nanoTime() - f0) / 1e9);
                long before = liveHeap(); // before either loop: the fill's garbage is not collected in a drain
                if (mine) {
                    InboundLoops.Activation a = InboundLoops.Activation.start(server);
                    try {
                        s.mine().add(a.drain(server, n, limit));
                        s.heap().add(liveHeap() - before);
                    } finally {
                        a.stop();
                    }
                } else {
                    s.peer().add(InboundLoops.wholeBatch(server, n, limit));
                }
            }
        }
        return s;
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
