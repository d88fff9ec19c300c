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
 */
public record LiveStatus(int connectionsInUse, int connectionsIdle, List<Activation> activations)
        implements Serializable {

    /** One inbound activation: its folder and its last delivery or error. */
    public record Activation(String folder, Instant lastDelivery, String lastError, Instant lastErrorAt)
            implements Serializable {
    }
}
