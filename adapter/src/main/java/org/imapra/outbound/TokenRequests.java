package org.imapra.outbound;

import org.imapra.api.ImapAuthenticationException;
import org.imapra.auth.TokenException;
import org.imapra.config.MailboxDefinition;

/** Bridges mailbox definitions to the auth package (which knows nothing of JCA or IMAP). */
final class TokenRequests {

    private TokenRequests() {
    }

    static ImapAuthenticationException toImapException(MailboxDefinition d, TokenException e) {
        return new ImapAuthenticationException("No token for " + d.userName() + ": " + e.getMessage(), d.userName(),
                e.details(), e);
    }
}
