package org.imapra.api;

import java.time.Instant;

/**
 * Exchange Online asked imapra to wait ({@code NO Request is throttled. Suggested Backoff Time: ...}, {@code Server
 * Unavailable}, {@code [UNAVAILABLE]}, {@code [LIMIT]}): until {@link #retryAfter()} no command and no new connection
 * for this mailbox is sent, and every call fails fast with this exception. Try again after that instant.
 */
public class ImapThrottledException extends ImapException {

    private static final long serialVersionUID = 1L;

    private final Instant retryAfter;

    public ImapThrottledException(String message, String mailbox, String command, Instant retryAfter,
                                  Throwable cause) {
        super(message, mailbox, command, cause);
        this.retryAfter = retryAfter;
    }

    /** The earliest instant at which imapra talks to the server for this mailbox again. */
    public Instant retryAfter() {
        return retryAfter;
    }
}
