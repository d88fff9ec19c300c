package org.imapra.it.app;

import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.Singleton;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Lets a test make callers hold pooled connections until it says so: {@link #arm()}, callers {@link #await} while
 * {@link #held()} counts them, {@link #release()} lets them go.
 */
@Singleton
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
public class Gate {

    private final AtomicInteger held = new AtomicInteger();
    private volatile CountDownLatch latch = new CountDownLatch(0);

    public void arm() {
        latch = new CountDownLatch(1);
    }

    public void release() {
        latch.countDown();
    }

    /** Counts the caller as holding until the gate is released or {@code maxMillis} passed; true if released. */
    public boolean await(long maxMillis) throws InterruptedException {
        CountDownLatch current = latch;
        held.incrementAndGet();
        try {
            return current.await(maxMillis, TimeUnit.MILLISECONDS);
        } finally {
            held.decrementAndGet();
        }
    }

    public int held() {
        return held.get();
    }
}
