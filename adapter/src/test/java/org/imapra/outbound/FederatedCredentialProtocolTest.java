package org.imapra.outbound;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.resource.ResourceException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.imapra.api.ImapAuthenticationException;
import org.imapra.api.ImapConnection;
import org.imapra.api.ImapConnectionFactory;
import org.imapra.standin.AppRegistration;
import org.imapra.standin.FederatedIdentityCredential;
import org.imapra.standin.LocalM365;
import org.imapra.standin.OidcIssuer;
import org.imapra.testsupport.LogCapture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * credential FEDERATED: the token in federatedTokenFile is the client assertion (MSAL's assertion callback), read
 * again for every token request; the stand-in accepts only tokens of a trusted issuer for a registered subject.
 */
class FederatedCredentialProtocolTest {

    static final String CLIENT = "2b3c4d5e-0000-4000-8000-00000000fed1";
    static final String POD = "system:serviceaccount:mail:imapra";
    static LocalM365 m365;
    static LogCapture logs;
    static OidcIssuer cluster;
    @TempDir
    static Path dir;

    @BeforeAll
    static void start() {
        logs = LogCapture.install("org.imapra", "com.microsoft.aad", "org.eclipse.angus");
        m365 = LocalM365.startDefault();
        m365.tokens().directory().app(AppRegistration.builder(CLIENT, LocalM365.DEFAULT_TENANT_ID)
                .roles(AppRegistration.IMAP_ACCESS_AS_APP).build());
        m365.mailServer().grantMailbox(CLIENT, LocalM365.DEFAULT_MAILBOX);
        cluster = OidcIssuer.create("https://oidc.cluster.test/a1b2");
    }

    @AfterAll
    static void stop() {
        m365.close();
        logs.uninstall();
        logs.assertNoSecrets(LocalM365.DEFAULT_CLIENT_SECRET);
    }

    static ImapManagedConnectionFactory mcf(Path tokenFile) {
        ImapManagedConnectionFactory mcf = StandIn.factory(m365);
        mcf.setClientSecret(null);
        mcf.setClientId(CLIENT);
        mcf.setCredential("FEDERATED");
        mcf.setFederatedTokenFile(tokenFile.toString());
        return mcf;
    }

    @Test
    void theTokenFileAuthenticatesAndItsReplacementIsWhatTheNextTokenRequestSends() throws Exception {
        FederatedIdentityCredential first = m365.trust(cluster, CLIENT, POD);
        Path file = OidcIssuer.write(dir.resolve("azure-identity-token"), cluster.token(POD));
        ImapManagedConnectionFactory mcf = mcf(file);
        NonManagedConnectionManager pool = new NonManagedConnectionManager(8, 30_000);
        try (ImapConnection c = ((ImapConnectionFactory) mcf.createConnectionFactory(pool)).getConnection()) {
            assertEquals(0, c.status("INBOX").messages());
        }
        StandIn.closeAndAssertNothingLeft(pool, m365);
        // the issuer rotates the token (another subject here, so only the new content can work) and the app's
        // federated credential follows: the old token is refused from now on
        m365.tokens().directory().removeFederatedCredential(CLIENT, first);
        String rotatedSubject = "system:serviceaccount:mail:imapra-v2";
        m365.trust(cluster, CLIENT, rotatedSubject);
        OidcIssuer.write(file, cluster.token(rotatedSubject));
        int before = m365.tokens().tokenRequestCount();
        mcf.context().tokens().clear(); // the next connection needs a new token
        NonManagedConnectionManager second = new NonManagedConnectionManager(8, 30_000);
        try (ImapConnection c = ((ImapConnectionFactory) mcf.createConnectionFactory(second)).getConnection()) {
            assertEquals(0, c.status("INBOX").messages());
        }
        StandIn.closeAndAssertNothingLeft(second, m365);
        assertEquals(before + 1, m365.tokens().tokenRequestCount());
    }

    @Test
    void aTokenOfAnUntrustedIssuerIsRefusedWithAadsts70021AndTheHint() throws Exception {
        OidcIssuer stranger = OidcIssuer.create("https://token.actions.githubusercontent.test");
        Path file = OidcIssuer.write(dir.resolve("untrusted-token"), stranger.token("repo:contoso/mail:ref:main"));
        ImapConnectionFactory cf = (ImapConnectionFactory) mcf(file).createConnectionFactory();
        ImapAuthenticationException e = assertThrows(ImapAuthenticationException.class, cf::getConnection);
        assertTrue(e.details().errorCodes().contains("AADSTS70021"), e.getMessage());
        assertTrue(e.details().hint().contains("Federated credentials"), e.details().hint());
    }

    @Test
    void anExpiredTokenIsRefusedWithAadsts700024() throws Exception {
        m365.trust(cluster, CLIENT, "system:serviceaccount:mail:stale");
        Path file = OidcIssuer.write(dir.resolve("expired-token"), cluster.token("system:serviceaccount:mail:stale",
                FederatedIdentityCredential.DEFAULT_AUDIENCE, Instant.now().minus(Duration.ofMinutes(10))));
        ImapConnectionFactory cf = (ImapConnectionFactory) mcf(file).createConnectionFactory();
        ImapAuthenticationException e = assertThrows(ImapAuthenticationException.class, cf::getConnection);
        assertTrue(e.details().errorCodes().contains("AADSTS700024"), e.getMessage());
        assertTrue(e.details().hint().contains("federatedTokenFile"), e.details().hint());
    }

    @Test
    void aMissingTokenFileIsAClearConfigurationError() throws Exception {
        ImapManagedConnectionFactory mcf = mcf(dir.resolve("never-written"));
        ResourceException e = assertThrows(ResourceException.class, mcf::createConnectionFactory);
        assertTrue(e.getMessage().contains("federatedTokenFile") && e.getMessage().contains("does not exist"),
                e.getMessage());
        Files.deleteIfExists(dir.resolve("never-written"));
    }
}
