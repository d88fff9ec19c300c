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
 * @param credentialExpires when the credential in use expires (a certificate's notAfter, a client secret's
 *                          declared secretExpires), or null when not known
 * @param credentialInUse  the property holding the credential in use: clientSecret, nextClientSecret (after the
 *                         current one was refused), certificatePath, certificateAlias, federatedTokenFile…; or null
 */
public record LiveStatus(int connectionsInUse, int connectionsIdle, List<Activation> activations,
                         Instant throttledUntil, Instant credentialExpires, String credentialInUse)
        implements Serializable {

    /** A status of a mailbox that is not throttled. */
    public LiveStatus(int connectionsInUse, int connectionsIdle, List<Activation> activations) {
        this(connectionsInUse, connectionsIdle, activations, null);
    }

    /** A status without credential information. */
    public LiveStatus(int connectionsInUse, int connectionsIdle, List<Activation> activations,
                      Instant throttledUntil) {
        this(connectionsInUse, connectionsIdle, activations, throttledUntil, null, null);
    }

    /** A status whose credential in use is not told. */
    public LiveStatus(int connectionsInUse, int connectionsIdle, List<Activation> activations,
                      Instant throttledUntil, Instant credentialExpires) {
        this(connectionsInUse, connectionsIdle, activations, throttledUntil, credentialExpires, null);
    }

    /**
     * One inbound activation: its folder, its last delivery or error, its watcher's last completed search or IDLE
     * cycle ({@code lastCycle}: since {@code since} none, when null) against the interval one should take at most
     * ({@code cycleSeconds}: the poll interval or IDLE renewal; 0 when unknown), and, in a cluster, which instance
     * holds the folder's lease (consumes it) and since when.
     *
     * @param holder      the instance consuming the folder (this one, or another while this one stands by); null
     *                    without a data grid, or while nobody holds it
     * @param holderSince since when {@code holder} holds it, or null
     */
    public record Activation(String folder, Instant lastDelivery, String lastError, Instant lastErrorAt,
                             Instant since, Instant lastCycle, long cycleSeconds, String holder,
                             Instant holderSince) implements Serializable {

        /** An activation with no cycle record and no cluster lease. */
        public Activation(String folder, Instant lastDelivery, String lastError, Instant lastErrorAt) {
            this(folder, lastDelivery, lastError, lastErrorAt, null, null, 0, null, null);
        }

        /** An activation with no cluster lease (no data grid). */
        public Activation(String folder, Instant lastDelivery, String lastError, Instant lastErrorAt, Instant since,
                          Instant lastCycle, long cycleSeconds) {
            this(folder, lastDelivery, lastError, lastErrorAt, since, lastCycle, cycleSeconds, null, null);
        }
    }
}
