package org.imapra.outbound;

import org.imapra.api.ImapAuthenticationException;
import org.imapra.auth.ClientCredential;
import org.imapra.auth.TokenException;
import org.imapra.auth.TokenRequest;
import org.imapra.config.MailboxDefinition;
import org.imapra.config.Secret;

/** Bridges mailbox definitions to the auth package (which knows nothing of JCA or IMAP). */
final class TokenRequests {

    private TokenRequests() {
    }

    static TokenRequest of(MailboxDefinition d) {
        ClientCredential credential;
        if (d.usesCertificate()) {
            Secret pw = d.certificatePassword();
            credential = ClientCredential.certificate(d.certificatePath(), pw == null ? null : pw.chars(),
                    pw == null ? "-" : pw.fingerprint());
        } else {
            credential = ClientCredential.secret(d.clientSecret().chars(), d.clientSecret().fingerprint());
        }
        return new TokenRequest(d.tenantAuthority(), d.clientId(), d.scope(), credential, d.httpsProxy(),
                d.connectTimeoutMillis(), d.readTimeoutMillis());
    }

    static ImapAuthenticationException toImapException(MailboxDefinition d, TokenException e) {
        return new ImapAuthenticationException("No token for " + d.userName() + ": " + e.getMessage(), d.userName(),
                new ImapAuthenticationException.Details(e.tokenEndpoint(), e.httpStatus(), e.error(), e.errorCodes(),
                        e.description(), e.correlationId(), e.hint()), e);
    }
}
