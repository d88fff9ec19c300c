package org.imapra.ping;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import org.imapra.api.admin.PingReport;
import org.imapra.api.admin.PingStage;
import org.imapra.api.admin.PingStage.Status;
import org.imapra.auth.MsalTokenSource;
import org.imapra.config.DefinitionBuilder;
import org.imapra.config.MailboxDefinition;
import org.imapra.standin.AppRegistration;
import org.imapra.standin.LocalCertificates;
import org.imapra.standin.LocalM365;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.imapra.imap.ImapHints;

/** The staged ping against the local stand-in: the success path and every failure that can be produced locally. */
class StagedPingTest {

    static LocalM365 m365;
    final StagedPing ping = new StagedPing(new MsalTokenSource(), Clock.systemUTC());

    @BeforeAll
    static void start() {
        m365 = LocalM365.startDefault();
    }

    @AfterAll
    static void stop() {
        m365.close();
    }

    static DefinitionBuilder sandbox() {
        return sandbox(m365);
    }

    /** The stand-in's mailbox with the default app and its secret, 2 s timeouts. */
    static DefinitionBuilder sandbox(LocalM365 m365) {
        return MailboxDefinition.builder().name("sandbox").userName(LocalM365.DEFAULT_MAILBOX)
                .tenantId(LocalM365.DEFAULT_TENANT_ID).clientId(LocalM365.DEFAULT_CLIENT_ID)
                .clientSecret(LocalM365.DEFAULT_CLIENT_SECRET).authorityHost(m365.authorityHost())
                .imapHost(m365.imapHost()).imapPort(m365.imapsPort()).connectTimeoutMillis(2_000)
                .readTimeoutMillis(2_000);
    }

    static PingStage stage(PingReport r, String name) {
        return r.stages().stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
    }

    static void assertFailedAt(PingReport r, String name) {
        assertEquals(8, r.stages().size(), r.toString());
        int i = StagedPing.STAGES.indexOf(name);
        assertEquals(Status.FAILED, r.stages().get(i).status(), r.stages().get(i).toString());
        for (int j = i + 1; j < 8; j++) {
            assertEquals(Status.SKIPPED, r.stages().get(j).status(), "after the failure: " + r.stages().get(j));
        }
        assertFalse(r.ok());
        assertFalse(r.toString().contains(LocalM365.DEFAULT_CLIENT_SECRET), "the secret leaked into the report");
        assertFalse(r.toString().contains("eyJ"), "a token leaked into the report");
    }

    @Test
    void everyStageIsOkAgainstAWorkingMailbox() {
        m365.mailServer().deliver(LocalM365.DEFAULT_MAILBOX, "hello", "world");
        PingReport r = ping.run("sandbox", sandbox());
        assertEquals(StagedPing.STAGES, r.stages().stream().map(PingStage::name).toList());
        for (PingStage s : r.stages()) {
            assertEquals(Status.OK, s.status(), s.toString());
            assertNotNull(s.details());
        }
        assertTrue(stage(r, "Token").details().contains("/" + LocalM365.DEFAULT_TENANT_ID + "/oauth2/v2.0/token"));
        assertTrue(stage(r, "Token claims").details().contains("IMAP.AccessAsApp"));
        assertTrue(stage(r, "TLS connection").details().contains("TLSv1"));
        assertTrue(stage(r, "Capabilities").details().contains("AUTH=XOAUTH2"));
        assertTrue(stage(r, "Mailbox").details().matches("INBOX: \\d+ messages.*"), stage(r, "Mailbox").details());
        assertFalse(r.toString().contains("eyJ"), "a token leaked into the report");
    }

    @Test
    void anInvalidDefinitionFailsFirstNamingTheProperty() {
        PingReport r = ping.run("sandbox", sandbox().tenantId("common"));
        assertFailedAt(r, "Definition");
        assertTrue(stage(r, "Definition").details().contains("tenantId 'common'"));
    }

    @Test
    void anUnknownTenantFailsAtTheAuthorityWithAadsts90002AndTheCloudHint() {
        PingReport r = ping.run("x", sandbox().tenantId("9f8e7d6c-0000-4000-8000-000000000000"));
        assertFailedAt(r, "Authority");
        assertTrue(stage(r, "Authority").details().contains("AADSTS90002"), stage(r, "Authority").details());
        assertTrue(stage(r, "Authority").hint().contains("cloud"));
    }

