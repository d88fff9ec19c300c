package org.imapra.config;

import org.imapra.auth.ClientCredential;
import org.imapra.auth.TokenRequest;

/** The token request a mailbox definition makes (app-only, tenant-specific authority, its credential). */
public final class DefinitionTokens {

    private DefinitionTokens() {
    }

    public static TokenRequest of(MailboxDefinition d) {
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
}
