package org.imapra.reliability;

import jakarta.resource.spi.BootstrapContext;
import jakarta.resource.spi.XATerminator;
import jakarta.resource.spi.work.ExecutionContext;
import jakarta.resource.spi.work.Work;
import jakarta.resource.spi.work.WorkCompletedException;
import jakarta.resource.spi.work.WorkContext;
import jakarta.resource.spi.work.WorkEvent;
import jakarta.resource.spi.work.WorkListener;
import jakarta.resource.spi.work.WorkManager;
import jakarta.transaction.TransactionSynchronizationRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Timer;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** A container's BootstrapContext and WorkManager: each Work on a new, remembered thread, so none can be left over. */
final class WorkThreads implements BootstrapContext, WorkManager {

    private final List<Thread> threads = new CopyOnWriteArrayList<>();
    final List<Throwable> failures = new CopyOnWriteArrayList<>();
    private final AtomicInteger count = new AtomicInteger();

    @Override
    public WorkManager getWorkManager() {
        return this;
    }

    @Override
    public XATerminator getXATerminator() {
        return null;
    }

    @Override
    public Timer createTimer() {
        throw new UnsupportedOperationException("imapra must not need a timer");
    }

    @Override
    public boolean isContextSupported(Class<? extends WorkContext> c) {
        return false;
    }

    @Override
    public TransactionSynchronizationRegistry getTransactionSynchronizationRegistry() {
        return null;
    }

    @Override
    public void doWork(Work work) {
        work.run();
    }

    @Override
    public void doWork(Work work, long startTimeout, ExecutionContext ctx, WorkListener listener) {
        work.run();
    }

    @Override
    public long startWork(Work work) {
        start(work, null);
        return 0;
    }

    @Override
    public long startWork(Work work, long startTimeout, ExecutionContext ctx, WorkListener listener) {
        start(work, listener);
        return 0;
    }

    @Override
    public void scheduleWork(Work work) {
        start(work, null);
    }

    @Override
    public void scheduleWork(Work work, long startTimeout, ExecutionContext ctx, WorkListener listener) {
        start(work, listener);
    }

    private void start(Work work, WorkListener listener) {
        Thread t = new Thread(() -> {
            Exception failure = null;
            try {
                work.run();
            } catch (RuntimeException | Error e) {
                failures.add(Evidence.exception(e));
                failure = e instanceof Exception ex ? ex : new RuntimeException(e);
            }
            if (listener != null) {
                listener.workCompleted(new WorkEvent(this, WorkEvent.WORK_COMPLETED, work,
                        failure == null ? null : new WorkCompletedException(failure)));
            }
        }, "reliability-work-" + count.incrementAndGet());
        t.setDaemon(true);
        threads.add(t);
        if (listener != null) {
            listener.workAccepted(new WorkEvent(this, WorkEvent.WORK_ACCEPTED, work, null));
        }
        t.start();
    }

    List<Thread> liveThreads() {
        return threads.stream().filter(Thread::isAlive).toList();
    }

    boolean awaitNoLiveThreads(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (Thread t : threads) {
            t.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
        }
        return liveThreads().isEmpty();
    }

    /** Work scheduled so far. */
    int workCount() {
        return count.get();
    }
}