    @Test
    void aWrongSecretShowsTheTokenEndpointAadsts7000215AndTheValueHint() {
        PingReport r = ping.run("x", sandbox().clientSecret("Wrong~Secret.Value_abcdefghijklmnopqrstu"));
        assertFailedAt(r, "Token");
        PingStage t = stage(r, "Token");
        assertTrue(t.details().contains(m365.authorityHost() + "/" + LocalM365.DEFAULT_TENANT_ID
                + "/oauth2/v2.0/token") && t.details().contains("AADSTS7000215"), t.details());
        assertTrue(t.hint().contains("Value"), t.hint());
        assertFalse(r.toString().contains("Wrong~Secret"));
        assertEquals(1, t.details().split("AADSTS7000215", -1).length - 1, "the code is shown once: " + t.details());
    }

    @Test
    void aTokenEndpointAnswering503IsToldAsEntrasTransientSide() {
        m365.tokens().failNext(1, 503);
        PingReport r = ping.run("x", sandbox());
        assertFailedAt(r, "Token");
        PingStage t = stage(r, "Token");
        assertTrue(t.details().contains("HTTP 503"), t.details());
        assertNotNull(t.hint(), t.toString());
        assertTrue(t.hint().contains("Entra ID failed on its side") && t.hint().contains("retry later")
                && t.hint().contains("Service health"), t.hint());
    }

    @Test
    void anAuthorityHostThatDoesNotResolveGetsTheAuthorityHintNotTheImapOne() {
        PingReport r = ping.run("x", sandbox().authorityHost("https://no-such-host.invalid"));
        assertFailedAt(r, "Authority");
        PingStage a = stage(r, "Authority");
        assertTrue(a.details().contains("no-such-host.invalid"), a.details());
        assertTrue(a.hint().contains("authority host") && a.hint().contains("cloud"), a.hint());
        assertFalse(a.hint().contains("IMAP"), a.hint());
    }

    @Test
    void anUnknownClientAndAnExpiredSecretAreNamed() {
        PingReport unknown = ping.run("x", sandbox().clientId("aaaaaaaa-0000-4000-8000-000000000000"));
        assertTrue(stage(unknown, "Token").details().contains("AADSTS700016"));
        String client = "bbbbbbbb-0000-4000-8000-000000000001";
        m365.tokens().directory().app(AppRegistration.builder(client, LocalM365.DEFAULT_TENANT_ID)
                .secret("Expired~Secret.Value_abcdefghijklmnopqr", Instant.now().minusSeconds(60))
                .roles(AppRegistration.IMAP_ACCESS_AS_APP).build());
        PingReport expired = ping.run("x", sandbox().clientId(client)
                .clientSecret("Expired~Secret.Value_abcdefghijklmnopqr"));
        assertTrue(stage(expired, "Token").details().contains("AADSTS7000222"), stage(expired, "Token").details());
        assertTrue(stage(expired, "Token").hint().contains("new secret"));
    }

    @Test
    void aTokenWithoutImapAccessAsAppWarnsThenAuthenticateFailsWithTheExchangeHint() {
        String client = "cccccccc-0000-4000-8000-000000000002";
        m365.tokens().directory().app(AppRegistration.builder(client, LocalM365.DEFAULT_TENANT_ID)
                .secret("NoRole~Secret.Value_abcdefghijklmnopqrs").build());
        m365.mailServer().grantMailbox(client, LocalM365.DEFAULT_MAILBOX);
        PingReport r = ping.run("x", sandbox().clientId(client).clientSecret("NoRole~Secret.Value_abcdefghijklmnopqrs"));
        assertEquals(Status.WARNING, stage(r, "Token claims").status());
        assertTrue(stage(r, "Token claims").hint().contains("IMAP.AccessAsApp"));
        assertFailedAt(r, "Authenticate");
        assertTrue(stage(r, "Authenticate").details().contains("AUTHENTICATE failed"));
    }

