package org.imapra.outbound;

import jakarta.resource.ResourceException;
import jakarta.resource.spi.ConnectionEvent;
import jakarta.resource.spi.ConnectionEventListener;
import jakarta.resource.spi.ConnectionManager;
import jakarta.resource.spi.ConnectionRequestInfo;
import jakarta.resource.spi.ManagedConnection;
import jakarta.resource.spi.ManagedConnectionFactory;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The connection manager for use without an application server (tests, tools, benchmarks): a small pool with the
 * same rules as a container's. Idle connections are matched by definition; those within their token's retire margin
 * are destroyed instead of reused; one that has been idle for {@code validateAfterIdleMillis} or longer is checked
 * with a NOOP before it is handed out, and replaced if the server or the network dropped it meanwhile; at most
 * {@code maxSize} exist; a caller beyond that waits up to {@code maxWaitMillis} and then gets a clear error. A
 * connection error destroys the connection.
 */
public final class NonManagedConnectionManager implements ConnectionManager, ConnectionEventListener {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = Logger.getLogger(NonManagedConnectionManager.class.getName());

    /** Default of {@code validateAfterIdleMillis}: a connection idle this long gets a NOOP before it is reused. */
    public static final long DEFAULT_VALIDATE_AFTER_IDLE_MILLIS = 30_000;

    private final int maxSize;
    private final long maxWaitMillis;
    private final long validateAfterIdleNanos;
    private final transient Deque<ImapManagedConnection> idle = new ArrayDeque<>();
    /** When each idle connection came back (System.nanoTime()). */
    private final transient Map<ImapManagedConnection, Long> idleSince = new IdentityHashMap<>();
    private int total;

    public NonManagedConnectionManager(int maxSize, long maxWaitMillis) {
        this(maxSize, maxWaitMillis, DEFAULT_VALIDATE_AFTER_IDLE_MILLIS);
    }

    /** {@code validateAfterIdleMillis} 0: every reused connection is checked with a NOOP first. */
    public NonManagedConnectionManager(int maxSize, long maxWaitMillis, long validateAfterIdleMillis) {
        if (maxSize < 1 || maxWaitMillis < 0 || validateAfterIdleMillis < 0) {
            throw new IllegalArgumentException("maxSize must be at least 1, maxWaitMillis and validateAfterIdleMillis "
                    + "not negative");
        }
        this.maxSize = maxSize;
        this.maxWaitMillis = maxWaitMillis;
        this.validateAfterIdleNanos = validateAfterIdleMillis * 1_000_000L;
    }

    @Override
    public Object allocateConnection(ManagedConnectionFactory mcf, ConnectionRequestInfo cri)
            throws ResourceException {
        ImapManagedConnection reused = null;
        ImapManagedConnection evicted = null;
        boolean validate = false;
        long deadline = System.nanoTime() + maxWaitMillis * 1_000_000L;
        synchronized (this) {
            while (true) {
                evicted = purgeUnusable();
                if (evicted != null) {
                    break;
                }
                reused = (ImapManagedConnection) mcf.matchManagedConnections(Set.copyOf(idle), null, cri);
                if (reused != null) {
                    idle.remove(reused);
                    Long since = idleSince.remove(reused);
                    validate = since == null || System.nanoTime() - since >= validateAfterIdleNanos;
                    break;
                }
                if (total < maxSize) {
                    total++;
                    break;
                }
                if (!idle.isEmpty()) {
                    evicted = idle.removeLast();
                    idleSince.remove(evicted);
                    break;
                }
                long left = (deadline - System.nanoTime()) / 1_000_000L;
                if (left <= 0) {
                    throw new ResourceException("No IMAP connection became free within " + maxWaitMillis
                            + " ms: all " + maxSize + " connections of the pool are in use");
                }
                try {
                    wait(left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new ResourceException("Interrupted while waiting for a free IMAP connection", e);
                }
            }
        }
        if (evicted != null) {
            // the slot of a retired or mismatched idle connection is reused for a new one
            destroyQuietly(evicted);
        }
        if (validate && !reused.ping()) {
            // dropped while idle (server timeout, network): its slot goes to a new connection
            LOG.fine(() -> "An idle pooled IMAP connection no longer answered: replacing it");
            destroyQuietly(reused);
            reused = null;
        }
        ImapManagedConnection mc = reused;
        try {
            if (mc == null) {
                mc = (ImapManagedConnection) mcf.createManagedConnection(null, cri);
                mc.addConnectionEventListener(this);
            }
            return mc.getConnection(null, cri);
        } catch (ResourceException | RuntimeException e) {
            if (mc != null) {
                destroyQuietly(mc);
            }
            release();
            throw e;
        }
    }

    /** Removes one idle connection that may no longer be used, or returns null. Caller holds the lock. */
    private ImapManagedConnection purgeUnusable() {
        for (ImapManagedConnection mc : idle) {
            if (!mc.usable()) {
                idle.remove(mc);
                idleSince.remove(mc);
                return mc;
            }
        }
        return null;
    }

    private synchronized void release() {
        total--;
        notifyAll();
    }

    private static void destroyQuietly(ImapManagedConnection mc) {
        try {
            mc.destroy();
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "Destroying " + mc + " failed", e);
        }
    }

    @Override
    public void connectionClosed(ConnectionEvent event) {
        ImapManagedConnection mc = (ImapManagedConnection) event.getSource();
        if (mc.handleCount() > 0) {
            return;
        }
        mc.cleanup();
        synchronized (this) {
            idle.addFirst(mc);
            idleSince.put(mc, System.nanoTime());
            notifyAll();
        }
    }

    @Override
    public void connectionErrorOccurred(ConnectionEvent event) {
        ImapManagedConnection mc = (ImapManagedConnection) event.getSource();
        destroyQuietly(mc);
        release();
    }

    @Override
    public void localTransactionStarted(ConnectionEvent event) {
        // not transactional
    }

    @Override
    public void localTransactionCommitted(ConnectionEvent event) {
        // not transactional
    }

    @Override
    public void localTransactionRolledback(ConnectionEvent event) {
        // not transactional
    }

    /** Connections in use (handed out) right now. */
    public synchronized int inUse() {
        return total - idle.size();
    }

    /** Idle connections kept for reuse. */
    public synchronized int idleCount() {
        return idle.size();
    }

    /** Destroys the idle connections (those in use are destroyed when they come back). */
    public void close() {
        Deque<ImapManagedConnection> drained;
        synchronized (this) {
            drained = new ArrayDeque<>(idle);
            total -= idle.size();
            idle.clear();
            idleSince.clear();
        }
        drained.forEach(NonManagedConnectionManager::destroyQuietly);
    }
}
