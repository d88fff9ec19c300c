package org.imapra.auth;

import java.time.Instant;
import java.util.Objects;

/**
 * How the app proves itself to Entra ID: a client secret, a certificate (PEM or PKCS#12 file, or an entry of a
 * PKCS#12 key store) used to sign a client assertion, or a federated token file whose content is the client
 * assertion. It may carry the {@link #next()} credential to switch to when Entra refuses this one. Holds secrets as
 * {@code char[]}; {@link #toString()} never shows them.
 */
public final class ClientCredential {

    /** What the credential is. */
    public enum Kind {
        SECRET,
        CERTIFICATE,
        KEY_STORE,
        FEDERATED
    }

    private final Kind kind;
    private final char[] secret;
    private final String path;
    private final String alias;
    private final char[] password;
    private final String fingerprint;
    private final String property;
    private final Instant expires;
    private final ClientCredential next;

    private ClientCredential(Kind kind, char[] secret, String path, String alias, char[] password, String fingerprint,
                             String property, Instant expires, ClientCredential next) {
        this.kind = kind;
        this.secret = secret;
        this.path = path;
        this.alias = alias;
        this.password = password;
        this.fingerprint = Objects.requireNonNull(fingerprint);
        this.property = property;
        this.expires = expires;
        this.next = next;
    }

    /**
     * @param fingerprint a non-secret value that changes when the secret changes (keys the token cache)
     */
    public static ClientCredential secret(char[] secret, String fingerprint) {
        return new ClientCredential(Kind.SECRET, secret.clone(), null, null, null, "secret:" + fingerprint,
                "clientSecret", null, null);
    }

    public static ClientCredential certificate(String path, char[] password, String passwordFingerprint) {
        return new ClientCredential(Kind.CERTIFICATE, null, path, null, copy(password),
                "cert:" + path + ":" + passwordFingerprint, "certificatePath", null, null);
    }

    /** The key entry {@code alias} of the PKCS#12 key store at {@code path}. */
    public static ClientCredential keyStore(String path, String alias, char[] password, String passwordFingerprint) {
        return new ClientCredential(Kind.KEY_STORE, null, path, alias, copy(password),
                "keystore:" + path + ":" + alias + ":" + passwordFingerprint, "certificateAlias", null, null);
    }

    /** The external OIDC token in the file at {@code path}, read for every token request. */
    public static ClientCredential federated(String path) {
        return new ClientCredential(Kind.FEDERATED, null, path, null, null, "federated:" + path,
                "federatedTokenFile", null, null);
    }

    /** This credential with the one to switch to when Entra refuses this one as expired or invalid. */
    public ClientCredential withNext(ClientCredential n) {
        return new ClientCredential(kind, secret, path, alias, password, fingerprint, property, expires, n);
    }

    /** This credential as the definition's property {@code name} (e.g. {@code nextClientSecret}) names it. */
    public ClientCredential named(String name) {
        return new ClientCredential(kind, secret, path, alias, password, fingerprint, name, expires, next);
    }

    /** This credential with the expiry the definition declares (a client secret's {@code secretExpires}). */
    public ClientCredential expiring(Instant at) {
        return new ClientCredential(kind, secret, path, alias, password, fingerprint, property, at, next);
    }

    private static char[] copy(char[] chars) {
        return chars == null ? null : chars.clone();
    }

    public Kind kind() {
        return kind;
    }

    /** True for a certificate file or key store entry (a file whose content is hashed to notice a rotation). */
    public boolean isCertificate() {
        return kind == Kind.CERTIFICATE || kind == Kind.KEY_STORE;
    }

    char[] secret() {
        return secret;
    }

    /** The certificate file, key store or federated token file, or null for a secret. */
    String certificatePath() {
        return path;
    }

    String alias() {
        return alias;
    }

    char[] certificatePassword() {
        return password;
    }

    /** Non-secret identity of this credential. */
    public String fingerprint() {
        return fingerprint;
    }

    /** The definition property that holds it: clientSecret, nextClientSecret, certificatePath, … */
    public String property() {
        return property;
    }

    /** The declared expiry (client secrets), or null: a certificate's is read by {@link CredentialExpiry}. */
    public Instant declaredExpiry() {
        return expires;
    }

    /** The credential to switch to, or null. */
    public ClientCredential next() {
        return next;
    }

    @Override
    public String toString() {
        return switch (kind) {
            case SECRET -> "client secret ********";
            case CERTIFICATE -> "certificate " + path;
            case KEY_STORE -> "certificate " + alias + " in key store " + path;
            case FEDERATED -> "federated token file " + path;
        };
    }
}
