package org.imapra.imap;

import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.FolderClosedException;
import jakarta.mail.StoreClosedException;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.eclipse.angus.mail.iap.ConnectionException;
import org.imapra.api.ImapAuthenticationException;
import org.imapra.api.ImapConnectionLostException;
import org.imapra.api.ImapException;
import org.imapra.api.ImapThrottledException;

/**
 * Turns Jakarta Mail failures into {@link ImapException}s that name the mailbox, the command and the server's words,
 * and tells a lost connection ({@link ImapConnectionLostException}) from a failed command.
 */
public final class ImapErrors {

    private ImapErrors() {
    }

    /** True when the failure means the connection is unusable (dropped, timed out, BYE). */
    public static boolean isConnectionLost(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof FolderClosedException || t instanceof StoreClosedException
                    || t instanceof ConnectionException || t instanceof IOException) {
                return true;
            }
            if (t.getMessage() != null && t.getMessage().contains("* BYE")) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }

    /** The server's or the network's words: the deepest non-empty message in the chain. */
    public static String serverWords(Throwable failure) {
        String words = null;
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                words = t instanceof IOException && !(t.getMessage().startsWith("*"))
                        ? t.getClass().getSimpleName() + ": " + t.getMessage() : t.getMessage();
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return words == null ? failure.getClass().getSimpleName() : words.strip();
    }

    public static ImapException translate(String mailbox, String endpoint, String command, Throwable failure) {
        String words = serverWords(failure);
        String hint = ImapHints.hint(words, failure);
        String message = "IMAP " + command + " failed for " + mailbox + " at " + endpoint + ": " + words
                + (hint == null ? "" : ". " + hint);
        ServerLimit limit = ServerLimit.of(failure);
        if (limit instanceof ServerLimit.Throttled t) {
            return throttled(message, mailbox, command, t.delay(), failure);
        }
        if (limit instanceof ServerLimit.Unavailable u) {
            return throttled(message, mailbox, command, u.delay(), failure);
        }
        if (failure instanceof AuthenticationFailedException || limit instanceof ServerLimit.NotConnected) {
            return new ImapAuthenticationException(message, mailbox, new ImapAuthenticationException.Details(
                    null, 0, null, List.of(), words, null, hint), failure);
        }
        if (isConnectionLost(failure)) {
            return new ImapConnectionLostException(message, mailbox, command, failure);
        }
        return new ImapException(message, mailbox, command, failure);
    }

    private static ImapThrottledException throttled(String message, String mailbox, String command, Duration wait,
                                                    Throwable failure) {
        Instant after = Instant.now().plus(wait);
        return new ImapThrottledException(message + "; Exchange asked to wait " + wait.toMillis()
                + " ms: nothing is sent for this mailbox before " + after, mailbox, command, after, failure);
    }
}
