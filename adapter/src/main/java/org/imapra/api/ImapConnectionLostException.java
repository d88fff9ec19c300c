package org.imapra.api;

/**
 * The IMAP connection broke during a call (dropped, timed out, or ended by the server, e.g.
 * {@code * BYE Session invalidated - AccessTokenExpired}). The pool has evicted it: call
 * {@link ImapConnectionFactory#getConnection()} again for a fresh, re-authenticated connection.
 */
public class ImapConnectionLostException extends ImapException {

    private static final long serialVersionUID = 1L;

    public ImapConnectionLostException(String message, String mailbox, String command, Throwable cause) {
        super(message, mailbox, command, cause);
    }
}
