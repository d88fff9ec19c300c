package org.imapra.inbound;

import jakarta.resource.spi.work.Work;
import jakarta.resource.spi.work.WorkAdapter;
import jakarta.resource.spi.work.WorkEvent;
import jakarta.resource.spi.work.WorkException;
import jakarta.resource.spi.work.WorkManager;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Delivers a batch: one by one on the watcher's thread through one endpoint ({@code maxConcurrency} 1, mailbox
 * order; {@link EndpointInvoker.Series}), or up to
 * {@code maxConcurrency} at a time as Work on the WorkManager. Each result is handed to the sink on the calling
 * thread; when the sink answers false, or the activation stops, no further delivery starts, and the ones in flight
 * are waited for (a delivery is never abandoned half way). Every delivery hands a result back, whatever it throws
 * ({@link Delivery.Result#BROKEN} for an Error that is not the message's fault), so a batch never waits forever.
 */
final class BatchDispatcher {

    private static final Logger LOG = Logger.getLogger(BatchDispatcher.class.getName());

    private final EndpointInvoker invoker;
    private final WorkManager workManager;
    private final int maxConcurrency;
    private final BooleanSupplier stopping;

    BatchDispatcher(EndpointInvoker invoker, WorkManager workManager, int maxConcurrency, BooleanSupplier stopping) {
        this.invoker = invoker;
        this.workManager = workManager;
        this.maxConcurrency = maxConcurrency;
        this.stopping = stopping;
    }

    /** @return true when every delivery of the batch ran and the sink asked to go on */
    boolean deliver(List<Delivery> batch, Predicate<Delivery> sink) {
        if (maxConcurrency <= 1) {
            try (EndpointInvoker.Series series = invoker.series()) { // one endpoint for the batch's deliveries
                for (Delivery d : batch) {
                    if (stopping.getAsBoolean() || !sink.test(attempt(() -> series.deliver(d), d))) {
                        return false;
                    }
                }
            }
            return true;
        }
        BlockingQueue<Delivery> done = new LinkedBlockingQueue<>();
        Iterator<Delivery> next = batch.iterator();
        boolean go = true;
        boolean interrupted = false;
        Throwable sinkFailure = null;
        int inFlight = 0;
        try {
            while (true) {
                while (go && inFlight < maxConcurrency && next.hasNext() && !stopping.getAsBoolean()) {
                    start(next.next(), done);
                    inFlight++;
                }
                if (inFlight == 0) {
                    if (sinkFailure instanceof Error err) {
                        throw err;
                    } else if (sinkFailure != null) {
                        throw (RuntimeException) sinkFailure;
                    }
                    return go && !next.hasNext();
                }
                Delivery d;
                try {
                    d = done.take(); // every delivery ends: onMessage returns or throws
                } catch (InterruptedException e) {
                    interrupted = true;
                    go = false;
                    continue;
                }
                inFlight--;
                try {
                    boolean more = sink.test(d); // every result is settled, also after the sink said stop
                    go = go && more;
                } catch (RuntimeException | Error e) {
                    // the ones in flight are still waited for: none is abandoned half way
                    sinkFailure = sinkFailure == null ? e : sinkFailure;
                    go = false;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The delivery's result, always: an Error or RuntimeException escaping the invoker makes it BROKEN. */
    private Delivery attempt(Delivery d) {
        return attempt(() -> invoker.deliver(d), d);
    }

    private static Delivery attempt(java.util.function.Supplier<Delivery> delivery, Delivery d) {
        try {
            return delivery.get();
        } catch (RuntimeException | Error e) {
            return d.with(Delivery.Result.BROKEN, e);
        }
    }

    private void start(Delivery d, BlockingQueue<Delivery> done) {
        Work work = new Work() {
            @Override
            public void run() {
                Delivery result = d.with(Delivery.Result.BROKEN, new IllegalStateException("delivery ended "
                        + "without a result")); // made first: the result is handed back even after an Error
                try {
                    result = attempt(d);
                } finally {
                    done.add(result);
                }
            }

            @Override
            public void release() {
                // a delivery runs to its end
            }
        };
        AtomicBoolean refused = new AtomicBoolean();
        WorkAdapter rejected = new WorkAdapter() {
            @Override
            public void workRejected(WorkEvent e) {
                if (refused.compareAndSet(false, true)) {
                    done.add(d.with(Delivery.Result.UNAVAILABLE, e.getException()));
                }
            }
        };
        try {
            workManager.scheduleWork(work, WorkManager.INDEFINITE, null, rejected);
        } catch (WorkException | RuntimeException e) {
            if (refused.compareAndSet(false, true)) {
                LOG.log(Level.FINE, "The WorkManager refused a delivery; delivering on this thread: "
                        + e.getMessage(), e);
                work.run();
            }
        }
    }
}
