package org.imapra.inbound;

import jakarta.resource.spi.BootstrapContext;
import jakarta.resource.spi.XATerminator;
import jakarta.resource.spi.work.ExecutionContext;
import jakarta.resource.spi.work.Work;
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

/**
 * A container's BootstrapContext and WorkManager for tests: every Work runs on a new thread this class creates and
 * remembers ("test-work-N"), so a test can check that none is left running.
 */
final class TestBootstrap implements BootstrapContext, WorkManager {

    private final List<Thread> threads = new CopyOnWriteArrayList<>();
    private final List<Throwable> failures = new CopyOnWriteArrayList<>();
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
    public boolean isContextSupported(Class<? extends WorkContext> workContextClass) {
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
                failures.add(e);
                failure = e instanceof Exception ex ? ex : new RuntimeException(e);
            }
            if (listener != null) {
                listener.workCompleted(new WorkEvent(this, WorkEvent.WORK_COMPLETED, work,
                        failure == null ? null : new jakarta.resource.spi.work.WorkCompletedException(failure)));
            }
        }, "test-work-" + count.incrementAndGet());
        t.setDaemon(true);
        threads.add(t);
        if (listener != null) {
            listener.workAccepted(new WorkEvent(this, WorkEvent.WORK_ACCEPTED, work, null));
        }
        t.start();
    }

    /** Threads that ran Work and are still alive. */
    List<Thread> liveThreads() {
        return threads.stream().filter(Thread::isAlive).toList();
    }

    /** Waits until no Work thread is alive; true if so in time. */
    boolean awaitNoLiveThreads(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (Thread t : threads) {
            long left = Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
            t.join(left);
        }
        return liveThreads().isEmpty();
    }

    int workCount() {
        return count.get();
    }

    /** Exceptions that escaped a Work's run(). */
    List<Throwable> failures() {
        return failures;
    }
}
