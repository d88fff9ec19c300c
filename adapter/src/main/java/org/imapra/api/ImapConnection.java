package org.imapra.api;

import jakarta.mail.Flags;
import jakarta.mail.Message;
import jakarta.mail.search.SearchTerm;
import java.util.List;

/**
 * An application-level handle on one pooled IMAP connection. UID based. Close it (try-with-resources) to return the
 * connection to the pool. Every method throws {@link IllegalStateException} after {@link #close()}, and an
 * {@link ImapException} naming the mailbox, the command and the server's words when the server or the network fails;
 * {@link ImapConnectionLostException} when the connection itself is gone (the pool then replaces it).
 */
public interface ImapConnection extends AutoCloseable {

    /** The mailbox address this connection is authenticated as. */
    String mailbox();

    /** Full names of every folder, e.g. {@code INBOX}, {@code Archive/2026}. */
    List<String> listFolders() throws ImapException;

    /** Message counts and UID state of a folder, without selecting it. */
    FolderStatus status(String folder) throws ImapException;

    /** UIDs of the messages matching {@code term}, ascending. */
    long[] search(String folder, SearchTerm term) throws ImapException;

    /**
     * Envelope, flags, size and structure of the given messages in one batched FETCH. Bodies are not fetched: they
     * stream from the server on demand through {@link ImapMessage#message()} while this connection stays open and
     * no other folder is used on it. UIDs that no longer exist are left out.
     */
    List<ImapMessage> fetch(String folder, long... uids) throws ImapException;

    /** Adds ({@code set == true}) or removes flags on the given messages. */
    void setFlags(String folder, long[] uids, Flags flags, boolean set) throws ImapException;

    /** Moves messages to {@code targetFolder}: UID MOVE where the server has it, else UID COPY + flag + EXPUNGE. */
    void move(String folder, long[] uids, String targetFolder) throws ImapException;

    /** Marks the messages deleted and expunges exactly them (UID EXPUNGE where the server has UIDPLUS). */
    void delete(String folder, long... uids) throws ImapException;

    /**
     * Appends messages to a folder.
     *
     * @return the UIDs the server gave them (UIDPLUS), or an empty array where the server does not say
     */
    long[] append(String folder, Message... messages) throws ImapException;

    /** Returns the connection to the pool. Idempotent. */
    @Override
    void close();
}
