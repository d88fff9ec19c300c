package org.imapra.outbound;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.resource.ResourceException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.logging.Level;
import org.imapra.api.ImapConnection;
import org.imapra.api.ImapConnectionFactory;
import org.imapra.standin.AppRegistration;
import org.imapra.standin.LocalCertificates;
import org.imapra.standin.LocalM365;
import org.imapra.testsupport.LogCapture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Certificates from a PKCS#12 key store (certificateKeyStore + certificateAlias) and the next certificate (file or
 * key store entry) that takes over when Entra no longer accepts the current one (AADSTS700027).
 */
class KeyStoreCredentialProtocolTest {

    static final String CLIENT = "3c4d5e6f-0000-4000-8000-00000000c0de";
    static final String PASSWORD = "store-Password!";
    static LocalM365 m365;
    static LogCapture logs;
    static KeyPair oldKeys;
    static KeyPair newKeys;
    static X509Certificate oldCertificate;
    static X509Certificate newCertificate;
    static Path keyStore;
    @TempDir
    static Path dir;

    @BeforeAll
    static void start() throws Exception {
        logs = LogCapture.install("org.imapra", "com.microsoft.aad");
        m365 = LocalM365.startDefault();
        oldKeys = LocalCertificates.rsaKeyPair();
        newKeys = LocalCertificates.rsaKeyPair();
        oldCertificate = LocalCertificates.selfSigned(oldKeys, "imapra-2026", Duration.ofDays(20));
        newCertificate = LocalCertificates.selfSigned(newKeys, "imapra-2027", Duration.ofDays(400));
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("imapra-2026", oldKeys.getPrivate(), PASSWORD.toCharArray(), new Certificate[] {oldCertificate});
        ks.setKeyEntry("imapra-2027", newKeys.getPrivate(), PASSWORD.toCharArray(), new Certificate[] {newCertificate});
        ks.setCertificateEntry("entra-ca", LocalCertificates.jvm().caCertificate());
        keyStore = dir.resolve("imapra.p12");
        try (OutputStream out = Files.newOutputStream(keyStore)) {
            ks.store(out, PASSWORD.toCharArray());
        }
        m365.mailServer().grantMailbox(CLIENT, LocalM365.DEFAULT_MAILBOX);
    }

    @AfterAll
    static void stop() {
        m365.close();
        logs.uninstall();
        logs.assertNoSecrets(PASSWORD, LocalM365.DEFAULT_CLIENT_SECRET);
    }

    static void register(X509Certificate... accepted) {
        AppRegistration.Builder app = AppRegistration.builder(CLIENT, LocalM365.DEFAULT_TENANT_ID)
                .roles(AppRegistration.IMAP_ACCESS_AS_APP);
        for (X509Certificate c : accepted) {
            app.certificate(c);
        }
        m365.tokens().directory().app(app.build());
        m365.tokens().reset();
    }

    static ImapManagedConnectionFactory inKeyStore(String alias) {
        ImapManagedConnectionFactory mcf = StandIn.factory(m365);
        mcf.setClientSecret(null);
        mcf.setClientId(CLIENT);
        mcf.setCertificateKeyStore(keyStore.toString());
        mcf.setCertificateAlias(alias);
        mcf.setCertificatePassword(PASSWORD);
        return mcf;
    }

    static void connect(ImapManagedConnectionFactory mcf) throws Exception {
        NonManagedConnectionManager pool = new NonManagedConnectionManager(8, 30_000);
        try (ImapConnection c = ((ImapConnectionFactory) mcf.createConnectionFactory(pool)).getConnection()) {
            assertEquals(0, c.status("INBOX").messages());
        }
        StandIn.closeAndAssertNothingLeft(pool, m365);
    }

    @Test
    void theAliasChoosesTheKeyEntryThatSignsTheAssertion() throws Exception {
        register(newCertificate);
        connect(inKeyStore("imapra-2027"));
        assertEquals(1, m365.tokens().tokenRequestCount());
    }

    @Test
    void theNextAliasTakesOverWhenTheCurrentCertificateIsRefused() throws Exception {
        register(newCertificate); // the old certificate was removed from the app registration
        ImapManagedConnectionFactory mcf = inKeyStore("imapra-2026");
        mcf.setNextCertificateAlias("imapra-2027");
        connect(mcf);
        assertEquals(2, m365.tokens().tokenRequestCount(), "the refused request and the one with the next alias");
        assertEquals(1, logs.messages(Level.WARNING, m -> m.contains("refused certificateAlias")
                && m.contains("AADSTS700027") && m.contains("switched to nextCertificateAlias")).size());
    }

    @Test
    void theNextCertificateFileTakesOverToo() throws Exception {
        register(newCertificate);
        Path current = Files.writeString(dir.resolve("current.pem"), LocalCertificates.pem(oldKeys, oldCertificate));
        Path next = Files.writeString(dir.resolve("next.pem"), LocalCertificates.pem(newKeys, newCertificate));
        ImapManagedConnectionFactory mcf = StandIn.factory(m365);
        mcf.setClientSecret(null);
        mcf.setClientId(CLIENT);
        mcf.setCertificatePath(current.toString());
        mcf.setNextCertificatePath(next.toString());
        connect(mcf);
        assertEquals(2, m365.tokens().tokenRequestCount());
    }

    @Test
    void aKeyStoreChangedInPlaceIsReadByTheNextTokenRequest() throws Exception {
        Path file = dir.resolve("rotated-in-place.p12");
        writeStore(file, oldKeys, oldCertificate);
        register(oldCertificate);
        ImapManagedConnectionFactory mcf = inKeyStore("imapra");
        mcf.setCertificateKeyStore(file.toString());
        connect(mcf);
        // the same alias now holds the new key and certificate; the app registration accepts only the new one
        writeStore(file, newKeys, newCertificate);
        register(newCertificate);
        mcf.context().tokens().clear();
        connect(mcf);
        assertEquals(1, m365.tokens().tokenRequestCount(), "signed with the new key at once");
    }

    private static void writeStore(Path file, KeyPair keys, X509Certificate certificate) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("imapra", keys.getPrivate(), PASSWORD.toCharArray(), new Certificate[] {certificate});
        Path tmp = Files.createTempFile(dir, "store", ".tmp");
        try (OutputStream out = Files.newOutputStream(tmp)) {
            ks.store(out, PASSWORD.toCharArray());
        }
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    @Test
    void aWrongAliasOrPasswordIsAClearConfigurationError() {
        ResourceException alias = assertThrows(ResourceException.class,
                () -> inKeyStore("imapra-2025").createConnectionFactory());
        assertTrue(alias.getMessage().contains("certificateAlias") && alias.getMessage().contains("imapra-2025")
                && alias.getMessage().contains("imapra-2026, imapra-2027"), alias.getMessage());
        ImapManagedConnectionFactory wrong = inKeyStore("imapra-2027");
        wrong.setCertificatePassword("guess");
        ResourceException password = assertThrows(ResourceException.class, wrong::createConnectionFactory);
        assertTrue(password.getMessage().contains("certificatePassword"), password.getMessage());
        ResourceException trusted = assertThrows(ResourceException.class,
                () -> inKeyStore("entra-ca").createConnectionFactory());
        assertTrue(trusted.getMessage().contains("holds no private key"), trusted.getMessage());
    }
}
