package org.imapra.auth;

import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * An {@link java.util.concurrent.ExecutorService} that runs each task on the calling thread. Given to MSAL4J so its
 * "async" token requests run on the (container-managed) caller's thread instead of a pool of MSAL's own.
 */
final class CallerRunsExecutor extends AbstractExecutorService {

    static final CallerRunsExecutor INSTANCE = new CallerRunsExecutor();

    private CallerRunsExecutor() {
    }

    @Override
    public void execute(Runnable command) {
        command.run();
    }

    @Override
    public void shutdown() {
        // shared and stateless: nothing to shut down
    }

    @Override
    public List<Runnable> shutdownNow() {
        return List.of();
    }

    @Override
    public boolean isShutdown() {
        return false;
    }

    @Override
    public boolean isTerminated() {
        return false;
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) {
        return true;
    }
}
