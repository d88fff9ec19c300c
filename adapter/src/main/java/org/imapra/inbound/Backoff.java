package org.imapra.inbound;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential back-off with jitter, capped: the n-th consecutive failure waits between half and all of
 * {@code min(first * 2^(n-1), max)} milliseconds ("equal jitter"), so that many activations failing together do not
 * retry in step.
 */
record Backoff(long firstMillis, long maxMillis) {

    /** The capped delay without jitter for the {@code failures}-th consecutive failure (1-based). */
    long ceiling(int failures) {
        if (failures <= 0) {
            return 0;
        }
        int shift = Math.min(failures - 1, 30);
        long d = firstMillis << shift;
        return d <= 0 || d > maxMillis ? maxMillis : d;
    }

    /** The delay to wait before the next try after {@code failures} consecutive failures. */
    long delay(int failures) {
        long c = ceiling(failures);
        if (c <= 1) {
            return c;
        }
        long half = c / 2;
        return half + ThreadLocalRandom.current().nextLong(c - half + 1);
    }
}
