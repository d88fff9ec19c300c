package org.imapra.outbound;

import jakarta.resource.NotSupportedException;
import jakarta.resource.ResourceException;
import jakarta.resource.spi.ConnectionEvent;
import jakarta.resource.spi.ConnectionEventListener;
import jakarta.resource.spi.ConnectionRequestInfo;
import jakarta.resource.spi.LocalTransaction;
import jakarta.resource.spi.ManagedConnection;
import jakarta.resource.spi.ManagedConnectionMetaData;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.security.auth.Subject;
import javax.transaction.xa.XAResource;
import org.imapra.api.ImapConnectionLostException;
import org.imapra.api.ImapException;
import org.imapra.api.ImapThrottledException;
import org.imapra.config.MailboxDefinition;
import org.imapra.imap.ImapErrors;
import org.imapra.imap.MailboxSession;
import org.imapra.core.PooledConnection;

/**
 * One physical IMAP connection (one {@link MailboxSession}) and the application handles on it. Calls are serialised.
 * A lost connection (dropped, timed out, {@code * BYE ...}) fires {@code CONNECTION_ERROR_OCCURRED} so the pool evicts
 * it. The token it authenticated with bounds its life: within the token's retire margin it reports itself unusable
 * and is neither matched nor handed out again without re-authenticating.
 */
public final class ImapManagedConnection implements ManagedConnection, PooledConnection {

    private static final Logger LOG = Logger.getLogger(ImapManagedConnection.class.getName());

    private final ImapManagedConnectionFactory factory;
    private final Clock clock;
    private final Set<ImapConnectionImpl> handles = ConcurrentHashMap.newKeySet();
    private final List<ConnectionEventListener> listeners = new CopyOnWriteArrayList<>();
    private volatile MailboxSession session;
    private volatile boolean broken;
    /** Its definition changed: handles in use go on; it is no longer matched and is replaced once released. */
    private volatile boolean retired;
    private volatile boolean destroyed;
    private PrintWriter logWriter;

    ImapManagedConnection(ImapManagedConnectionFactory factory, MailboxSession session, Clock clock) {
        this.factory = factory;
        this.session = session;
        this.clock = clock;
        factory.census().add(this);
    }

    /**
     * Its definition was changed or deleted: stop matching it (a pool that still hands it out gets a new physical
     * connection); handles in use keep working until they are closed.
     */
    @Override
    public void retire() {
        retired = true;
    }

    @Override
    public MailboxDefinition definition() {
        return session.definition();
    }

    /** When the token of the current physical connection expires. */
    public Instant tokenExpiresAt() {
        return session.tokenExpiresAt();
    }

    /** True while it may be matched and handed out: alive and outside its token's retire margin. */
    boolean usable() {
        return !broken && !retired && !destroyed && session.usable(clock.instant());
    }

    /** NOOP: true if the server answered. */
    boolean ping() {
        synchronized (this) {
            if (factory.context().throttles().throttledUntil(definition()) != null) {
                return true; // no NOOP while Exchange asked to wait; calls fail fast meanwhile
            }
            try {
                session.noop();
                return true;
            } catch (ImapException e) {
                broken = true;
                LOG.log(Level.FINE, "Validation of a connection to " + definition().userName() + " failed", e);
                return false;
            }
        }
    }

    @Override
    public synchronized Object getConnection(Subject subject, ConnectionRequestInfo cri) throws ResourceException {
        if (destroyed) {
            throw new IllegalStateException("this managed connection was destroyed");
        }
        MailboxDefinition wanted = cri instanceof ImapConnectionRequestInfo r ? r.definition() : definition();
        if (broken || retired || !wanted.equals(definition()) || !session.usable(clock.instant())) {
            // The pool handed out a connection it should have retired or one for another definition:
            // replace the physical connection rather than fail or use the wrong mailbox.
            LOG.fine(() -> "Re-opening the IMAP connection for " + wanted.userName());
            session.close(); // first: its slot of the mailbox's connection budget may be the one the new one needs
            try {
                session = factory.openSession(wanted);
            } catch (ImapException | RuntimeException e) {
                broken = true;
                throw e;
            }
            broken = false;
            retired = false;
        }
        ImapConnectionImpl handle = new ImapConnectionImpl(this);
        handles.add(handle);
        return handle;
    }

