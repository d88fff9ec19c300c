package org.imapra.api;

import jakarta.resource.ResourceException;

/**
 * An IMAP operation failed. The message names the mailbox, the command and the server's words; secrets never
 * appear in it.
 */
public class ImapException extends ResourceException {

    private static final long serialVersionUID = 1L;

    private final String mailbox;
    private final String command;

    public ImapException(String message, String mailbox, String command, Throwable cause) {
        super(message, cause);
        this.mailbox = mailbox;
        this.command = command;
    }

    public ImapException(String message) {
        this(message, null, null, null);
    }

    /** The mailbox address concerned, or null. */
    public String mailbox() {
        return mailbox;
    }

    /** The IMAP command or operation that failed (e.g. {@code STATUS INBOX}), or null. */
    public String command() {
        return command;
    }
}
