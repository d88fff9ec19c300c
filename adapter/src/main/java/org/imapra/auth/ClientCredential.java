package org.imapra.auth;

import java.util.Objects;

/**
 * How the app proves itself to Entra ID: a client secret, or a certificate (PEM or PKCS#12 file) used to sign a
 * client assertion. Holds secrets as {@code char[]}; {@link #toString()} never shows them.
 */
public final class ClientCredential {

    private final char[] secret;
    private final String certificatePath;
    private final char[] certificatePassword;
    private final String fingerprint;

    private ClientCredential(char[] secret, String certificatePath, char[] certificatePassword, String fingerprint) {
        this.secret = secret;
        this.certificatePath = certificatePath;
        this.certificatePassword = certificatePassword;
        this.fingerprint = Objects.requireNonNull(fingerprint);
    }

    /**
     * @param fingerprint a non-secret value that changes when the secret changes (keys the token cache)
     */
    public static ClientCredential secret(char[] secret, String fingerprint) {
        return new ClientCredential(secret.clone(), null, null, "secret:" + fingerprint);
    }

    public static ClientCredential certificate(String path, char[] password, String passwordFingerprint) {
        return new ClientCredential(null, path, password == null ? null : password.clone(),
                "cert:" + path + ":" + passwordFingerprint);
    }

    public boolean isCertificate() {
        return certificatePath != null;
    }

    char[] secret() {
        return secret;
    }

    String certificatePath() {
        return certificatePath;
    }

    char[] certificatePassword() {
        return certificatePassword;
    }

    /** Non-secret identity of this credential. */
    public String fingerprint() {
        return fingerprint;
    }

    @Override
    public String toString() {
        return isCertificate() ? "certificate " + certificatePath : "client secret ********";
    }
}
