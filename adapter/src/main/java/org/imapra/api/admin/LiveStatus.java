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

    /** One inbound activation: its folder and its last delivery or error. */
    public record Activation(String folder, Instant lastDelivery, String lastError, Instant lastErrorAt)
            implements Serializable {
    }
}
