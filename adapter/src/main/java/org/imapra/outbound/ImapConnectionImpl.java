package org.imapra.outbound;

import jakarta.mail.Flags;
import jakarta.mail.Message;
import jakarta.mail.search.SearchTerm;
import java.util.List;
import org.imapra.api.FolderStatus;
import org.imapra.api.ImapConnection;
import org.imapra.api.ImapException;
import org.imapra.api.ImapMessage;
import org.imapra.imap.MailboxSession;

/**
 * The application's handle. Keeps a back-pointer to its managed connection and checks it on every call; after
 * {@link #close()}, or once the managed connection invalidated it (cleanup, destroy, connection error), every call
 * throws {@link IllegalStateException}.
 */
final class ImapConnectionImpl implements ImapConnection {

    private volatile ImapManagedConnection managed;
    private volatile String closedReason;

    ImapConnectionImpl(ImapManagedConnection managed) {
        this.managed = managed;
    }

    /** The managed connection, or an IllegalStateException saying why there is none. */
    ImapManagedConnection managed() {
        ImapManagedConnection mc = managed;
        if (mc == null) {
            throw new IllegalStateException("This ImapConnection is closed (" + closedReason + "); get a new one "
                    + "from the ImapConnectionFactory");
        }
        return mc;
    }

    boolean isValid() {
        return managed != null;
    }

    /** Called by the managed connection: the handle is dead from now on. */
    void invalidate(String reason) {
        closedReason = reason;
        managed = null;
    }

    /** Called by the managed connection on associateConnection. */
    void reassociate(ImapManagedConnection mc) {
        managed = mc;
    }

    private <T> T call(String command, SessionCall<T> op) throws ImapException {
        return managed().call(this, command, op);
    }

    @Override
    public String mailbox() {
        return managed().definition().userName();
    }

    @Override
    public List<String> listFolders() throws ImapException {
        return call("LIST", MailboxSession::listFolders);
    }

    @Override
    public FolderStatus status(String folder) throws ImapException {
        String f = MailboxSessionOps.folder(folder);
        return call("STATUS " + f, s -> s.status(f));
    }

    @Override
    public long[] search(String folder, SearchTerm term) throws ImapException {
        String f = MailboxSessionOps.folder(folder);
        return call("SEARCH", s -> s.search(f, term));
    }

    @Override
    public List<ImapMessage> fetch(String folder, long... uids) throws ImapException {
        String f = MailboxSessionOps.folder(folder);
        long[] u = MailboxSessionOps.uids(uids);
        return call("UID FETCH", s -> s.fetch(f, this::isValid, u));
    }

    @Override
    public void setFlags(String folder, long[] uids, Flags flags, boolean set) throws ImapException {
        String f = MailboxSessionOps.folder(folder);
        long[] u = MailboxSessionOps.uids(uids);
        if (flags == null) {
            throw new IllegalArgumentException("flags must not be null");
        }
        call("UID STORE", s -> {
            s.setFlags(f, u, flags, set);
            return null;
        });
    }

    @Override
    public void move(String folder, long[] uids, String targetFolder) throws ImapException {
        String f = MailboxSessionOps.folder(folder);
        String t = MailboxSessionOps.folder(targetFolder);
        long[] u = MailboxSessionOps.uids(uids);
        call("UID MOVE", s -> {
            s.move(f, u, t);
            return null;
        });
    }

    @Override
    public void delete(String folder, long... uids) throws ImapException {
        String f = MailboxSessionOps.folder(folder);
        long[] u = MailboxSessionOps.uids(uids);
        call("UID EXPUNGE", s -> {
            s.delete(f, u);
            return null;
        });
    }

    @Override
    public long[] append(String folder, Message... messages) throws ImapException {
        String f = MailboxSessionOps.folder(folder);
        if (messages == null || messages.length == 0) {
            throw new IllegalArgumentException("no messages to append");
        }
        return call("APPEND", s -> s.append(f, messages));
    }

    @Override
    public void close() {
        ImapManagedConnection mc = managed;
        if (mc != null) {
            invalidate("closed by the application");
            mc.handleClosed(this);
        }
    }

    @Override
    public String toString() {
        ImapManagedConnection mc = managed;
        return "ImapConnection[" + (mc == null ? "closed" : mc.definition().userName()) + "]";
    }
}
