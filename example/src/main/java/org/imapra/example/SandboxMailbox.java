package org.imapra.example;

import jakarta.annotation.Resource;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.mail.Flags;
import jakarta.resource.ConnectionFactoryDefinition;
import jakarta.resource.ResourceException;
import java.time.Instant;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.imapra.api.FolderStatus;
import org.imapra.api.ImapConnection;
import org.imapra.api.ImapConnectionFactory;
import org.imapra.api.ImapMessage;

/**
 * Reads the mailbox of the named definition {@value #MAILBOX} (created in the admin console, or by {@code ./run}).
 *
 * <p>The connection factory is declared right here, the Jakarta EE way: it names the resource adapter
 * ({@code imapra}, i.e. the deployed {@code imapra.rar}) and has no mailbox properties of its own, because
 * {@code getConnection("sandbox")} takes the mailbox, app and credential from the definition the console manages.
 * Copy this class, change {@value #MAILBOX} to your definition's name, done.
 */
@ConnectionFactoryDefinition(
        name = SandboxMailbox.FACTORY,
        resourceAdapter = "imapra",
        interfaceName = "org.imapra.api.ImapConnectionFactory",
        // no connection is opened before the first call (a factory without a mailbox of its own cannot pre-fill)
        minPoolSize = 0,
        maxPoolSize = 4)
@Stateless
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED) // IMAP is not transactional
public class SandboxMailbox {

    public static final String FACTORY = "java:app/mail/imapra";
    /** The name of the mailbox definition this application reads. */
    public static final String MAILBOX = "sandbox";
    public static final String FOLDER = "INBOX";

    @Resource(lookup = FACTORY)
    private ImapConnectionFactory mail;

    /** One line of the INBOX listing. */
    public record Mail(long uid, String subject, String from, Instant date, boolean seen) {
    }

    /** The mailbox address, the folder's counters and its newest {@code max} messages, newest first. */
    public record Inbox(String address, FolderStatus status, List<Mail> newest) {
    }

    public Inbox inbox(int max) throws ResourceException {
        try (ImapConnection c = mail.getConnection(MAILBOX)) {
            FolderStatus status = c.status(FOLDER);
            long[] uids = c.search(FOLDER, null); // null: all messages, ascending UIDs
            long[] newest = Arrays.copyOfRange(uids, Math.max(0, uids.length - max), uids.length);
            List<Mail> mails = c.fetch(FOLDER, newest).stream()
                    .map(SandboxMailbox::line)
                    .sorted(Comparator.comparingLong(Mail::uid).reversed())
                    .toList();
            return new Inbox(c.mailbox(), status, mails);
        }
    }

    /** One STATUS command: proves token, TLS, XOAUTH2 and the mailbox permission in one go. */
    public FolderStatus ping() throws ResourceException {
        try (ImapConnection c = mail.getConnection(MAILBOX)) {
            return c.status(FOLDER);
        }
    }

    /** The address the definition {@value #MAILBOX} opens. */
    public String address() throws ResourceException {
        try (ImapConnection c = mail.getConnection(MAILBOX)) {
            return c.mailbox();
        }
    }

    private static Mail line(ImapMessage m) {
        return new Mail(m.uid(), m.subject(), String.join(", ", m.from()),
                m.sentDate() != null ? m.sentDate() : m.receivedDate(),
                m.flags() != null && m.flags().contains(Flags.Flag.SEEN));
    }
}
