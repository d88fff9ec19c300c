package org.imapra.outbound;

import org.imapra.api.ImapAuthenticationException;
import org.imapra.auth.TokenException;
import org.imapra.auth.TokenRequest;
import org.imapra.config.MailboxDefinition;
import org.imapra.config.DefinitionTokens;

/** Bridges mailbox definitions to the auth package (which knows nothing of JCA or IMAP). */
final class TokenRequests {

    private TokenRequests() {
    }

    static TokenRequest of(MailboxDefinition d, org.imapra.config.FileDefinitionStore store) {
        return DefinitionTokens.of(d, store);
    }

    static ImapAuthenticationException toImapException(MailboxDefinition d, TokenException e) {
        return new ImapAuthenticationException("No token for " + d.userName() + ": " + e.getMessage(), d.userName(),
                new ImapAuthenticationException.Details(e.tokenEndpoint(), e.httpStatus(), e.error(), e.errorCodes(),
                        e.description(), e.correlationId(), e.hint()), e);
    }
}
