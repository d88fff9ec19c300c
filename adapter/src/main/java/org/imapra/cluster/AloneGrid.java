package org.imapra.cluster;

import java.util.function.Consumer;

/** {@link LeaseGrid#ALONE}: no data grid; every lease is granted at once and never lost. */
final class AloneGrid implements LeaseGrid {

    @Override
    public String memberName() {
        return "this instance";
    }

    @Override
    public int liveMembers() {
        return 1;
    }

    @Override
    public long now() {
        return System.currentTimeMillis();
    }

    @Override
    public Lease acquire(String key, String token, long ttlMillis) {
        long now = now();
        return new Lease(key, memberName(), token, 1, Long.MAX_VALUE, now);
    }

    @Override
    public Lease renew(Lease held, long ttlMillis) {
        return held;
    }

    @Override
    public void release(Lease held) {
    }

    @Override
    public Lease holder(String key) {
        return null;
    }

    @Override
    public Lease entry(String key) {
        return null;
    }

    @Override
    public void publish(String topic, String message) {
    }

    @Override
    public Runnable subscribe(String topic, Consumer<String> listener) {
        return () -> { };
    }

    @Override
    public boolean shared() {
        return false;
    }
}
