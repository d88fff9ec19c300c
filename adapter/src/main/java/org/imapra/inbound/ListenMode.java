package org.imapra.inbound;

/** How an activation learns about new messages. */
public enum ListenMode {
    /** IMAP IDLE (RFC 2177): the server pushes new messages; re-issued every {@code idleRenewSeconds}. */
    IDLE,
    /** A UID SEARCH every {@code pollIntervalSeconds} on one kept-open connection. */
    POLL
}
