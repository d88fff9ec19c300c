package org.imapra.outbound;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import org.imapra.api.ImapAuthenticationException;
import org.imapra.api.ImapConnection;
import org.imapra.api.ImapConnectionFactory;
import org.imapra.standin.AppRegistration;
import org.imapra.standin.LocalCertificates;
import org.imapra.standin.LocalM365;
import org.imapra.standin.RecordedRequest;
import org.imapra.testsupport.LogCapture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A certificate instead of a secret: MSAL signs a client assertion that the local token endpoint verifies. */
class CertificateCredentialProtocolTest {

    static final String CLIENT = "5e6f7a8b-0000-4000-8000-00000000c0de";
    static LocalM365 m365;
    static LogCapture logs;
    static KeyPair keys;
    static X509Certificate certificate;
    @TempDir
    static Path dir;

    @BeforeAll
    static void start() {
        logs = LogCapture.install("org.imapra", "com.microsoft.aad", "org.eclipse.angus");
        m365 = LocalM365.startDefault();
        keys = LocalCertificates.rsaKeyPair();
        certificate = LocalCertificates.selfSigned(keys, "imapra-test-app", Duration.ofDays(1));
        m365.tokens().directory().app(AppRegistration.builder(CLIENT, LocalM365.DEFAULT_TENANT_ID)
                .certificate(certificate).roles(AppRegistration.IMAP_ACCESS_AS_APP).build());
        m365.mailServer().grantMailbox(CLIENT, LocalM365.DEFAULT_MAILBOX);
    }

    @AfterAll
    static void stop() {
        m365.close();
        logs.uninstall();
        logs.assertNoSecrets(LocalM365.DEFAULT_CLIENT_SECRET, "p12-Password!");
    }

    private static ImapConnectionFactory factory(Path file, String password) throws Exception {
        ImapManagedConnectionFactory mcf = StandIn.factory(m365);
        mcf.setClientSecret(null);
        mcf.setClientId(CLIENT);
        mcf.setCertificatePath(file.toString());
        mcf.setCertificatePassword(password);
        return (ImapConnectionFactory) mcf.createConnectionFactory();
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    @Test
    void aPemCertificateAndKeySignTheClientAssertion() throws Exception {
        Path file = Files.writeString(dir.resolve("app.pem"), pem("CERTIFICATE", certificate.getEncoded())
                + pem("PRIVATE KEY", keys.getPrivate().getEncoded()));
        m365.tokens().reset();
        try (ImapConnection c = factory(file, null).getConnection()) {
            assertEquals(0, c.status("INBOX").messages());
        }
        RecordedRequest r = m365.tokens().requests().get(0);
        assertEquals("urn:ietf:params:oauth:client-assertion-type:jwt-bearer", r.form().get("client_assertion_type"));
        assertNull(r.form().get("client_secret"));
    }

    @Test
    void aPkcs12FileWorksToo() throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("app", keys.getPrivate(), "p12-Password!".toCharArray(), new Certificate[] {certificate});
        Path file = dir.resolve("app.p12");
        try (OutputStream out = Files.newOutputStream(file)) {
            ks.store(out, "p12-Password!".toCharArray());
        }
        try (ImapConnection c = factory(file, "p12-Password!").getConnection()) {
            assertEquals(0, c.status("INBOX").messages());
        }
    }

    @Test
    void anUnreadableCertificateFileIsNamedInTheError() throws Exception {
        Path file = Files.writeString(dir.resolve("broken.pem"), "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n");
        ImapAuthenticationException e = assertThrows(ImapAuthenticationException.class,
                () -> factory(file, null).getConnection());
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
    }
}
