package org.imapra.inbound;

import jakarta.resource.spi.work.Work;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The Work that renews an activation's lease every third of its TTL while the watcher consumes, so that the lease
 * holds while the watcher sits in IDLE or in a long delivery. When a renewal fails (lost), or the instance holds more
 * than its share, it tells the watcher ({@code onLost}, {@code onYield}), which stops consuming at once.
 */
final class LeaseKeeper implements Work {

    private final ActivationLease lease;
    private final StopSignal signal;
    private final Runnable onLost;
    private final Runnable onYield;
    private final CountDownLatch finished = new CountDownLatch(1);

    LeaseKeeper(ActivationLease lease, StopSignal signal, Runnable onLost, Runnable onYield) {
        this.lease = lease;
        this.signal = signal;
        this.onLost = onLost;
        this.onYield = onYield;
    }

    @Override
    public void run() {
        try {
            long period = Math.max(50, lease.ttlMillis() / 3);
            while (!signal.awaitUntil(System.currentTimeMillis() + period)) {
                if (!lease.held()) {
                    continue;
                }
                if (!lease.renew()) {
                    onLost.run();
                } else if (lease.shouldYield()) {
                    onYield.run();
                }
            }
        } finally {
            finished.countDown();
        }
    }

    @Override
    public void release() {
        signal.stop();
    }

    boolean awaitFinished(long millis) throws InterruptedException {
        return finished.await(millis, TimeUnit.MILLISECONDS);
    }
}
