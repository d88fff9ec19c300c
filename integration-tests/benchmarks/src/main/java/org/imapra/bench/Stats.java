package org.imapra.bench;

import java.util.Arrays;
import java.util.List;

/** Percentiles of a sample (nearest rank). */
final class Stats {

    private final double[] sorted;

    Stats(List<? extends Number> values) {
        sorted = values.stream().mapToDouble(Number::doubleValue).sorted().toArray();
    }

    int n() {
        return sorted.length;
    }

    double percentile(double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
    }

    double mean() {
        return Arrays.stream(sorted).average().orElse(Double.NaN);
    }

    double max() {
        return sorted.length == 0 ? Double.NaN : sorted[sorted.length - 1];
    }
}
