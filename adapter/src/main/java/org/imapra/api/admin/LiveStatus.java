package org.imapra.api.admin;

import java.io.Serializable;
import java.time.Instant;
import java.util.List;

/**
 * What is going on for a definition right now.
 *
 * @param connectionsInUse pooled connections handed out to applications
 * @param connectionsIdle  pooled connections waiting in a pool
 * @param activations      inbound activations (MDBs) on this definition
 * @param throttledUntil   until when Exchange Online asked not to be contacted for the mailbox (nothing is sent
 *                         before), or null
 */
public record LiveStatus(int connectionsInUse, int connectionsIdle, List<Activation> activations,
                         Instant throttledUntil) implements Serializable {

    /** A status of a mailbox that is not throttled. */
    public LiveStatus(int connectionsInUse, int connectionsIdle, List<Activation> activations) {
        this(connectionsInUse, connectionsIdle, activations, null);
    }

    /**
     * One inbound activation: its folder, its last delivery or error, and, in a cluster, which instance holds the
     * folder's lease (consumes it) and since when.
     *
     * @param holder      the instance consuming the folder (this one, or another while this one stands by); null
     *                    without a data grid, or while nobody holds it
     * @param holderSince since when {@code holder} holds it, or null
     */
    public record Activation(String folder, Instant lastDelivery, String lastError, Instant lastErrorAt,
                             String holder, Instant holderSince) implements Serializable {

        /** An activation with no cluster lease (no data grid). */
        public Activation(String folder, Instant lastDelivery, String lastError, Instant lastErrorAt) {
            this(folder, lastDelivery, lastError, lastErrorAt, null, null);
        }
    }
}
