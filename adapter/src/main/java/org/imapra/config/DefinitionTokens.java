package org.imapra.config;

import java.io.IOException;
import java.time.Duration;
import org.imapra.auth.ClientCredential;
import org.imapra.auth.SignInStore;
import org.imapra.auth.TokenRequest;

/**
 * The token request a mailbox definition makes (tenant-specific authority, its credential): app-only, or for a
 * DELEGATED definition the refresh of its stored sign-in.
 */
public final class DefinitionTokens {

    private DefinitionTokens() {
    }

    /** Without a store: a DELEGATED definition then always answers "needs sign-in". */
    public static TokenRequest of(MailboxDefinition d) {
        return of(d, null);
    }

    /** With the store that keeps the sign-ins of named DELEGATED definitions. */
    public static TokenRequest of(MailboxDefinition d, DefinitionStore store) {
        ClientCredential credential = credential(d);
        SignInStore signIn = null;
        if (d.delegated()) {
            signIn = store != null && d.name() != null ? new StoredSignIn(store, d) : new NoSignIn(d);
        }
        Integer margin = d.tokenRenewalMarginSeconds();
        return new TokenRequest(d.tenantAuthority(), d.clientId(), d.scope(), credential, d.httpsProxy(),
                d.connectTimeoutMillis(), d.readTimeoutMillis(), signIn,
                margin == null ? null : Duration.ofSeconds(margin));
    }

    /** The definition's credential, with its next one when it has one. */
    static ClientCredential credential(MailboxDefinition d) {
        Secret pw = d.certificatePassword();
        char[] password = pw == null ? null : pw.chars();
        String pwPrint = pw == null ? "-" : pw.fingerprint();
        return switch (d.credentialKind()) {
            case FEDERATED -> ClientCredential.federated(d.federatedTokenFile());
            case CERTIFICATE -> d.certificateKeyStore() != null
                    ? with(ClientCredential.keyStore(d.certificateKeyStore(), d.certificateAlias(), password, pwPrint),
                    d.nextCertificateAlias() == null ? null : ClientCredential.keyStore(d.certificateKeyStore(),
                            d.nextCertificateAlias(), password, pwPrint).named("nextCertificateAlias"))
                    : with(ClientCredential.certificate(d.certificatePath(), password, pwPrint),
                    d.nextCertificatePath() == null ? null : ClientCredential.certificate(d.nextCertificatePath(),
                            password, pwPrint).named("nextCertificatePath"));
            case SECRET -> with(ClientCredential.secret(d.clientSecret().chars(), d.clientSecret().fingerprint())
                    .expiring(d.secretExpires()), d.nextClientSecret() == null ? null
                    : ClientCredential.secret(d.nextClientSecret().chars(), d.nextClientSecret().fingerprint())
                    .named("nextClientSecret").expiring(d.nextSecretExpires()));
        };
    }

    private static ClientCredential with(ClientCredential current, ClientCredential next) {
        return next == null ? current : current.withNext(next);
    }

    /** A DELEGATED definition without a name or store: it can never be signed in. */
    private record NoSignIn(MailboxDefinition d) implements SignInStore {
        @Override
        public String key() {
            return "unnamed#" + d.userName();
        }

        @Override
        public Object lock() {
            return this;
        }

        @Override
        public String signInRequired() {
            return "authMode DELEGATED needs a named definition (mailboxName) in the adapter's definitions store, "
                    + "signed in with Connect mailbox in the console";
        }

        @Override
        public String homeAccountId() {
            return null;
        }

        @Override
        public String loadCache() {
            return null;
        }

        @Override
        public void saveCache(String serializedCache) throws IOException {
            throw new IOException("no store");
        }

        @Override
        public void markSignInRequired(String reason) {
            // nothing to remember
        }
    }
}
