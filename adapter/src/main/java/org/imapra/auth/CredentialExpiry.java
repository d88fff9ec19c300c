package org.imapra.auth;

import java.time.Instant;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * When a credential stops working, as far as the adapter can know: a certificate's {@code notAfter} (read from its
 * file or key store), a client secret's declared {@code secretExpires}; a federated token is short-lived and
 * rotated by its issuer, so it has none.
 */
public final class CredentialExpiry {

    private static final Logger LOG = Logger.getLogger(CredentialExpiry.class.getName());

    private CredentialExpiry() {
    }

    /** The expiry of the request's credential, or null when unknown (or its certificate cannot be read now). */
    public static Instant of(TokenRequest request) {
        ClientCredential c = request.credential();
        if (!c.isCertificate()) {
            return c.declaredExpiry();
        }
        try {
            return CertificateLoader.material(request, CertificateLoader.read(request)).chain().get(0).getNotAfter()
                    .toInstant();
        } catch (TokenException e) {
            LOG.log(Level.FINE, "No expiry for " + c + ": " + e.getMessage(), e);
            return null;
        }
    }
}
