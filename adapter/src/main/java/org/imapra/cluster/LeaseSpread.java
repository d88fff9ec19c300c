package org.imapra.cluster;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The spread rule of one instance: with K (mailbox, folder) keys consumed by this instance's activations and N live
 * members, its fair share is ceil(K / N) leases. At its share or above, it does not take a free lease unless the lease
 * has stayed free for a whole TTL (nobody below its share wanted it), but it takes an expired one at once (a takeover
 * must not wait for the spread); above its share, it gives up one lease at a time, at most one per TTL, so that a
 * member that joined later gets work. Counted from what this instance knows (its activations and the leases it holds):
 * deciding costs one read of the key's entry, no scan of the grid. Shared by every activation of the instance; a take
 * in progress counts as held, so activations starting together count each other's leases.
 */
public final class LeaseSpread {

    private final LeaseGrid grid;
    private final Map<String, Integer> keys = new HashMap<>();
    private final Set<String> held = new HashSet<>();
    private long lastYield;
    private int taking;

    public LeaseSpread(LeaseGrid grid) {
        this.grid = grid;
    }

    public LeaseGrid grid() {
        return grid;
    }

    /** An activation on {@code key} started on this instance. */
    public synchronized void register(String key) {
        keys.merge(key, 1, Integer::sum);
    }

    /** It stopped. */
    public synchronized void unregister(String key) {
        keys.computeIfPresent(key, (k, n) -> n == 1 ? null : n - 1);
    }

    /**
     * Takes the lease on {@code key} when it is free or expired and this instance may. An expired lease (its holder
     * crashed, or is paused or cut off) is taken at once, whatever this instance's share: the takeover comes within
     * the TTL and one retry of the stand-bys, never a TTL later because every survivor was at its share (as it is
     * while the grid still counts a paused or unreachable member). A free lease (released, or never taken) is taken
     * only below the share, or once it has stayed free for a whole TTL (nobody below its share wanted it), so that a
     * hand-over goes to an instance with room. Above its share afterwards, {@link #shouldYield} hands leases over
     * again.
     * The grid is read and written outside this object's lock: a slow grid operation on one key (on the partition of a
     * paused member, say) must not hold up the other activations' attempts; a take in progress counts as held, so
     * activations starting together still count each other.
     *
     * @return the lease, or null
     */
    public Lease take(String key, String token, long ttlMillis) {
        if (grid.shared()) {
            long now = grid.now();
            Lease current = grid.entry(key);
            if (current != null && !current.expired(now)) {
                return null; // held by another
            }
            boolean free = current == null || current.isFree();
            long freeSince = current == null ? now : current.since();
            synchronized (this) {
                if (free && held.size() + taking >= fairShare() && now - freeSince < ttlMillis) {
                    return null; // leave it to an instance below its share, for one TTL
                }
                taking++;
            }
        }
        Lease l = null;
        try {
            l = grid.acquire(key, token, ttlMillis);
            return l;
        } finally {
            synchronized (this) {
                if (grid.shared()) {
                    taking--;
                }
                if (l != null) {
                    held.add(key);
                }
            }
        }
    }

    /** This instance no longer holds {@code key} (released, lost or handed over). */
    public synchronized void dropped(String key) {
        held.remove(key);
    }

    /** Whether the holder of {@code lease} should hand it over now (this instance holds more than its share). */
    public synchronized boolean shouldYield(Lease lease, long ttlMillis) {
        if (!grid.shared() || grid.liveMembers() < 2) {
            return false;
        }
        long now = grid.now();
        if (now - lastYield < ttlMillis || now - lease.since() < ttlMillis || held.size() <= fairShare()) {
            return false; // one at a time, not a lease just taken, and only above the share
        }
        lastYield = now;
        return true;
    }

    private int fairShare() {
        int n = Math.max(1, grid.liveMembers());
        return (keys.size() + n - 1) / n;
    }
}
