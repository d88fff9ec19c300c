package org.imapra.testsupport;

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
import java.util.function.Consumer;

/**
 * A container's BootstrapContext and WorkManager without a container: every Work runs on a new daemon thread this
 * class creates and remembers ({@code <prefix>-N}), so a test can check that none is left running and that no
 * exception escaped a Work. {@code doWork} runs on the caller's thread. There is no timer (imapra must not need one),
 * no transaction support and no work context.
 */
public final class ThreadWorkManager implements BootstrapContext, WorkManager, AutoCloseable {

    private final String threadPrefix;
    private final Consumer<Throwable> onFailure;
    private final List<Thread> threads = new CopyOnWriteArrayList<>();
    private final List<Throwable> failures = new CopyOnWriteArrayList<>();
    private final AtomicInteger count = new AtomicInteger();

    /** Work threads named {@code <threadPrefix>-N}. */
    public ThreadWorkManager(String threadPrefix) {
        this(threadPrefix, t -> { });
    }

    /** {@code onFailure} also sees every exception that escapes a Work (e.g. to check it for secrets). */
    public ThreadWorkManager(String threadPrefix, Consumer<Throwable> onFailure) {
        this.threadPrefix = threadPrefix;
        this.onFailure = onFailure;
    }

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
                onFailure.accept(e);
                failure = e instanceof Exception ex ? ex : new RuntimeException(e);
            }
            if (listener != null) {
                listener.workCompleted(new WorkEvent(this, WorkEvent.WORK_COMPLETED, work,
                        failure == null ? null : new WorkCompletedException(failure)));
            }
        }, threadPrefix + "-" + count.incrementAndGet());
        t.setDaemon(true);
        threads.add(t);
        if (listener != null) {
            listener.workAccepted(new WorkEvent(this, WorkEvent.WORK_ACCEPTED, work, null));
        }
        t.start();
    }

    /** Threads that ran Work and are still alive. */
    public List<Thread> liveThreads() {
        return threads.stream().filter(Thread::isAlive).toList();
    }

    /** Waits until no Work thread is alive; true if so in time. */
    public boolean awaitNoLiveThreads(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (Thread t : threads) {
            t.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
        }
        return liveThreads().isEmpty();
    }

    /** Work scheduled or started so far. */
    public int workCount() {
        return count.get();
    }

    /** Exceptions that escaped a Work's run(). */
    public List<Throwable> failures() {
        return failures;
    }

    /** Interrupts the Work threads still alive and waits up to 5 s for them. */
    @Override
    public void close() {
        liveThreads().forEach(Thread::interrupt);
        try {
            awaitNoLiveThreads(Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
