package org.imapra.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import org.imapra.standin.AppRegistration;
import org.imapra.standin.LocalCertificates;
import org.imapra.standin.LocalM365;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A certificate rotated in place (new content at the same certificatePath) is used by the next token request of
 * the same, long-lived {@link MsalTokenSource}; the token endpoint verifies which certificate signed the assertion.
 */
class CertificateRotationProtocolTest {

    static final String CLIENT = "6a7b8c9d-0000-4000-8000-0000000c0de2";
    static LocalM365 m365;
    @TempDir
    static Path dir;

    @BeforeAll
    static void start() {
        m365 = LocalM365.startDefault();
    }

    @AfterAll
    static void stop() {
        m365.close();
    }

    private static String pem(KeyPair keys, X509Certificate certificate) {
        return LocalCertificates.pem(keys, certificate);
    }

    private static void register(X509Certificate only) {
        m365.tokens().directory().app(AppRegistration.builder(CLIENT, LocalM365.DEFAULT_TENANT_ID)
                .certificate(only).roles(AppRegistration.IMAP_ACCESS_AS_APP).build());
    }

    private static TokenRequest request(Path file) {
        return new TokenRequest(m365.authorityHost() + "/" + LocalM365.DEFAULT_TENANT_ID + "/", CLIENT,
                LocalM365.IMAP_SCOPE, ClientCredential.certificate(file.toString(), null, "none"), null, 5_000,
                5_000);
    }

    @Test
    void aCertificateReplacedInPlaceIsUsedByTheNextRequest() throws Exception {
        MsalTokenSource source = new MsalTokenSource();
        Path file = dir.resolve("app.pem");
        KeyPair oldKeys = LocalCertificates.rsaKeyPair();
        X509Certificate oldCertificate = LocalCertificates.selfSigned(oldKeys, "imapra-old", Duration.ofDays(1));
        register(oldCertificate);
        Files.writeString(file, pem(oldKeys, oldCertificate));
        assertNotNull(source.fetch(request(file)));

        // the rotation: the app registration now has only the new certificate, and the file is overwritten in place
        KeyPair newKeys = LocalCertificates.rsaKeyPair();
        X509Certificate newCertificate = LocalCertificates.selfSigned(newKeys, "imapra-new", Duration.ofDays(1));
        register(newCertificate);
        Files.writeString(file, pem(newKeys, newCertificate));

        try {
            assertNotNull(source.fetch(request(file)), "the new certificate signs the assertion");
        } catch (TokenException e) {
            throw new AssertionError("the rotated certificate was not used: " + e.getMessage(), e);
        }
        assertEquals(1, source.appCount(), "the application of the replaced certificate is dropped");
        assertTrue(m365.tokens().tokenRequestCount() >= 2);
    }
}
