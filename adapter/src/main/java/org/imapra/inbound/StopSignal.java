package org.imapra.inbound;

/** An activation's stop request, and bounded waits that end early when it comes. */
final class StopSignal {

    private volatile boolean stopping;

    synchronized void stop() {
        stopping = true;
        notifyAll();
    }

    boolean stopping() {
        return stopping;
    }

    /** Wakes the waits of {@link #awaitUntil(long, java.util.function.BooleanSupplier)}, which check their condition. */
    synchronized void wake() {
        notifyAll();
    }

    /**
     * Like {@link #awaitUntil(long)}, and ends early too when {@code also} holds (checked at each {@link #wake()}).
     *
     * @return true when stopping or {@code also} holds
     */
    synchronized boolean awaitUntil(long deadlineMillis, java.util.function.BooleanSupplier also) {
        try {
            for (long left = deadlineMillis - System.currentTimeMillis(); !stopping && !also.getAsBoolean() && left > 0;
                 left = deadlineMillis - System.currentTimeMillis()) {
                wait(left);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopping = true;
        }
        return stopping || also.getAsBoolean();
    }

    /**
     * Waits until {@code deadlineMillis} (epoch ms) or a stop request; an interrupt counts as a stop request.
     *
     * @return true when stopping
     */
    synchronized boolean awaitUntil(long deadlineMillis) {
        try {
            for (long left = deadlineMillis - System.currentTimeMillis(); !stopping && left > 0;
                 left = deadlineMillis - System.currentTimeMillis()) {
                wait(left);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopping = true;
        }
        return stopping;
    }
}
