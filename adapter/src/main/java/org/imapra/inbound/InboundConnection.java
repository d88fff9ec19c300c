package org.imapra.inbound;

import jakarta.mail.Folder;
import jakarta.mail.FolderNotFoundException;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import java.net.Socket;
import java.net.SocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Properties;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.eclipse.angus.mail.imap.IMAPStore;
import org.imapra.auth.AccessToken;
import org.imapra.api.ImapException;
import org.imapra.config.MailboxDefinition;
import org.imapra.core.ConnectionBudgets;
import org.imapra.imap.ImapSessions;
import org.imapra.imap.UidCommands;
import org.imapra.imap.IdleCommand;
import org.imapra.imap.BatchFetch;
import org.imapra.imap.UidSet;
import org.imapra.imap.ArrivalTracker;
import org.imapra.imap.TrackingSocketFactory;

/**
 * One activation's IMAP connection: one Angus store whose single connection has the watched folder selected
 * (READ_WRITE; content is read with BODY.PEEK). Used by the activation's watcher thread; {@link #abortIdle()} and
 * {@link #forceClose()} may be called from any thread.
 */
final class InboundConnection implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(InboundConnection.class.getName());

    private final InboundSettings settings;
    private final IMAPStore store;
    private final IMAPFolder folder;
    private final TrackingSocketFactory sockets;
    private final Socket socket;
    private final boolean idleSupported;
    private final ArrivalTracker arrivals;
    private final IdleCommand idle;
    private final AccessToken token;
    private final long uidValidity;
    private ConnectionBudgets.Slot slot = () -> { };
    private org.imapra.core.MailboxCounters counters = new org.imapra.core.Telemetry().mailbox("");

    /** Counts the commands of this connection in {@code m}. */
    void countIn(org.imapra.core.MailboxCounters m) {
        counters = m;
    }
    private ActivationLease fence;

    private InboundConnection(InboundSettings settings, IMAPStore store, IMAPFolder folder,
                              TrackingSocketFactory sockets, ArrivalTracker arrivals, IdleCommand idle,
                              AccessToken token) throws MessagingException {
        this.settings = settings;
        this.store = store;
        this.folder = folder;
        this.sockets = sockets;
        this.socket = sockets.find((SocketAddress) folder.doCommand(p -> p.getLocalSocketAddress()));
        this.idleSupported = (Boolean) folder.doCommand(p -> p.hasCapability("IDLE"));
        this.arrivals = arrivals;
        this.idle = idle;
        this.token = token;
        this.uidValidity = folder.getUIDValidity();
    }

    /**
     * Connects with {@code token} (never logged), checks the folders and selects the watched one.
     *
     * @throws MessagingException the failure; {@link MissingFolderException} when a configured folder is absent
     */
    static InboundConnection open(InboundSettings s, AccessToken token, TrackingSocketFactory sockets,
                                  IdleCommand idle, ConnectionBudgets budgets) throws MessagingException {
        MailboxDefinition d = s.definition();
        ConnectionBudgets.Slot slot;
        try {
            slot = budgets.take(d, d.connectTimeoutMillis());
        } catch (ImapException e) {
            throw new MessagingException(e.getMessage(), e);
        }
        try {
            InboundConnection c = open(s, token, sockets, idle);
            c.slot = slot;
            return c;
        } catch (MessagingException | RuntimeException e) {
            slot.close();
            throw e;
        }
    }

    private static InboundConnection open(InboundSettings s, AccessToken token, TrackingSocketFactory sockets,
                                          IdleCommand idle) throws MessagingException {
        MailboxDefinition d = s.definition();
        Properties props = ImapSessions.properties(d);
        props.put("mail.imaps.ssl.socketFactory", sockets);
        IMAPStore store = (IMAPStore) Session.getInstance(props).getStore("imaps");
        try {
            store.connect(d.imapHost(), d.imapPort(), d.userName(), token.value());
            if (s.afterDelivery() == AfterDelivery.MOVE) {
                requireFolder(store, s.moveTo(), "moveTo");
            }
            if (s.errorFolder() != null && !store.getFolder(s.errorFolder()).exists()) {
                LOG.warning("errorFolder '" + s.errorFolder() + "' does not exist in " + d.userName() + ": a message "
                        + "that fails " + s.maxAttempts() + " times will stay in " + s.folder() + " until it is "
                        + "created");
            }
            IMAPFolder f = (IMAPFolder) store.getFolder(s.folder());
            try {
                f.open(Folder.READ_WRITE); // no LIST before: Angus asks for one only when the SELECT fails
            } catch (FolderNotFoundException e) {
                throw missing(s.folder(), "folder");
            }
            ArrivalTracker arrivals = new ArrivalTracker(f.getMessageCount());
            f.doCommand(p -> {
                p.addResponseHandler(arrivals);
                return null;
            });
            return new InboundConnection(s, store, f, sockets, arrivals, idle, token);
        } catch (MessagingException | RuntimeException e) {
            closeQuietly(store);
            sockets.closeAll();
            throw e;
        }
    }

    private static void requireFolder(IMAPStore store, String name, String property) throws MessagingException {
        if (!store.getFolder(name).exists()) {
            throw missing(name, property);
        }
    }

    private static MissingFolderException missing(String name, String property) {
        return new MissingFolderException(property + " '" + name + "' does not exist in the mailbox: create the "
                + "folder or change " + property);
    }

    long uidValidity() {
        return uidValidity;
    }

    /** The server advertises IDLE (asked on the folder's connection: the store's would open a second one). */
    boolean supportsIdle() {
        return idleSupported && socket != null;
    }

    /** When to replace this connection: at its token's retire margin, before the server's AccessTokenExpired BYE. */
    Instant reconnectAt() {
        return token.expiresAt().minus(token.retireMargin());
    }

    /** When the token this connection authenticated with expires (the server ends the session then). */
    Instant tokenExpiresAt() {
        return token.expiresAt();
    }

    /** The retire margin of that token. */
    Duration retireMargin() {
        return token.retireMargin();
    }

    /** True while the folder is open (may send NOOP to find out). */
    boolean isOpen() {
        return folder.isOpen();
    }

    long[] search() throws MessagingException {
        return search(1);
    }

    /** The matching UIDs from {@code fromUid} on, ascending (1: the whole folder). */
    long[] search(long fromUid) throws MessagingException {
        return counters.count("SEARCH", () -> UidCommands.search(folder, settings.searchFilter().toTerm(), fromUid,
                arrivals));
    }

    /**
     * The messages with these UIDs, ascending, with their flags and sizes ({@link BatchFetch}); under an UNSEEN
     * filter, those now \Seen are left out (they no longer match).
     */
    BatchFetch.Fetched fetch(long[] uids) throws MessagingException {
        return counters.count("FETCH", () -> BatchFetch.fetch(folder, uids, settings.searchFilter().unseenOnly()));
    }

    /** Fetches the small messages of a part of a batch whole, in one command ({@link BatchFetch}). */
    void fetchWhole(List<Message> part, java.util.function.ToLongFunction<Message> wholeSize)
            throws MessagingException {
        counters.count("FETCH", () -> {
            BatchFetch.fetchWhole(folder, part, wholeSize);
            return null;
        });
    }

    long uid(Message m) throws MessagingException {
        return folder.getUID(m);
    }

    /** Every acknowledgement and move on this connection is first fenced by {@code lease} (its epoch still current). */
    void fencedBy(ActivationLease lease) {
        this.fence = lease;
    }

    private void fence() throws MessagingException {
        if (fence != null) {
            fence.fence();
        }
    }

    /**
     * Acknowledges delivered messages as {@code afterDelivery} says, in one command (MOVE: one UID MOVE), once the
     * lease fence passed.
     */
    void acknowledge(Collection<Long> uids) throws MessagingException {
        fence();
        String set = UidSet.of(uids);
        AfterDelivery after = settings.afterDelivery();
        if (after == AfterDelivery.NONE) {
            return;
        }
        counters.count(after == AfterDelivery.MOVE ? "MOVE" : "STORE", () -> {
            switch (after) {
                case MARK_SEEN -> UidCommands.addFlags(folder, set, "\\Seen");
                case MOVE -> UidCommands.move(folder, set, settings.moveTo());
                case DELETE -> UidCommands.delete(folder, set);
                case NONE -> { }
            }
            return null;
        });
    }

    void moveTo(long uid, String target) throws MessagingException {
        fence();
        counters.count("MOVE", () -> {
            UidCommands.move(folder, UidSet.of(uid), target);
            return null;
        });
    }

    /**
     * IDLE until a message arrives, {@code deadlineMillis} (epoch ms), {@link #abortIdle()}, or the server has been
     * silent for {@code idleCheckSeconds} (then DONE must be answered within the read timeout).
     */
    IdleCommand.End idle(long deadlineMillis) throws MessagingException {
        return counters.count("IDLE", () -> idle.idle(folder, arrivals, socket, deadlineMillis,
                settings.definition().readTimeoutMillis(), 1000L * settings.idleCheckSeconds()));
    }

    /** Ends an IDLE in progress. Any thread. */
    void abortIdle() {
        idle.abort();
    }

    /** Closes the sockets without talking to the server: unblocks the watcher. Any thread. */
    void forceClose() {
        sockets.closeAll();
    }

    /** Closes the folder (no expunge) and logs out. Never throws. */
    @Override
    public void close() {
        try {
            if (folder.isOpen()) {
                folder.close(false);
            }
        } catch (MessagingException | RuntimeException e) {
            LOG.log(Level.FINE, "Closing " + settings.describe() + " failed: " + e.getMessage(), e);
        }
        closeQuietly(store);
        sockets.closeAll();
        slot.close();
    }

    private static void closeQuietly(IMAPStore store) {
        try {
            store.close();
        } catch (MessagingException | RuntimeException e) {
            LOG.log(Level.FINE, "Logging out failed: " + e.getMessage(), e);
        }
    }

    /**
     * UID SEARCH found messages the folder's message list does not hold: the server's and Angus' view of the folder
     * differ (or the messages were removed meanwhile). A new connection (SELECT) brings them in step.
     */
    static final class OutOfStepException extends MessagingException {
        private static final long serialVersionUID = 1L;

        OutOfStepException(String message) {
            super(message);
        }
    }

    /** A folder the activation needs does not exist. */
    static final class MissingFolderException extends MessagingException {
        private static final long serialVersionUID = 1L;

        MissingFolderException(String message) {
            super(message);
        }
    }
}
