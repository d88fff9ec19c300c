package org.imapra.core;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import org.imapra.api.admin.MailboxTelemetry;

/** The deliveries of one folder of one definition: counts, the latency histogram, the last hour per minute. */
public final class FolderCounters {

    private static final double[] BOUNDS = MailboxTelemetry.LATENCY_BOUNDS.stream().mapToDouble(Double::doubleValue)
            .toArray();

    private final String folder;
    private final LongAdder deliveries = new LongAdder();
    private final LongAdder failedAttempts = new LongAdder();
    private final LongAdder poisonMoves = new LongAdder();
    private final LongAdder redeliveries = new LongAdder();
    /** Per bucket (not cumulative); the last is +Inf. */
    private final LongAdder[] latency = new LongAdder[BOUNDS.length + 1];
    private final LongAdder latencyMillis = new LongAdder();
    private final MinuteSeries deliveriesPerMinute;
    private final MinuteSeries failuresPerMinute;

    FolderCounters(String folder, Clock clock) {
        this.folder = folder;
        for (int i = 0; i < latency.length; i++) {
            latency[i] = new LongAdder();
        }
        this.deliveriesPerMinute = new MinuteSeries(clock);
        this.failuresPerMinute = new MinuteSeries(clock);
    }

    /**
     * A message was delivered (onMessage returned).
     *
     * @param latency from its arrival in the mailbox to onMessage, or null when the arrival is unknown
     */
    public void delivered(Duration latency) {
        deliveries.increment();
        deliveriesPerMinute.add();
        if (latency != null) {
            long ms = Math.max(0, latency.toMillis());
            latencyMillis.add(ms);
            double s = ms / 1000.0;
            int i = 0;
            while (i < BOUNDS.length && s > BOUNDS[i]) {
                i++;
            }
            this.latency[i].increment();
        }
    }

    /** A delivery attempt failed (onMessage threw, or the endpoint could not be reached). */
    public void failedAttempt() {
        failedAttempts.increment();
        failuresPerMinute.add();
    }

    /** A message that kept failing was moved to the poison folder. */
    public void poisonMoved() {
        poisonMoves.increment();
    }

    /** A message was delivered again after a failed attempt. */
    public void redelivered() {
        redeliveries.increment();
    }

    MailboxTelemetry.Folder snapshot() {
        List<Long> cumulative = new ArrayList<>(latency.length);
        long sum = 0;
        for (LongAdder b : latency) {
            sum += b.sum();
            cumulative.add(sum);
        }
        return new MailboxTelemetry.Folder(folder, deliveries.sum(), failedAttempts.sum(), poisonMoves.sum(),
                redeliveries.sum(), cumulative, latencyMillis.sum() / 1000.0, deliveriesPerMinute.lastHour(),
                failuresPerMinute.lastHour());
    }
}
