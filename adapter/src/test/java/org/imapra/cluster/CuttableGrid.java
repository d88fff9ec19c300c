package org.imapra.cluster;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A member's {@link LeaseGrid} that the test can cut off (a partition, or a pause longer than the TTL, as the member
 * sees it): while cut, nothing is taken, renewed or released; the grid's entries expire on their own.
 */
public final class CuttableGrid implements LeaseGrid {

    private final LeaseGrid grid;
    private volatile boolean cut;
    public final AtomicInteger refusedRenewals = new AtomicInteger();

    public CuttableGrid(LeaseGrid grid) {
        this.grid = grid;
    }

    public void cut(boolean on) {
        cut = on;
    }

    @Override
    public String memberName() {
        return grid.memberName();
    }

    @Override
    public int liveMembers() {
        return grid.liveMembers();
    }

    @Override
    public long now() {
        return grid.now();
    }

    @Override
    public Lease acquire(String key, String token, long ttlMillis) {
        return cut ? null : grid.acquire(key, token, ttlMillis);
    }

    @Override
    public Lease renew(Lease held, long ttlMillis) {
        if (cut) {
            refusedRenewals.incrementAndGet();
            return null;
        }
        return grid.renew(held, ttlMillis);
    }

    @Override
    public void release(Lease held) {
        if (!cut) {
            grid.release(held);
        }
    }

    @Override
    public Lease holder(String key) {
        return grid.holder(key);
    }

    @Override
    public Lease entry(String key) {
        return grid.entry(key);
    }

    @Override
    public void publish(String topic, String message) {
        grid.publish(topic, message);
    }

    @Override
    public Runnable subscribe(String topic, Consumer<String> listener) {
        return grid.subscribe(topic, listener);
    }
}
