package org.imapra.cluster;

/**
 * The spread rule of one instance: with K keys in use and N live members, an instance's fair share is ceil(K / N)
 * leases. At its share or above, it does not take a free lease unless the lease has stayed free for a whole TTL
 * (nobody below its share wanted it); above its share, it gives up one lease at a time, at most one per TTL, so that a
 * member that joined later gets work. Shared by every activation of the instance.
 */
public final class LeaseSpread {

    /** A key free for this many TTLs is no longer counted as in use (its application was undeployed). */
    private static final int DEAD_AFTER_TTLS = 3;

    private final LeaseGrid grid;
    private long lastYield;

    public LeaseSpread(LeaseGrid grid) {
        this.grid = grid;
    }

    public LeaseGrid grid() {
        return grid;
    }

    /**
     * Takes the lease on {@code key} when this instance may ({@link #mayTake}) and it is free. One take at a time per
     * instance, so that activations starting together count each other's leases.
     *
     * @return the lease, or null
     */
    public synchronized Lease take(String key, String token, long ttlMillis) {
        return mayTake(key, ttlMillis) ? grid.acquire(key, token, ttlMillis) : null;
    }

    /** Whether this instance should try to take {@code key} now. */
    boolean mayTake(String key, long ttlMillis) {
        if (!grid.shared()) {
            return true;
        }
        LeaseGrid.Share s = grid.share(grid.memberName(), key, DEAD_AFTER_TTLS * ttlMillis);
        if (s.freeSince() == Long.MAX_VALUE) {
            return false; // held by another: acquire would fail anyway
        }
        return s.held() < fairShare(s) || grid.now() - s.freeSince() >= ttlMillis;
    }

    /** Whether the holder of {@code held} should hand it over now (this instance holds more than its share). */
    public synchronized boolean shouldYield(Lease held, long ttlMillis) {
        if (!grid.shared() || grid.liveMembers() < 2) {
            return false;
        }
        long now = grid.now();
        if (now - lastYield < ttlMillis || now - held.since() < ttlMillis) {
            return false; // one at a time, and not a lease just taken
        }
        LeaseGrid.Share s = grid.share(grid.memberName(), held.key(), DEAD_AFTER_TTLS * ttlMillis);
        if (s.held() <= fairShare(s)) {
            return false;
        }
        lastYield = now;
        return true;
    }

    private int fairShare(LeaseGrid.Share s) {
        int n = grid.liveMembers();
        return (s.keys() + n - 1) / n;
    }
}
