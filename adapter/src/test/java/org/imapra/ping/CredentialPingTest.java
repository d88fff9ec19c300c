package org.imapra.ping;

import static org.imapra.ping.StagedPingTest.assertFailedAt;
import static org.imapra.ping.StagedPingTest.stage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import org.imapra.api.admin.PingReport;
import org.imapra.api.admin.PingStage;
import org.imapra.api.admin.PingStage.Status;
import org.imapra.auth.MsalTokenSource;
import org.imapra.config.DefinitionBuilder;
import org.imapra.standin.AppRegistration;
import org.imapra.standin.FederatedIdentityCredential;
import org.imapra.standin.LocalCertificates;
import org.imapra.standin.LocalM365;
import org.imapra.standin.OidcIssuer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Token stage for the newer credentials: federated refusals with their hints, expiry warnings, a rotation. */
class CredentialPingTest {

    static final String FEDERATED_APP = "4d5e6f70-0000-4000-8000-00000000fed2";
    static final String CERT_APP = "4d5e6f70-0000-4000-8000-00000000ce27";
    static final String NEXT = "Nx7~aB3.cD9-eF4_gH7vJ2kL6mN1pQ5rS0tU";
    static LocalM365 m365;
    static OidcIssuer cluster;
    static KeyPair keys;
    static X509Certificate soonExpiring;
    @TempDir
    static Path dir;
    final StagedPing ping = new StagedPing(new MsalTokenSource(), Clock.systemUTC());

    @BeforeAll
    static void start() {
        m365 = LocalM365.startDefault();
        m365.tokens().directory().app(AppRegistration.builder(FEDERATED_APP, LocalM365.DEFAULT_TENANT_ID)
                .roles(AppRegistration.IMAP_ACCESS_AS_APP).build());
        m365.mailServer().grantMailbox(FEDERATED_APP, LocalM365.DEFAULT_MAILBOX);
        cluster = OidcIssuer.create("https://oidc.cluster.test/ping");
        m365.trust(cluster, FEDERATED_APP, "system:serviceaccount:mail:imapra");
        keys = LocalCertificates.rsaKeyPair();
        soonExpiring = LocalCertificates.selfSigned(keys, "imapra-expiring", Duration.ofDays(12));
        m365.tokens().directory().app(AppRegistration.builder(CERT_APP, LocalM365.DEFAULT_TENANT_ID)
                .certificate(soonExpiring).roles(AppRegistration.IMAP_ACCESS_AS_APP).build());
        m365.mailServer().grantMailbox(CERT_APP, LocalM365.DEFAULT_MAILBOX);
    }

    @AfterAll
    static void stop() {
        m365.close();
    }

    static DefinitionBuilder federated(String token) {
        Path file = OidcIssuer.write(dir.resolve("token-" + Math.abs(token.hashCode())), token);
        return StagedPingTest.sandbox(m365).clientSecret((String) null).clientId(FEDERATED_APP).credential("FEDERATED")
                .federatedTokenFile(file.toString());
    }

    static String date(Duration fromNow) {
        return LocalDate.ofInstant(Instant.now().plus(fromNow), ZoneOffset.UTC).toString();
    }

    @Test
    void aFederatedTokenOfATrustedIssuerPassesEveryStage() {
        PingReport r = ping.run("federated", federated(cluster.token("system:serviceaccount:mail:imapra")));
        assertTrue(r.ok(), r.toString());
        assertEquals(Status.OK, stage(r, "Token").status(), stage(r, "Token").toString());
        assertTrue(stage(r, "Token").details().contains("federatedTokenFile"), stage(r, "Token").details());
        assertEquals(Status.OK, stage(r, "Mailbox").status());
    }

    @Test
    void anUntrustedIssuerFailsAtTheTokenStageWithAadsts70021AndTheHint() {
        OidcIssuer stranger = OidcIssuer.create("https://token.actions.githubusercontent.test");
        PingReport r = ping.run("untrusted", federated(stranger.token("repo:contoso/mail:ref:main")));
        assertFailedAt(r, "Token");
        PingStage t = stage(r, "Token");
        assertTrue(t.details().contains("AADSTS70021") && t.details().contains(stranger.issuer()), t.details());
        assertTrue(t.hint().contains("Federated credentials") && t.hint().contains("api://AzureADTokenExchange"),
                t.hint());
    }

