package org.imapra.bench;

/** How much each measure does: the full suite (the figures) or a quick check ({@code --quick}). */
final class Scale {

    final String name;
    // P1 (JMH)
    int p1Forks = 1;
    int p1WarmupIterations;
    int p1WarmupSeconds;
    int p1MeasurementIterations;
    int p1MeasurementSeconds;
    // P2
    int p2Threads = 50;
    int p2TokenLifetimeSeconds;
    int p2Lifetimes;
    // P3
    int p3Small;
    int p3Large;
    int p3LargeKb = 100;
    /** Messages of the warm-up pass (at most one round). */
    int p3WarmupSmall;
    int p3WarmupLarge;
    /** Small messages of the MDB's warm-up (and a tenth of it with the large attachment). */
    int p3MdbWarmup;
    /** Rounds of the MDB alternating with the batch and naive loops; each keeps its median. */
    int p3Rounds = 3;
    /** Time limit of one loop on one message size, and of all timed P3 runs together. */
    int p3LoopLimitSeconds;
    int p3LimitSeconds;
    /** Backlog sizes of the backlog measure, and its time limit per drain. */
    int[] backlog;
    int backlogLimitSeconds;
    /** Rounds per backlog size, imapra's drain and the batch loop's alternating. */
    int backlogRounds = 3;
    // P4
    int p4Idle;
    int p4Poll;
    // P5
    int p5Messages;
    int p5AttachmentMb;
    int p5TimeLimitSeconds;

    private Scale(String name) {
        this.name = name;
    }

    static Scale full() {
        Scale s = new Scale("full");
        s.p1WarmupIterations = 2;
        s.p1WarmupSeconds = 3;
        s.p1MeasurementIterations = 2;
        s.p1MeasurementSeconds = 4;
        s.p2TokenLifetimeSeconds = 8;
        s.p2Lifetimes = 4;
        s.p3Small = 3_000;
        s.p3Large = 1_000;
        s.backlog = new int[] {2_000, 8_000, 32_000};
        s.backlogLimitSeconds = 180;
        s.p3WarmupSmall = 100;
        s.p3WarmupLarge = 50;
        s.p3MdbWarmup = 4_000;
        s.p3LoopLimitSeconds = 50;
        s.p3LimitSeconds = 600;
        s.p4Idle = 200;
        s.p4Poll = 30;
        s.p5Messages = 40;
        s.p5AttachmentMb = 25;
        s.p5TimeLimitSeconds = 240;
        return s;
    }

    static Scale quick() {
        Scale s = new Scale("quick");
        s.p1WarmupIterations = 1;
        s.p1WarmupSeconds = 2;
        s.p1MeasurementIterations = 2;
        s.p1MeasurementSeconds = 2;
        s.p2TokenLifetimeSeconds = 6;
        s.p2Lifetimes = 2;
        s.p3Small = 500;
        s.p3Large = 100;
        s.backlog = new int[] {500, 1_000, 2_000};
        s.backlogLimitSeconds = 60;
        s.backlogRounds = 1;
        s.p3WarmupSmall = 50;
        s.p3WarmupLarge = 20;
        s.p3MdbWarmup = 200;
        s.p3Rounds = 1;
        s.p3LoopLimitSeconds = 40;
        s.p3LimitSeconds = 120;
        s.p4Idle = 40;
        s.p4Poll = 6;
        s.p5Messages = 8;
        s.p5AttachmentMb = 5;
        s.p5TimeLimitSeconds = 90;
        return s;
    }

    /** {@code --p5 40x25}: messages × attachment MB; {@code --p5-limit} seconds. */
    void p5(String countTimesMb) {
        String[] p = countTimesMb.toLowerCase(java.util.Locale.ROOT).split("x");
        p5Messages = Integer.parseInt(p[0]);
        p5AttachmentMb = Integer.parseInt(p[1]);
    }

    String describe() {
        return name + " (P2: " + p2Threads + " threads, " + p2Lifetimes + " lifetimes of " + p2TokenLifetimeSeconds
                + " s; P3: " + p3Small + " small + " + p3Large + " × " + p3LargeKb + " KB; backlog: "
                + java.util.Arrays.toString(backlog) + "; P4: " + p4Idle + " IDLE, "
                + p4Poll + " polled; P5: " + p5Messages + " × " + p5AttachmentMb + " MB)";
    }
}
