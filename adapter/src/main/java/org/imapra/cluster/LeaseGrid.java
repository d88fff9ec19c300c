package org.imapra.cluster;

import java.util.function.Consumer;

/**
 * What the adapter needs from a data grid shared by the instances of a cluster: cluster-wide leases (one holder at a
 * time per key, with an expiry and an epoch that every new holder raises), the live members, and a topic to tell the
 * other instances that something changed. Every operation is atomic in the grid (compare-and-set); none blocks for
 * long. Without a grid the adapter uses {@link #ALONE}: this instance holds every lease.
 */
public interface LeaseGrid {

    /** This instance's name, as shown in the console ("holder"). */
    String memberName();

    /** The members of the cluster alive now, this one included (at least 1). */
    int liveMembers();

    /** The grid's clock (epoch ms), the same on every member. */
    long now();

    /**
     * Takes the lease on {@code key} for {@code ttlMillis} when it is free or expired, raising its epoch.
     *
     * @param token identifies the holder on this member (one activation)
     * @return the lease taken, or null when another holds it
     */
    Lease acquire(String key, String token, long ttlMillis);

    /**
     * Extends the lease when {@code held} is still the current holding (same holder, same epoch) and has not expired.
     *
     * @return the renewed lease, or null when it was lost: the holder must stop before it acknowledges anything
     */
    Lease renew(Lease held, long ttlMillis);

    /** Frees the lease when {@code held} is still current (another instance may take it at once); else nothing. */
    void release(Lease held);

    /** The current holding of {@code key}, or null when nobody holds it. */
    Lease holder(String key);

    /** The stored entry of {@code key} as it is (free, expired or held), or null when it was never taken. */
    Lease entry(String key);

    /** Publishes {@code message} to every other member's subscribers of {@code topic}. */
    void publish(String topic, String message);

    /**
     * Calls {@code listener} with each message other members publish to {@code topic}, until the returned handle is
     * run (the resource adapter stops; the grid lives on).
     */
    Runnable subscribe(String topic, Consumer<String> listener);

    /**
     * The adapter keeps its leases in this grid (not in a database): a grid whose configuration would delay their
     * release or takeover says so in the log.
     */
    default void holdsTheLeases() {
    }

    /** True when this is a real grid shared with other instances (false: {@link #ALONE}). */
    default boolean shared() {
        return true;
    }

    /** No data grid: this instance consumes alone; every lease is granted. */
    LeaseGrid ALONE = new AloneGrid();
}
