package org.imapra.standin;

import static org.imapra.standin.LocalM365.DEFAULT_CLIENT_ID;
import static org.imapra.standin.LocalM365.DEFAULT_CLIENT_SECRET;
import static org.imapra.standin.LocalM365.DEFAULT_MAILBOX;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Store;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import java.util.Properties;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Dovecot as the IMAP backend: tokens of the Entra stand-in log in with XOAUTH2 and OAUTHBEARER, and every kind of
 * bad token is refused by Dovecot itself (the IMAP answer and the reason in Dovecot's log are both checked).
 */
class DovecotServerTest {
    static final String NO_ROLE_APP = "55555555-6666-4777-8888-999999999999";
    static final String OTHER_MAILBOX = "other@contoso.example";
    static final String REFUSED = "NO [AUTHENTICATIONFAILED] Authentication failed.";

    static LocalM365 m365;
    static DovecotServer dovecot;
    @RegisterExtension
    static final DovecotLogOnFailure LOG = new DovecotLogOnFailure(() -> dovecot);

    @BeforeAll
    static void start() {
        m365 = LocalM365.startDefault();
        m365.tokens().directory().app(AppRegistration.builder(NO_ROLE_APP, m365.tenantId()).secret("s").build());
        dovecot = DovecotServer.start(m365, DEFAULT_MAILBOX);
        dovecot.createMailbox(OTHER_MAILBOX);
        dovecot.grantMailbox(NO_ROLE_APP, DEFAULT_MAILBOX); // granted, but its tokens lack the role
    }

    @AfterAll
    static void stop() {
        try {
            if (dovecot != null) {
                dovecot.close();
            }
        } finally {
            m365.close();
        }
    }

    static String token() {
        return Http.token(m365.tokenEndpoint(), DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET);
    }

    @Test
    void anAppTokenLogsInWithXoauth2AndSeesTheDeliveredMail() throws Exception {
        String box = "xoauth2@contoso.example";
        dovecot.createMailbox(box);
        dovecot.grantMailbox(DEFAULT_CLIENT_ID, box);
        dovecot.deliver(box, "one", "first");
        dovecot.deliver(box, "two", "second");
        Properties p = new Properties();
        p.put("mail.imaps.auth.mechanisms", "XOAUTH2");
        p.put("mail.imaps.ssl.checkserveridentity", "true");
        try (Store store = Session.getInstance(p).getStore("imaps")) {
            store.connect(dovecot.host(), dovecot.imapsPort(), box, token());
            Folder inbox = store.getFolder("INBOX");
            inbox.open(Folder.READ_ONLY);
            Message[] messages = inbox.getMessages();
            assertEquals(2, messages.length, dovecot.log());
            assertEquals("one", messages[0].getSubject());
            assertEquals("two", messages[1].getSubject());
            inbox.close(false);
        }
        assertTrue(dovecot.awaitLog("Login: user=<" + box + ">, method=XOAUTH2", Duration.ofSeconds(5)), dovecot.log());
    }

    @Test
    void anAppTokenLogsInWithOauthBearer() throws Exception {
        try (ImapProbe imap = probe()) {
            String answer = imap.authenticate("OAUTHBEARER", ImapProbe.oauthBearer(DEFAULT_MAILBOX, token()));
            assertTrue(answer.startsWith("OK "), answer);
            assertTrue(imap.command("STATUS INBOX (MESSAGES)").startsWith("OK"), imap.lines().toString());
        }
        assertTrue(dovecot.awaitLog("Login: user=<" + DEFAULT_MAILBOX + ">, method=OAUTHBEARER",
                Duration.ofSeconds(5)), dovecot.log());
    }

    @Test
    void aTokenForAnotherAudienceIsRefused() throws Exception {
        assertRefused(resigned(c -> c.audience("https://graph.microsoft.com")), "client_id not found in aud field");
    }

    @Test
    void anExpiredTokenIsRefused() throws Exception {
        Instant past = Instant.now().minusSeconds(7200);
        assertRefused(resigned(c -> c.issueTime(Date.from(past)).notBeforeTime(Date.from(past))
                .expirationTime(Date.from(past.plusSeconds(3599)))), "Token has expired");
    }

    @Test
    void aTokenSignedByAnotherKeyIsRefused() throws Exception {
        SignedJWT real = SignedJWT.parse(token());
        SignedJWT forged = new SignedJWT(real.getHeader(), real.getJWTClaimsSet());
        forged.sign(new RSASSASigner(LocalCertificates.rsaKeyPair().getPrivate()));
        assertRefused(forged.serialize(), "Bad signature");
        SignedJWT unknownKey = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).type(real.getHeader().getType())
                .keyID("another-key").build(), real.getJWTClaimsSet());
        unknownKey.sign(new RSASSASigner(LocalCertificates.rsaKeyPair().getPrivate()));
        assertRefused(unknownKey.serialize(), "RS256 key 'another-key' not found");
    }

    @Test
    void aTokenWithoutTheRoleIsRefused() throws Exception {
        String noRole = Http.token(m365.tokenEndpoint(), NO_ROLE_APP, "s");
        assertEquals(TokenIssuer.NO_IMAP_ROLE, SignedJWT.parse(noRole).getJWTClaimsSet()
                .getStringClaim(TokenIssuer.IMAP_ROLE_CLAIM));
        assertRefused(noRole, "Provided token is not valid");
    }

    @Test
    void aTokenOfAnotherTenantIsRefused() throws Exception {
        assertRefused(resigned(c -> c.issuer(TokenIssuer.issuer("11111111-2222-4333-8444-555555555555"))),
                "is not allowed");
    }

    @Test
    void aGoodTokenOpensOnlyMailboxesGrantedToItsApp() throws Exception {
        String token = token();
        assertRefused(OTHER_MAILBOX, "XOAUTH2", token, "app-grant", "unknown user");
        String box = "revoked@contoso.example";
        dovecot.createMailbox(box);
        dovecot.grantMailbox(DEFAULT_CLIENT_ID, box);
        try (ImapProbe imap = probe()) {
            assertTrue(imap.authenticate("XOAUTH2", ImapProbe.xoauth2(box, token)).startsWith("OK "));
        }
        dovecot.revokeMailbox(DEFAULT_CLIENT_ID, box);
        assertRefused(box, "OAUTHBEARER", token, "app-grant", "unknown user");
    }

    /**
     * Dovecot 2.3.19 treats a token without the {@code active_attribute} claim as active: the role check holds only
     * because every app token of the stand-in carries {@link TokenIssuer#IMAP_ROLE_CLAIM}. This pins that behaviour.
     */
    @Test
    void aTokenWithoutTheScalarRoleClaimIsAcceptedByThisDovecot() throws Exception {
        String withoutClaim = resigned(c -> c.claim(TokenIssuer.IMAP_ROLE_CLAIM, null));
        try (ImapProbe imap = probe()) {
            String answer = imap.authenticate("XOAUTH2", ImapProbe.xoauth2(DEFAULT_MAILBOX, withoutClaim));
            assertTrue(answer.startsWith("OK "), answer + "\n" + dovecot.log());
        }
    }

    @Test
    void loginAndPlainTextAreNotOffered() throws Exception {
        try (ImapProbe imap = probe()) {
            String capability = imap.command("CAPABILITY");
            assertTrue(capability.startsWith("OK"), capability);
            String caps = imap.lines().stream().filter(l -> l.startsWith("* CAPABILITY")).findFirst().orElseThrow();
            assertTrue(caps.contains("AUTH=XOAUTH2") && caps.contains("AUTH=OAUTHBEARER"), caps);
            assertTrue(!caps.contains("AUTH=PLAIN") && caps.contains("LOGINDISABLED"), caps);
        }
        Properties p = new Properties();
        p.put("mail.imaps.auth.mechanisms", "XOAUTH2");
        Store store = Session.getInstance(p).getStore("imaps");
        assertThrows(AuthenticationFailedException.class,
                () -> store.connect(dovecot.host(), dovecot.imapsPort(), DEFAULT_MAILBOX, "not-a-token"));
    }

    @Test
    void aDelegatedTokenOpensOnlyItsUsersMailboxAndOnlyWithTheImapScope() throws Exception {
        String token = delegated(DEFAULT_MAILBOX, DelegatedGrants.IMAP_ACCESS_AS_USER);
        for (String mechanism : List.of("XOAUTH2", "OAUTHBEARER")) {
            try (ImapProbe imap = probe()) {
                String response = mechanism.equals("XOAUTH2") ? ImapProbe.xoauth2(DEFAULT_MAILBOX, token)
                        : ImapProbe.oauthBearer(DEFAULT_MAILBOX, token);
                String answer = imap.authenticate(mechanism, response);
                assertTrue(answer.startsWith("OK "), answer + "\n" + dovecot.log());
            }
        }
        assertRefused(OTHER_MAILBOX, "XOAUTH2", token, "delegated-token",
                "Username 'other@contoso.example' did not match");
        assertRefused(DEFAULT_MAILBOX, "XOAUTH2", delegated(DEFAULT_MAILBOX, "Mail.Read"), "delegated-token",
                "missing from token scope 'Mail.Read'");
    }

    private static String delegated(String upn, String scp) {
        EntraDirectory directory = m365.tokens().directory();
        return m365.tokens().issuer().issueDelegated(directory.app(DEFAULT_CLIENT_ID).orElseThrow(),
                directory.resolveTenant(m365.tenantId()).orElseThrow(), upn, scp, 3600, Instant.now());
    }

    @Test
    void aMissingDovecotSaysWhatToInstall() throws Exception {
        Path empty = Files.createTempDirectory("no-dovecot");
        try {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> DovecotProcess.executable(List.of(empty.toString()), List.of()));
            assertTrue(e.getMessage().contains("apt-get install -y dovecot-imapd"), e.getMessage());
        } finally {
            Files.delete(empty);
        }
    }

    @Test
    void sessionsAreCountedUntilClosed() throws Exception {
        assertTrue(dovecot.awaitOpenSessionCount(0, Duration.ofSeconds(5)), "left open: " + dovecot.openSessionCount());
        try (ImapProbe imap = probe()) {
            assertTrue(imap.authenticate("XOAUTH2", ImapProbe.xoauth2(DEFAULT_MAILBOX, token())).startsWith("OK "));
            assertEquals(1, dovecot.openSessionCount());
        }
        assertTrue(dovecot.awaitOpenSessionCount(0, Duration.ofSeconds(5)), "left open: " + dovecot.openSessionCount());
    }

    private static ImapProbe probe() throws Exception {
        return new ImapProbe(m365.certificates(), dovecot.host(), dovecot.imapsPort());
    }

    /** A good token's claims, changed, signed with the stand-in's own key (so only the change can be refused). */
    private static String resigned(Consumer<JWTClaimsSet.Builder> change) throws Exception {
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder(SignedJWT.parse(token()).getJWTClaimsSet());
        change.accept(claims);
        return m365.tokens().issuer().sign(claims.build());
    }

    /** Refused with both mechanisms, and Dovecot's app-token passdb says why. */
    private static void assertRefused(String token, String reason) throws Exception {
        assertRefused(DEFAULT_MAILBOX, "XOAUTH2", token, "app-token", reason);
        assertRefused(DEFAULT_MAILBOX, "OAUTHBEARER", token, "app-token", reason);
    }

    /** {@code NO [AUTHENTICATIONFAILED]}, still not logged in, and a new log line of {@code passdb} with the reason. */
    private static void assertRefused(String mailbox, String mechanism, String token, String passdb, String reason)
            throws Exception {
        String line = passdb + "(" + mailbox + ",";
        int before = count(dovecot.log(), line, reason);
        try (ImapProbe imap = probe()) {
            String response = mechanism.equals("XOAUTH2") ? ImapProbe.xoauth2(mailbox, token)
                    : ImapProbe.oauthBearer(mailbox, token);
            assertEquals(REFUSED, imap.authenticate(mechanism, response), dovecot.log());
            assertTrue(imap.command("STATUS INBOX (MESSAGES)").startsWith("BAD"), "still not authenticated");
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (count(dovecot.log(), line, reason) == before && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertTrue(count(dovecot.log(), line, reason) > before, "Dovecot's log does not say why (" + line + "..."
                + reason + "):\n" + dovecot.log());
    }

    private static int count(String log, String... parts) {
        return (int) log.lines().filter(l -> Arrays.stream(parts).allMatch(l::contains)).count();
    }
}
