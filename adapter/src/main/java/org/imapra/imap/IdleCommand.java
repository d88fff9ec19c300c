package org.imapra.imap;

import jakarta.mail.MessagingException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.function.BooleanSupplier;
import org.eclipse.angus.mail.iap.ProtocolException;
import org.eclipse.angus.mail.iap.Response;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.eclipse.angus.mail.imap.protocol.IMAPProtocol;

/**
 * IMAP IDLE (RFC 2177) on the caller's thread, bounded by a deadline: it ends (DONE) when a message arrives (an
 * EXISTS beyond the known count, see {@link ArrivalTracker}), at the deadline (the socket's read timeout is set to
 * the time left), when the server has sent nothing at all for a while (the quiet bound: the DONE then proves the
 * connection alive, or the read timeout proves it dead), or when {@link #abort()} is called from another thread.
 * Angus' {@code IMAPFolder.idle()} cannot do the deadline: it ignores read timeouts while idling.
 */
public final class IdleCommand {

    /** Why an IDLE ended. */
    public enum End { NEW_MAIL, DEADLINE, QUIET, ABORTED }

    private final BooleanSupplier stopping;
    private final Object lock = new Object();
    private IMAPProtocol idling;
    private boolean doneSent;
    private long doneAt;
    private long heardAt;
    private boolean quiet;

    public IdleCommand(BooleanSupplier stopping) {
        this.stopping = stopping;
    }

    /**
     * Idles on the open {@code folder} until new mail, {@code deadlineMillis} (epoch ms), {@link #abort()}, or
     * {@code quietMillis} without a word from the server.
     *
     * @throws MessagingException when the connection fails or the server ends the session (BYE)
     */
    public End idle(IMAPFolder folder, ArrivalTracker arrivals, Socket socket, long deadlineMillis,
                    int readTimeoutMillis, long quietMillis) throws MessagingException {
        return (End) folder.doCommand(p -> run(p, arrivals, socket, deadlineMillis, readTimeoutMillis, quietMillis));
    }

    /** Ends the IDLE in progress, if any (sends DONE). Any thread. */
    public void abort() {
        synchronized (lock) {
            sendDone();
        }
    }

    private void sendDone() {
        if (idling != null && !doneSent) {
            doneSent = true;
            doneAt = System.currentTimeMillis();
            idling.idleAbort();
        }
    }

    private End run(IMAPProtocol p, ArrivalTracker arrivals, Socket socket, long deadline, int readTimeout,
                    long quietMillis) throws ProtocolException {
        try {
            p.idleStart();
            synchronized (lock) {
                idling = p;
                doneSent = false;
                quiet = false;
                heardAt = System.currentTimeMillis();
                if (arrivals.arrived() || stopping.getAsBoolean() || System.currentTimeMillis() >= deadline) {
                    sendDone();
                }
            }
            TrackingSocketFactory.readTimeout(socket, timeout(deadline, readTimeout, quietMillis));
            for (;;) {
                Response r = p.readIdleResponse();
                if (r == null) {
                    break;
                }
                if (r.isBYE() && r.isSynthetic() && r.getException() instanceof SocketTimeoutException
                        && waitLonger(deadline, readTimeout, quietMillis)) {
                    TrackingSocketFactory.readTimeout(socket, timeout(deadline, readTimeout, quietMillis));
                    continue;
                }
                synchronized (lock) {
                    heardAt = System.currentTimeMillis();
                }
                if (!p.processIdleResponse(r)) {
                    break;
                }
                if (arrivals.arrived()) {
                    abort();
                }
                TrackingSocketFactory.readTimeout(socket, timeout(deadline, readTimeout, quietMillis));
            }
        } finally {
            synchronized (lock) {
                idling = null;
            }
            TrackingSocketFactory.readTimeout(socket, readTimeout);
        }
        return arrivals.arrived() ? End.NEW_MAIL : stopping.getAsBoolean() ? End.ABORTED
                : quiet ? End.QUIET : End.DEADLINE;
    }

    /**
     * After a read timeout: true to go on reading (sending DONE when the deadline has come or the server has been
     * quiet too long); false when the server has not answered DONE within the read timeout: the connection is dead.
     */
    private boolean waitLonger(long deadline, int readTimeout, long quietMillis) {
        synchronized (lock) {
            long now = System.currentTimeMillis();
            if (!doneSent) {
                if (now >= deadline) {
                    sendDone();
                } else if (now - heardAt >= quietMillis) {
                    quiet = true;
                    sendDone();
                }
                return true;
            }
            return now - doneAt < readTimeout;
        }
    }

    /**
     * The read timeout to use now: the time left until the deadline or the quiet bound, whichever comes first, or
     * after DONE what is left to wait for its OK.
     */
    private int timeout(long deadline, int readTimeout, long quietMillis) {
        synchronized (lock) {
            long now = System.currentTimeMillis();
            long left = doneSent ? readTimeout - (now - doneAt) : Math.min(deadline, heardAt + quietMillis) - now;
            return (int) Math.max(1, Math.min(left, Integer.MAX_VALUE));
        }
    }
}