    @Test
    void anExpiredFederatedTokenFailsAtTheTokenStageWithAadsts700024() {
        PingReport r = ping.run("expired", federated(cluster.token("system:serviceaccount:mail:imapra",
                FederatedIdentityCredential.DEFAULT_AUDIENCE, Instant.now().minus(Duration.ofMinutes(3)))));
        assertFailedAt(r, "Token");
        assertTrue(stage(r, "Token").details().contains("AADSTS700024"), stage(r, "Token").details());
        assertTrue(stage(r, "Token").hint().contains("refreshes it"), stage(r, "Token").hint());
    }

    @Test
    void aSecretExpiringWithin30DaysIsAWarningNotAFailure() {
        PingReport soon = ping.run("soon", StagedPingTest.sandbox(m365).secretExpires(date(Duration.ofDays(9))));
        PingStage t = stage(soon, "Token");
        assertEquals(Status.WARNING, t.status(), t.toString());
        assertTrue(t.details().contains("secretExpires") && t.details().contains("in 8 days")
                || t.details().contains("in 9 days"), t.details());
        assertTrue(t.hint().contains("nextClientSecret"), t.hint());
        assertTrue(soon.ok(), "a warning is not a failure");
        assertEquals(Status.OK, stage(soon, "Mailbox").status());

        PingReport later = ping.run("later", StagedPingTest.sandbox(m365).secretExpires(date(Duration.ofDays(90))));
        assertEquals(Status.OK, stage(later, "Token").status(), stage(later, "Token").toString());
        assertTrue(stage(later, "Token").details().contains("expires"), stage(later, "Token").details());
    }

    @Test
    void aCertificateExpiringWithin30DaysIsAWarningFromItsNotAfter() throws Exception {
        Path file = Files.writeString(dir.resolve("expiring.pem"), LocalCertificates.pem(keys, soonExpiring));
        PingReport r = ping.run("cert", StagedPingTest.sandbox(m365).clientSecret((String) null).clientId(CERT_APP)
                .certificatePath(file.toString()));
        PingStage t = stage(r, "Token");
        assertEquals(Status.WARNING, t.status(), t.toString());
        assertTrue(t.details().contains("certificate (certificatePath)")
                && t.details().contains(soonExpiring.getNotAfter().toInstant().toString()), t.details());
        assertTrue(t.hint().contains("nextCertificatePath"), t.hint());
        assertTrue(r.ok(), r.toString());
    }

    @Test
    void aRefusedCurrentSecretWithAWorkingNextIsAWarningNamingTheOneInUse() {
        m365.addSecret(LocalM365.DEFAULT_CLIENT_ID, NEXT);
        try {
            PingReport r = ping.run("rotated", StagedPingTest.sandbox(m365).clientSecret("Revoked~or-Never.Valid_123")
                    .nextClientSecret(NEXT));
            PingStage t = stage(r, "Token");
            assertEquals(Status.WARNING, t.status(), t.toString());
            assertTrue(t.details().contains("clientSecret was refused (AADSTS7000215)")
                    && t.details().contains("nextClientSecret works"), t.details());
            assertTrue(r.ok(), r.toString());
            assertTrue(!r.toString().contains(NEXT), "the secret leaked into the report");

            PingReport both = ping.run("both", StagedPingTest.sandbox(m365).clientSecret("Revoked~or-Never.Valid_123")
                    .nextClientSecret("Also~Never.Valid_456"));
            assertFailedAt(both, "Token");
            assertTrue(stage(both, "Token").details().contains("clientSecret was refused (AADSTS7000215), and "
                    + "nextClientSecret too"), stage(both, "Token").details());
        } finally {
            m365.revokeSecret(LocalM365.DEFAULT_CLIENT_ID, NEXT);
        }
    }
}
