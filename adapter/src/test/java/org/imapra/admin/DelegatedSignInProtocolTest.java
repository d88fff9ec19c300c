package org.imapra.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.imapra.ImapResourceAdapter;
import org.imapra.api.admin.AuthorizationStart;
import org.imapra.api.admin.DefinitionException;
import org.imapra.api.admin.DefinitionInput;
import org.imapra.api.admin.DefinitionView;
import org.imapra.api.admin.MailboxProperty;
import org.imapra.api.ImapAuthenticationException;
import org.imapra.api.ImapConnection;
import org.imapra.api.ImapConnectionFactory;
import org.imapra.api.admin.PingReport;
import org.imapra.api.admin.PingStage;
import org.imapra.outbound.ImapManagedConnectionFactory;
import org.imapra.standin.LocalM365;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Delegated sign-in against the stand-in: authorization code with PKCE through MSAL4J, the consenting account
 * checked, the rotating refresh token persisted (a new adapter on the same store keeps working), a revoked refresh
 * token leading to "needs sign-in again" everywhere, and forged or replayed states refused.
 */
class DelegatedSignInProtocolTest {

    static final String REDIRECT = "http://localhost:8080/imapra-admin/connect-callback";
    static final String OTHER = "other@contoso.example";
    static LocalM365 m365;
    @TempDir
    Path dir;
    ImapResourceAdapter ra;
    ImapMailboxAdmin admin;

    @BeforeAll
    static void start() {
        m365 = LocalM365.builder().tenant(LocalM365.DEFAULT_TENANT_ID, LocalM365.DEFAULT_DOMAIN)
                .app(LocalM365.DEFAULT_CLIENT_ID, LocalM365.DEFAULT_CLIENT_SECRET)
                .mailbox(LocalM365.DEFAULT_MAILBOX).mailbox(OTHER).start();
        m365.addRedirectUri(LocalM365.DEFAULT_CLIENT_ID, REDIRECT);
    }

    @AfterAll
    static void stop() {
        m365.close();
    }

    @BeforeEach
    void adapter() throws Exception {
        ra = started();
        admin = adminOf(ra);
        admin.create(input(), "alice");
        m365.tokens().consentingUser(null);
    }

    @AfterEach
    void stopAdapter() {
        ra.stop();
    }

    private ImapResourceAdapter started() {
        ImapResourceAdapter a = new ImapResourceAdapter();
        a.setStoreDirectory(dir.toString());
        a.start(null);
        return a;
    }

    private static ImapMailboxAdmin adminOf(ImapResourceAdapter a) {
        ImapMailboxAdmin m = new ImapMailboxAdmin();
        m.setResourceAdapter(a);
        return m;
    }

    static DefinitionInput input() {
        DefinitionInput in = new DefinitionInput();
        in.setName("support");
        in.setUserName(LocalM365.DEFAULT_MAILBOX);
        in.setTenantId(LocalM365.DEFAULT_TENANT_ID);
        in.setClientId(LocalM365.DEFAULT_CLIENT_ID);
        in.setClientSecret(LocalM365.DEFAULT_CLIENT_SECRET.toCharArray());
        in.setAuthorityHost(m365.authorityHost());
        in.setImapHost(m365.imapHost());
        in.setImapPort(m365.imapsPort());
        in.setAuthMode("DELEGATED");
        return in;
    }