    <T> T call(ImapConnectionImpl handle, String command, SessionCall<T> op) throws ImapException {
        synchronized (this) {
            if (handle.managed() != this || !handles.contains(handle)) {
                throw new IllegalStateException("This ImapConnection is no longer associated with its connection");
            }
            if (broken || destroyed) {
                throw new ImapConnectionLostException("IMAP " + command + " not sent for " + definition().userName()
                        + ": the connection was lost earlier", definition().userName(), command, null);
            }
            factory.context().throttles().check(definition(), command);
            org.imapra.core.MailboxCounters counters = factory.context().telemetry().mailbox(definition().name());
            try {
                return counters.count(kind(command), () -> op.apply(session));
            } catch (ImapThrottledException e) {
                broken = ImapErrors.isConnectionLost(e.getCause());
                throw factory.context().throttles().record(definition(), e);
            } catch (ImapConnectionLostException e) {
                broken = true;
                LOG.log(Level.WARNING, e.getMessage(), e);
                fire(ConnectionEvent.CONNECTION_ERROR_OCCURRED, handle, e);
                throw e;
            }
        }
    }

    /** "UID FETCH" → "FETCH", "STATUS INBOX" → "STATUS": the metric's kind. */
    static String kind(String command) {
        String c = command.startsWith("UID ") ? command.substring(4) : command;
        int space = c.indexOf(' ');
        return space < 0 ? c : c.substring(0, space);
    }

    void handleClosed(ImapConnectionImpl handle) {
        if (handles.remove(handle)) {
            fire(ConnectionEvent.CONNECTION_CLOSED, handle, null);
        }
    }

    private void fire(int type, ImapConnectionImpl handle, Exception e) {
        ConnectionEvent event = e == null ? new ConnectionEvent(this, type) : new ConnectionEvent(this, type, e);
        event.setConnectionHandle(handle);
        for (ConnectionEventListener l : listeners) {
            switch (type) {
                case ConnectionEvent.CONNECTION_CLOSED -> l.connectionClosed(event);
                case ConnectionEvent.CONNECTION_ERROR_OCCURRED -> l.connectionErrorOccurred(event);
                default -> throw new IllegalArgumentException("event " + type);
            }
        }
    }

    private void invalidateHandles(String reason) {
        for (ImapConnectionImpl h : handles) {
            h.invalidate(reason);
        }
        handles.clear();
    }

    @Override
    public void cleanup() {
        invalidateHandles("returned to the pool");
    }

    @Override
    public void destroy() {
        destroyed = true;
        factory.census().remove(this);
        invalidateHandles("its connection was destroyed");
        synchronized (this) {
            session.close();
        }
    }

    @Override
    public void associateConnection(Object connection) throws ResourceException {
        if (!(connection instanceof ImapConnectionImpl handle)) {
            throw new ResourceException("not an imapra connection handle: " + connection);
        }
        ImapManagedConnection previous = handle.managed();
        if (previous != this) {
            previous.handles.remove(handle);
            handle.reassociate(this);
            handles.add(handle);
        }
    }

    @Override
    public void addConnectionEventListener(ConnectionEventListener listener) {
        listeners.add(listener);
    }

    @Override
    public void removeConnectionEventListener(ConnectionEventListener listener) {
        listeners.remove(listener);
    }

    @Override
    public XAResource getXAResource() throws ResourceException {
        throw new NotSupportedException("IMAP connections are not transactional");
    }

    @Override
    public LocalTransaction getLocalTransaction() throws ResourceException {
        throw new NotSupportedException("IMAP connections are not transactional");
    }

    @Override
    public ManagedConnectionMetaData getMetaData() {
        return new ImapMetaData(definition().userName());
    }

    @Override
    public void setLogWriter(PrintWriter out) {
        this.logWriter = out;
    }

    @Override
    public PrintWriter getLogWriter() {
        return logWriter;
    }

    @Override
    public int handleCount() {
        return handles.size();
    }

    @Override
    public String toString() {
        return "ImapManagedConnection[" + definition().describe() + ", token expires " + tokenExpiresAt()
                + (broken ? ", broken" : "") + (destroyed ? ", destroyed" : "") + "]";
    }
}
