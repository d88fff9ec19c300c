package org.imapra.api.admin;

import java.io.Serializable;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The result of a staged ping: every stage in order, with its status, duration, details and hint. Never empty.
 */
public record PingReport(String definition, Instant startedAt, Duration duration, List<PingStage> stages)
        implements Serializable {

    public PingReport {
        stages = List.copyOf(stages);
    }

    /** True when no stage FAILED. */
    public boolean ok() {
        return stages.stream().noneMatch(s -> s.status() == PingStage.Status.FAILED);
    }

    /** The first failed stage, or null. */
    public PingStage failure() {
        return stages.stream().filter(s -> s.status() == PingStage.Status.FAILED).findFirst().orElse(null);
    }
}
