package org.imapra.core;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/** Counts per minute over the last hour (a ring of 60 minutes): the console's chart. Thread-safe, cheap to add to. */
final class MinuteSeries {

    static final int MINUTES = 60;

    private final Clock clock;
    private final long[] minuteOf = new long[MINUTES];
    private final long[] counts = new long[MINUTES];

    MinuteSeries(Clock clock) {
        this.clock = clock;
        java.util.Arrays.fill(minuteOf, -1);
    }

    void add() {
        long minute = clock.millis() / 60_000;
        int slot = (int) (minute % MINUTES);
        synchronized (this) {
            if (minuteOf[slot] != minute) {
                minuteOf[slot] = minute;
                counts[slot] = 0;
            }
            counts[slot]++;
        }
    }

    /** The last 60 minutes, oldest first; the current minute last. */
    synchronized List<Long> lastHour() {
        long now = clock.millis() / 60_000;
        List<Long> out = new ArrayList<>(MINUTES);
        for (long m = now - MINUTES + 1; m <= now; m++) {
            int slot = (int) (m % MINUTES);
            out.add(minuteOf[slot] == m ? counts[slot] : 0L);
        }
        return out;
    }
}
