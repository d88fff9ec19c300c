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
