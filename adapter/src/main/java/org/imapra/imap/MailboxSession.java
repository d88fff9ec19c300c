package org.imapra.imap;

import jakarta.mail.FetchProfile;
import jakarta.mail.Flags;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.UIDFolder;
import jakarta.mail.search.SearchTerm;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.angus.mail.imap.AppendUID;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.eclipse.angus.mail.imap.IMAPMessage;
import org.eclipse.angus.mail.imap.IMAPStore;
import org.eclipse.angus.mail.imap.protocol.Status;
import org.imapra.api.FolderStatus;
import org.imapra.api.ImapException;
import org.imapra.api.ImapMessage;
import org.imapra.auth.AccessToken;
import org.imapra.config.MailboxDefinition;

/**
 * One physical, authenticated IMAP connection (one Angus {@link IMAPStore}) and the folder selected on it. Store-level
 * commands (LIST, STATUS, APPEND) first close the selected folder, so the store never opens a second connection.
 * Not thread-safe: its managed connection serialises calls.
 */
public final class MailboxSession implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(MailboxSession.class.getName());

    private final MailboxDefinition definition;
    private final IMAPStore store;
    private final AccessToken token;
    private final Runnable onClose;
    private IMAPFolder selected;
    private long generation;

    private MailboxSession(MailboxDefinition definition, IMAPStore store, AccessToken token, Runnable onClose) {
        this.onClose = onClose;
        this.definition = definition;
        this.store = store;
        this.token = token;
    }

    /** Connects and authenticates with {@code token}; the token is never logged. */
    public static MailboxSession open(MailboxDefinition d, AccessToken token) throws ImapException {
        return open(d, token, () -> { });
    }

    /** Like {@link #open(MailboxDefinition, AccessToken)}; {@code onClose} runs once when the session is closed. */
    public static MailboxSession open(MailboxDefinition d, AccessToken token, Runnable onClose) throws ImapException {
        try {
            IMAPStore store = (IMAPStore) ImapSessions.session(d).getStore("imaps");
            store.connect(d.imapHost(), d.imapPort(), d.userName(), token.value());
            confirm(store);
            LOG.fine(() -> "Connected to " + d.imapHost() + ":" + d.imapPort() + " as " + d.userName());
            return new MailboxSession(d, store, token, onClose);
        } catch (MessagingException | RuntimeException e) {
            throw ImapErrors.translate(d.userName(), endpoint(d), "AUTHENTICATE " + d.saslMechanism(), e);
        }
    }

    /**
     * One NOOP after AUTHENTICATE: Exchange answers {@code OK AUTHENTICATE completed.} to a token that may not open the
     * mailbox, and only the next command says {@code BAD User is authenticated but not connected.}; such a session
     * is closed here rather than pooled.
     */
    private static void confirm(IMAPStore store) throws MessagingException {
        try {
            ((IMAPFolder) store.getDefaultFolder()).doCommand(p -> {
                p.noop();
                return null;
            });
        } catch (MessagingException | RuntimeException e) {
            try {
                store.close();
            } catch (MessagingException closing) {
                e.addSuppressed(closing);
            }
            throw e;
        }
    }

    private static String endpoint(MailboxDefinition d) {
        return d.imapHost() + ":" + d.imapPort();
    }

    public MailboxDefinition definition() {
        return definition;
    }

    /** When the token this session authenticated with expires (the server ends the session then). */
    public Instant tokenExpiresAt() {
        return token.expiresAt();
    }

    /** False from the token's retire margin on: the session must not be handed out any more. */
    public boolean usable(Instant now) {
        return token.usable(now);
    }

    private ImapException fail(String command, Exception e) {
        return ImapErrors.translate(definition.userName(), endpoint(definition), command, e);
    }

    private void closeSelected() {
        if (selected != null) {
            IMAPFolder f = selected;
            selected = null;
            generation++;
            try {
                if (f.isOpen()) {
                    f.close(false);
                }
            } catch (MessagingException e) {
                LOG.log(Level.FINE, "Closing folder " + f.getFullName() + " failed", e);
            }
        }
    }

    private IMAPFolder select(String name) throws MessagingException {
        if (selected != null && selected.getFullName().equals(name) && selected.isOpen()) {
            return selected;
        }
        closeSelected();
        IMAPFolder f = (IMAPFolder) store.getFolder(name);
        f.open(Folder.READ_WRITE);
        selected = f;
        generation++;
        return f;
    }

    public List<String> listFolders() throws ImapException {
        try {
            closeSelected();
            List<String> names = new ArrayList<>();
            for (Folder f : store.getDefaultFolder().list("*")) {
                names.add(f.getFullName());
            }
            return names;
        } catch (MessagingException | RuntimeException e) {
            throw fail("LIST \"\" *", e);
        }
    }

    public FolderStatus status(String folder) throws ImapException {
        try {
            closeSelected();
            IMAPFolder f = (IMAPFolder) store.getFolder(folder);
            Status s = (Status) f.doCommand(p -> p.status(folder,
                    new String[] {"MESSAGES", "UNSEEN", "UIDVALIDITY", "UIDNEXT"}));
            return new FolderStatus(folder, s.total, s.unseen, s.uidvalidity, s.uidnext);
        } catch (MessagingException | RuntimeException e) {
            throw fail("STATUS " + folder, e);
        }
    }

    public long[] search(String folder, SearchTerm term) throws ImapException {
        try {
            IMAPFolder f = select(folder);
            Message[] found = term == null ? f.getMessages() : f.search(term);
            FetchProfile fp = new FetchProfile();
            fp.add(UIDFolder.FetchProfileItem.UID);
            f.fetch(found, fp);
            long[] uids = new long[found.length];
            for (int i = 0; i < found.length; i++) {
                uids[i] = f.getUID(found[i]);
            }
            Arrays.sort(uids);
            return uids;
        } catch (MessagingException | RuntimeException e) {
            throw fail("SEARCH in " + folder, e);
        }
    }

    private Message[] byUid(IMAPFolder f, long[] uids) throws MessagingException {
        List<Message> present = new ArrayList<>();
        for (Message m : f.getMessagesByUID(uids)) {
            if (m != null) {
                present.add(m);
            }
        }
        return present.toArray(new Message[0]);
    }

    /** The UID set of messages present in the selected folder (the one IMAP command layer takes UIDs). */
    private static String uidSet(IMAPFolder f, Message[] messages) throws MessagingException {
        long[] uids = new long[messages.length];
        for (int i = 0; i < messages.length; i++) {
            uids[i] = f.getUID(messages[i]);
        }
        return UidSet.of(uids);
    }

    /**
     * @param ownerValid whether the caller's handle is still valid; the messages' bodies are readable only while it
     *                   is and this folder stays selected
     */
    public List<ImapMessage> fetch(String folder, BooleanSupplier ownerValid, long... uids) throws ImapException {
        try {
            IMAPFolder f = select(folder);
            Message[] messages = byUid(f, uids);
            f.fetch(messages, ImapSessions.metadata());
            long uidValidity = f.getUIDValidity();
            long gen = generation;
            List<ImapMessage> out = new ArrayList<>(messages.length);
            for (Message m : messages) {
                out.add(new FetchedMessage((IMAPMessage) m, folder, uidValidity, f.getUID(m),
                        () -> ownerValid.getAsBoolean() && gen == generation && selected == f && f.isOpen()));
            }
            return out;
        } catch (MessagingException | RuntimeException e) {
            throw fail("UID FETCH in " + folder, e);
        }
    }

    public void setFlags(String folder, long[] uids, Flags flags, boolean set) throws ImapException {
        try {
            IMAPFolder f = select(folder);
            f.setFlags(byUid(f, uids), flags, set);
        } catch (MessagingException | RuntimeException e) {
            throw fail("UID STORE in " + folder, e);
        }
    }

    public void move(String folder, long[] uids, String target) throws ImapException {
        try {
            IMAPFolder f = select(folder);
            Message[] messages = byUid(f, uids);
            if (messages.length == 0) {
                return;
            }
            Folder to = store.getFolder(target);
            if (!to.exists()) {
                throw new MessagingException("target folder '" + target + "' does not exist");
            }
            UidCommands.move(f, uidSet(f, messages), target);
        } catch (MessagingException | RuntimeException e) {
            throw fail("UID MOVE from " + folder + " to " + target, e);
        }
    }

    public void delete(String folder, long... uids) throws ImapException {
        try {
            IMAPFolder f = select(folder);
            Message[] messages = byUid(f, uids);
            if (messages.length == 0) {
                return;
            }
            UidCommands.delete(f, uidSet(f, messages));
        } catch (MessagingException | RuntimeException e) {
            throw fail("UID EXPUNGE in " + folder, e);
        }
    }

    public long[] append(String folder, Message... messages) throws ImapException {
        try {
            closeSelected();
            IMAPFolder f = (IMAPFolder) store.getFolder(folder);
            AppendUID[] appended = f.appendUIDMessages(messages);
            if (appended == null || Arrays.stream(appended).anyMatch(a -> a == null)) {
                return new long[0];
            }
            return Arrays.stream(appended).mapToLong(a -> a.uid).toArray();
        } catch (MessagingException | RuntimeException e) {
            throw fail("APPEND to " + folder, e);
        }
    }

    /** NOOP on the open connection: proves it is alive (and lets the server report BYE). */
    public void noop() throws ImapException {
        try {
            if (selected != null && selected.isOpen()) {
                selected.doCommand(p -> {
                    p.simpleCommand("NOOP", null);
                    return null;
                });
            } else if (!store.isConnected()) {
                throw new MessagingException("the connection is closed");
            }
        } catch (MessagingException | RuntimeException e) {
            throw fail("NOOP", e);
        }
    }

    /** Closes the folder and logs out. Never throws. */
    @Override
    public void close() {
        closeSelected();
        try {
            store.close();
        } catch (MessagingException | RuntimeException e) {
            LOG.log(Level.FINE, "Closing the IMAP connection to " + endpoint(definition) + " failed", e);
        } finally {
            onClose.run();
        }
    }
}