    @Test
    void aThrottledMailboxFailsAtAuthenticateWithTheServersWordsAndTheLimitsHint() {
        m365.mailServer().throttle(LocalM365.DEFAULT_MAILBOX, java.time.Duration.ofMinutes(1));
        try {
            PingReport r = ping.run("x", sandbox());
            assertFailedAt(r, "Authenticate");
            assertTrue(stage(r, "Authenticate").details().contains("Request is throttled. Suggested Backoff Time"),
                    stage(r, "Authenticate").details());
            assertTrue(stage(r, "Authenticate").hint().contains("Exchange Online limits this mailbox"),
                    stage(r, "Authenticate").hint());
        } finally {
            m365.mailServer().clearFaults(LocalM365.DEFAULT_MAILBOX);
        }
    }

    @Test
    void authenticatedButNotConnectedFailsAtMailboxWithThePermissionHint() {
        m365.mailServer().authenticatedButNotConnected(LocalM365.DEFAULT_MAILBOX);
        try {
            PingReport r = ping.run("x", sandbox());
            assertFailedAt(r, "Mailbox");
            assertTrue(stage(r, "Mailbox").details().contains("User is authenticated but not connected"),
                    stage(r, "Mailbox").details());
            assertTrue(stage(r, "Mailbox").hint().contains("FullAccess")
                    && stage(r, "Mailbox").hint().contains("shared mailbox"), stage(r, "Mailbox").hint());
        } finally {
            m365.mailServer().clearFaults(LocalM365.DEFAULT_MAILBOX);
        }
    }

    @Test
    void aValidTokenForAMailboxNotGrantedFailsAtAuthenticateWithAddMailboxPermission() {
        String other = "ceo@" + LocalM365.DEFAULT_DOMAIN;
        m365.mailServer().createMailbox(other);
        PingReport r = ping.run("x", sandbox().userName(other));
        assertFailedAt(r, "Authenticate");
        assertTrue(stage(r, "Authenticate").hint().contains("Add-MailboxPermission"));
    }

    @Test
    void refusedUnknownHostTimeoutAndUntrustedTlsAreTold() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        PingReport refused = ping.run("x", sandbox().imapPort(closedPort));
        assertFailedAt(refused, "TLS connection");
        assertTrue(stage(refused, "TLS connection").hint().contains("refused"));

        PingReport unknown = ping.run("x", sandbox().imapHost("no-such-host.invalid"));
        assertFailedAt(unknown, "TLS connection");
        assertTrue(stage(unknown, "TLS connection").hint().contains("does not resolve"));

        try (ServerSocket silent = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            PingReport timeout = ping.run("x", sandbox().imapPort(silent.getLocalPort()).readTimeoutMillis(500));
            assertFailedAt(timeout, "TLS connection");
            assertTrue(stage(timeout, "TLS connection").hint().contains("did not answer in time"));
        }

        try (SSLServerSocket untrusted = untrustedTlsServer()) {
            Thread t = new Thread(() -> {
                try (Socket s = untrusted.accept()) {
                    s.getInputStream().read();
                } catch (IOException ignored) {
                    // the client gives up
                }
            });
            t.start();
            PingReport tls = ping.run("x", sandbox().imapPort(untrusted.getLocalPort()));
            assertFailedAt(tls, "TLS connection");
            assertTrue(stage(tls, "TLS connection").hint().contains("not trusted"), stage(tls, "TLS connection").toString());
            t.join(5_000);
        }
    }

    private static SSLServerSocket untrustedTlsServer() throws Exception {
        KeyPair keys = LocalCertificates.rsaKeyPair();
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("k", keys.getPrivate(), "pw".toCharArray(),
                new Certificate[] {LocalCertificates.selfSigned(keys, "localhost", Duration.ofDays(1))});
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, "pw".toCharArray());
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), null, null);
        return (SSLServerSocket) ctx.getServerSocketFactory().createServerSocket(0, 1, InetAddress.getLoopbackAddress());
    }

    @Test
    void hintsCoverTheCatalogueEvenWhereTheStandInCannotProduceIt() {
        for (String code : List.of("AADSTS90002", "AADSTS700016", "AADSTS7000215", "AADSTS7000222", "AADSTS70011",
                "AADSTS50194", "AADSTS700082", "AADSTS53003")) {
            assertNotNull(org.imapra.auth.AadstsHints.hint(List.of(code), null, null), code);
        }
        assertTrue(ImapHints.hint("BAD User is authenticated but not connected.", null).contains("FullAccess"));
        assertTrue(ImapHints.hint("* BYE Session invalidated - AccessTokenExpired", null).contains("expired"));
    }
}
