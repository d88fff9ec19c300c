package org.imapra.standin;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waiting for a condition the servers reach on their own time (sessions closed, a log line written). */
public final class Polling {

    private Polling() {
    }

    /** Polls {@code condition} every 20 ms until it holds or {@code timeout} passes; returns whether it held. */
    public static boolean await(BooleanSupplier condition, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(20);
        }
        return true;
    }
}
