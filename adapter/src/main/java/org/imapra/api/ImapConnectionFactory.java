package org.imapra.api;

import jakarta.resource.Referenceable;
import jakarta.resource.ResourceException;
import java.io.Serializable;

/**
 * What applications look up in JNDI: hands out pooled, OAuth2-authenticated IMAP connections.
 *
 * <pre>{@code
 * @Resource(lookup = "java:app/mail/support") ImapConnectionFactory mail;
 * try (ImapConnection c = mail.getConnection()) {
 *     FolderStatus inbox = c.status("INBOX");
 * }
 * }</pre>
 */
public interface ImapConnectionFactory extends Serializable, Referenceable {

    /** A connection to the mailbox this factory is configured for. */
    ImapConnection getConnection() throws ResourceException;

    /**
     * A connection to the mailbox definition registered under {@code mailbox} (see the README: definitions named by
     * connection factories of this resource adapter, and later by the admin console).
     *
     * @throws ImapException naming the unknown definition and the known ones
     */
    ImapConnection getConnection(String mailbox) throws ResourceException;
}
