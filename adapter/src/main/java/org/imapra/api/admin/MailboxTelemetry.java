package org.imapra.api.admin;

import java.io.Serializable;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The counters the adapter keeps for one definition since it started (published as {@code imapra_*} metrics by the
 * console WAR). Counts only grow; the failures maps are keyed by AADSTS code (token) or command kind (IMAP).
 *
 * @param tokenExpiresAt     when the last token obtained expires, or null
 * @param lastTokenFailure   the last token request's failure, or null when it succeeded (or none was made)
 * @param lastConnectFailure the last connect/AUTHENTICATE failure, or null when the last connect succeeded
 * @param budgetInUse        connections open on the mailbox in this adapter now
 * @param budgetMax          the mailbox's connection budget (maxConnectionsPerMailbox)
 * @param budgetWaits        times a connect waited for a free slot of the budget
 * @param budgetWaitMillis   total time spent waiting for one
 * @param throttledMillis    total time Exchange asked not to be contacted
 */
public record MailboxTelemetry(String mailbox, long tokenRequests, Map<String, Long> tokenFailures,
                               Instant tokenExpiresAt, Failure lastTokenFailure, long connects,
                               long connectFailures, Failure lastConnectFailure, Map<String, Long> commands,
                               Map<String, Long> commandFailures, int budgetInUse, int budgetMax, long budgetWaits,
                               long budgetWaitMillis, long throttledMillis, List<Folder> folders)
        implements Serializable {

    /** The upper bounds (seconds) of the delivery latency histogram's buckets; the last bucket is +Inf. */
    public static final List<Double> LATENCY_BOUNDS = List.of(0.1, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 300.0);

    /**
     * A failure: its AADSTS code (or null), a sentence without secrets, and when.
     */
    public record Failure(String code, String message, Instant at) implements Serializable {
    }

    /**
     * One folder's deliveries.
     *
     * @param latencyBuckets   cumulative counts of deliveries with a latency (arrival → onMessage) up to each of
     *                         {@link #LATENCY_BOUNDS}, then the total (+Inf)
     * @param latencySeconds   the sum of those latencies
     * @param deliveriesPerMinute the last 60 minutes, oldest first, the current minute last
     * @param failuresPerMinute   the same for failed attempts
     */
    public record Folder(String folder, long deliveries, long failedAttempts, long poisonMoves, long redeliveries,
                         List<Long> latencyBuckets, double latencySeconds, List<Long> deliveriesPerMinute,
                         List<Long> failuresPerMinute) implements Serializable {
    }
}