    /** What the browser does: follows the authorize URL and returns the callback's query parameters. */
    static Map<String, String> authorize(String url) throws Exception {
        HttpResponse<String> r = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build()
                .send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(302, r.statusCode(), r.body());
        String location = r.headers().firstValue("Location").orElseThrow();
        assertTrue(location.startsWith(REDIRECT + "?"), location);
        Map<String, String> q = new LinkedHashMap<>();
        for (String pair : URI.create(location).getRawQuery().split("&")) {
            int eq = pair.indexOf('=');
            q.put(pair.substring(0, eq), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return q;
    }

    private DefinitionView connect() throws Exception {
        AuthorizationStart start = admin.startAuthorization("support", REDIRECT, "alice");
        Map<String, String> back = authorize(start.authorizeUrl());
        assertEquals(start.state(), back.get("state"));
        return admin.completeAuthorization("support", back.get("state"), back.get("code"), "alice");
    }

    private static int inboxMessages(ImapResourceAdapter a) throws Exception {
        ImapManagedConnectionFactory mcf = new ImapManagedConnectionFactory();
        mcf.setResourceAdapter(a);
        ImapConnectionFactory factory = (ImapConnectionFactory) mcf.createConnectionFactory();
        try (ImapConnection c = factory.getConnection("support")) {
            return c.status("INBOX").messages();
        }
    }

    @Test
    void theAuthorizeUrlIsTenantSpecificWithPkceS256AndTheMailboxAsLoginHint() throws Exception {
        AuthorizationStart start = admin.startAuthorization("support", REDIRECT, "alice");
        String url = start.authorizeUrl();
        assertTrue(url.startsWith(m365.authorityHost() + "/" + LocalM365.DEFAULT_TENANT_ID + "/oauth2/v2.0/authorize?"),
                url);
        assertTrue(url.contains("code_challenge_method=S256"), url);
        assertTrue(url.contains("code_challenge="), url);
        assertFalse(url.contains("code_verifier"), url);
        assertTrue(url.contains("login_hint=support%40contoso.example"), url);
        assertTrue(url.contains("IMAP.AccessAsUser.All"), url);
        assertTrue(url.contains("offline_access"), url);
        assertTrue(url.contains("response_mode=query"), url);
        assertTrue(url.contains("state=" + start.state()), url);
    }

    @Test
    void connectPingReadInboxAndKeepWorkingAfterARestart() throws Exception {
        m365.mailServer().deliver(LocalM365.DEFAULT_MAILBOX, "hello", "delegated");
        DefinitionView before = admin.get("support").orElseThrow();
        assertEquals("DELEGATED", before.value(MailboxProperty.AUTH_MODE));
        assertNotNull(before.needsSignIn());

        DefinitionView v = connect();
        assertEquals(LocalM365.DEFAULT_MAILBOX, v.signedInAs());
        assertNull(v.needsSignIn());
        assertTrue(admin.list().get(0).signIn().startsWith("signed in as"), admin.list().get(0).signIn());

        PingReport ping = admin.ping("support");
        assertTrue(ping.ok(), ping.toString());
        ping.stages().forEach(s -> assertEquals(PingStage.Status.OK, s.status(), s.toString()));
        assertTrue(inboxMessages(ra) >= 1);

        String tokens = Files.readString(dir.resolve("support.tokens"));
        assertFalse(tokens.contains("refresh_token") || tokens.contains("\"secret\"") || tokens.contains("0.A"),
                "the MSAL cache is stored encrypted");
        assertEquals(1, m365.tokens().liveRefreshTokenCount(), "rotated: only the newest refresh token is valid");

        // A restart: a new adapter on the same store, with an empty token cache, refreshes with the stored token
        ra.stop();
        ra = started();
        int requests = m365.tokens().tokenRequestCount();
        assertTrue(inboxMessages(ra) >= 1);
        assertEquals(requests + 1, m365.tokens().tokenRequestCount());
        ra.stop();
        ra = started();
        assertTrue(inboxMessages(ra) >= 1, "the rotated refresh token was persisted before it was needed again");
        assertEquals(1, m365.tokens().liveRefreshTokenCount());
    }

    @Test
    void aRevokedRefreshTokenNeedsSignInAgainEverywhereWithoutRetryingInALoop() throws Exception {
        connect();
        m365.tokens().revokeRefreshTokens(LocalM365.DEFAULT_MAILBOX);
        ImapAuthenticationException e = assertThrows(ImapAuthenticationException.class, () -> inboxMessages(ra));
        assertTrue(e.getMessage().contains("needs sign-in again"), e.getMessage());
        assertTrue(e.getMessage().contains("AADSTS700082"), e.getMessage());
        assertTrue(e.hint().contains("Connect mailbox"), e.hint());

        DefinitionView v = admin.get("support").orElseThrow();
        assertNotNull(v.needsSignIn());
        assertTrue(admin.list().get(0).needsSignIn());

        int requests = m365.tokens().tokenRequestCount();
        PingReport ping = admin.ping("support");
        PingStage token = ping.stages().get(2);
        assertEquals(PingStage.Status.FAILED, token.status(), token.toString());
        assertTrue(token.details().contains("Needs sign-in again"), token.details());
        assertTrue(token.hint().contains("Connect mailbox"), token.hint());
        ra.stop();
        ra = started();
        assertThrows(ImapAuthenticationException.class, () -> inboxMessages(ra));
        assertEquals(requests, m365.tokens().tokenRequestCount(), "no token request until someone signs in again");

        admin = adminOf(ra);
        DefinitionView again = connect();
        assertNull(again.needsSignIn());
        assertTrue(inboxMessages(ra) >= 0);
    }

    @Test
    void anotherAccountIsRefusedAndNothingIsStored() throws Exception {
        m365.tokens().consentingUser(OTHER);
        DefinitionException e = assertThrows(DefinitionException.class, this::connect);
        assertEquals(DefinitionException.Reason.SIGN_IN, e.reason());
        assertTrue(e.getMessage().contains("Signed in as " + OTHER), e.getMessage());
        assertTrue(e.getMessage().contains("User is authenticated but not connected"), e.getMessage());
        assertFalse(Files.exists(dir.resolve("support.tokens")));
    }

    @Test
    void forgedReplayedAndForeignStatesAreRefused() throws Exception {
        AuthorizationStart start = admin.startAuthorization("support", REDIRECT, "alice");
        Map<String, String> back = authorize(start.authorizeUrl());
        DefinitionException forged = assertThrows(DefinitionException.class,
                () -> admin.completeAuthorization("support", "forged-state", back.get("code"), "alice"));
        assertEquals(DefinitionException.Reason.SIGN_IN, forged.reason());
        admin.completeAuthorization("support", back.get("state"), back.get("code"), "alice");
        DefinitionException replayed = assertThrows(DefinitionException.class,
                () -> admin.completeAuthorization("support", back.get("state"), back.get("code"), "alice"));
        assertTrue(replayed.getMessage().contains("state refused"), replayed.getMessage());

        DefinitionInput other = input();
        other.setName("sales");
        admin.create(other, "alice");
        AuthorizationStart forSales = admin.startAuthorization("sales", REDIRECT, "alice");
        Map<String, String> salesBack = authorize(forSales.authorizeUrl());
        DefinitionException foreign = assertThrows(DefinitionException.class,
                () -> admin.completeAuthorization("support", salesBack.get("state"), salesBack.get("code"), "alice"));
        assertTrue(foreign.getMessage().contains("another definition"), foreign.getMessage());
    }

    @Test
    void appOnlyDefinitionsCannotBeConnected() throws Exception {
        DefinitionInput in = input();
        in.setName("apponly");
        in.setAuthMode(null);
        admin.create(in, "alice");
        DefinitionException e = assertThrows(DefinitionException.class,
                () -> admin.startAuthorization("apponly", REDIRECT, "alice"));
        assertEquals(DefinitionException.Reason.SIGN_IN, e.reason());
    }
}
