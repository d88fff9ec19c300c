package org.imapra.standin;

import com.icegreen.greenmail.imap.ImapResponse;
import com.icegreen.greenmail.imap.ImapSessionFolder;
import com.icegreen.greenmail.imap.ImapSession;
import com.icegreen.greenmail.store.FolderException;
import com.icegreen.greenmail.store.FolderListener;
import jakarta.mail.Flags;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Locale;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * IMAP IDLE (RFC 2177) as Exchange Online answers it, without the window GreenMail's own IDLE has: GreenMail sends
 * the pending changes, then registers its listener, so a message added in between is reported only after DONE (an
 * IDLE client then waits until it renews its IDLE). Here the listener is registered first; every change, and what
 * was pending, is sent from the session's own record of changes ({@code unsolicitedResponses}), so nothing is
 * reported twice and nothing is missed.
 */
final class StandInIdle implements FolderListener {

    private static final Logger LOG = Logger.getLogger(StandInIdle.class.getName());

    /** Writes one response line to the client (under the connection's I/O lock). */
    @FunctionalInterface
    interface LineWriter {
        void write(String line) throws IOException;
    }

    /** Test hook: runs after the pending changes were sent and before {@code + idling} (the old window). */
    static volatile Runnable afterFirstFlush;

    private final ImapSession session;
    private final Object ioLock;
    private final OutputStream out;
    private final ImapResponse response;
    private volatile boolean broken;

    private StandInIdle(ImapSession session, Object ioLock, OutputStream out) {
        this.session = session;
        this.ioLock = ioLock;
        this.out = out;
        this.response = new ImapResponse(out);
    }

    /**
     * Serves {@code tag IDLE} (its line already read): untagged updates as they happen, until the client's DONE.
     * Returns false when the connection ended.
     */
    static boolean serve(ImapSession session, String tag, InputStream in, OutputStream out, Object ioLock,
                         LineWriter lines) throws IOException {
        ImapSessionFolder folder = session.getSelected();
        if (folder == null) {
            lines.write(tag + " BAD Command received in Invalid state.");
            return true;
        }
        StandInIdle idle = new StandInIdle(session, ioLock, out);
        folder.addListener(idle);
        try {
            idle.flush();
            Runnable hook = afterFirstFlush;
            if (hook != null) {
                hook.run();
            }
            lines.write("+ IDLE accepted, awaiting DONE command.");
            String line = ImapLines.readLine(in, 1024);
            if (line == null) {
                return false;
            }
            folder.removeListener(idle);
            idle.flush();
            if (!line.strip().toUpperCase(Locale.ROOT).equals("DONE")) {
                lines.write(tag + " BAD Command Argument Error. 11");
                return true;
            }
            lines.write(tag + " OK IDLE completed.");
            return !idle.broken;
        } finally {
            folder.removeListener(idle);
        }
    }

    /** Sends what the session has recorded since the last report (EXISTS, RECENT, FETCH FLAGS, EXPUNGE). */
    private void flush() {
        synchronized (ioLock) {
            try {
                session.unsolicitedResponses(response);
                out.flush();
            } catch (FolderException | IOException | RuntimeException e) {
                broken = true;
                LOG.log(Level.FINE, "Cannot send an IDLE update", e);
            }
        }
    }

    // Called on the thread that changed the folder, after the session's own listener recorded the change.

    @Override
    public void added(int msn) {
        flush();
    }

    @Override
    public void expunged(int msn) {
        flush();
    }

    @Override
    public void flagsUpdated(int msn, Flags flags, Long uid) {
        flush();
    }

    @Override
    public void mailboxDeleted() {
        // the session's listener closes the connection
    }
}
