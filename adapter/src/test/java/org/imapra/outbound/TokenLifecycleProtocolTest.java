package org.imapra.outbound;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.imapra.api.ImapAuthenticationException;
import org.imapra.api.ImapConnection;
import org.imapra.api.ImapConnectionFactory;
import org.imapra.api.ImapConnectionLostException;
import org.imapra.standin.AppRegistration;
import org.imapra.standin.LocalM365;
import org.imapra.testsupport.LogCapture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Tokens and the pool: one request for many callers, retirement before expiry, and clear authentication errors. */
class TokenLifecycleProtocolTest {

    static LocalM365 m365;
    static LogCapture logs;
    ImapManagedConnectionFactory mcf;
    NonManagedConnectionManager pool;
    ImapConnectionFactory factory;

    @BeforeAll
    static void start() {
        logs = LogCapture.install("org.imapra", "com.microsoft.aad", "org.eclipse.angus");
        m365 = LocalM365.startDefault();
    }

    @AfterAll
    static void stop() {
        m365.close();
        logs.uninstall();
        logs.assertNoSecrets(LocalM365.DEFAULT_CLIENT_SECRET);
    }

    @BeforeEach
    void newFactory() throws Exception {
        m365.tokens().reset();
        m365.tokens().tokenLifetimeSeconds(3599);
        mcf = StandIn.factory(m365);
        mcf.setMaxConnectionsPerMailbox(50); // 50 cold callers at once: above the default budget of 16
        pool = new NonManagedConnectionManager(50, 20_000);
        factory = (ImapConnectionFactory) mcf.createConnectionFactory(pool);
    }

    @AfterEach
    void closePool() throws InterruptedException {
        StandIn.closeAndAssertNothingLeft(pool, m365);
    }

    @Test
    void fiftyConcurrentColdCallersCauseOneTokenRequest() throws Exception {
        ExecutorService callers = Executors.newFixedThreadPool(50);
        CountDownLatch go = new CountDownLatch(1);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                results.add(callers.submit(() -> {
                    go.await();
                    try (ImapConnection c = factory.getConnection()) {
                        return c.status("INBOX").messages();
                    }
                }));
            }
            go.countDown();
            for (Future<Integer> f : results) {
                assertEquals(0, f.get(60, TimeUnit.SECONDS));
            }
        } finally {
            callers.shutdownNow();
        }
        assertEquals(1, m365.tokens().tokenRequestCount(), "token requests for 50 cold callers");
        System.out.println("P2 (test): 50 concurrent cold getConnection() -> token requests: "
                + m365.tokens().tokenRequestCount() + ", IMAP connections opened: " + (50 - pool.inUse()));
    }

    @Test
    void aConnectionWhoseTokenIsAboutToExpireIsRetiredAndReplaced() throws Exception {
        m365.tokens().tokenLifetimeSeconds(8); // retire margin: 1 s before expiry
        ImapManagedConnection first;
        Instant expires;
        try (ImapConnection c = factory.getConnection()) {
            c.status("INBOX");
            first = ((ImapConnectionImpl) c).managed();
            expires = first.tokenExpiresAt();
        }
        try (ImapConnection c = factory.getConnection()) {
            assertSame(first, ((ImapConnectionImpl) c).managed(), "well before expiry the idle one is reused");
        }
        Thread.sleep(Math.max(0, Duration.between(Instant.now(), expires).toMillis() - 700));
        assertFalse(first.usable(), "within the retire margin the connection is no longer usable");
        assertFalse(mcf.getInvalidConnections(Set.of(first)).isEmpty(), "and the pool is told it is invalid");
        try (ImapConnection c = factory.getConnection()) {
            assertNotSame(first, ((ImapConnectionImpl) c).managed());
            assertEquals(0, c.status("INBOX").messages());
            assertTrue(((ImapConnectionImpl) c).managed().tokenExpiresAt().isAfter(expires));
        }
        assertEquals(2, m365.tokens().tokenRequestCount());
        assertTrue(m365.mailServer().awaitOpenSessionCount(1, Duration.ofSeconds(5)), "the old session was closed");
    }

    @Test
    void aConnectionHeldPastItsTokenGetsTheServersByeAndTheNextOneWorks() throws Exception {
        m365.tokens().tokenLifetimeSeconds(3);
        ImapConnection c = factory.getConnection();
        c.status("INBOX");
        Thread.sleep(3_500);
        ImapConnectionLostException e = assertThrows(ImapConnectionLostException.class, () -> c.status("INBOX"));
        assertTrue(e.getMessage().contains("AccessTokenExpired"), e.getMessage());
        c.close();
        m365.tokens().tokenLifetimeSeconds(3599);
        try (ImapConnection next = factory.getConnection()) {
            assertEquals(0, next.status("INBOX").messages());
        }
    }

    @Test
    void wrongSecretGivesTheAadstsCodeEndpointAndHintWithoutTheSecret() throws Exception {
        String wrong = "Wrong~Secret.Value_abcdefghijklmnopqrstu";
        mcf.setClientSecret(wrong);
        ImapAuthenticationException e = assertThrows(ImapAuthenticationException.class, () -> factory.getConnection());
        assertEquals(List.of("AADSTS7000215"), e.errorCodes());
        assertEquals(401, e.httpStatus());
        assertEquals("invalid_client", e.error());
        assertEquals(m365.authorityHost() + "/" + LocalM365.DEFAULT_TENANT_ID + "/oauth2/v2.0/token",
                e.tokenEndpoint());
        assertTrue(e.correlationId() != null && !e.correlationId().isBlank());
        assertTrue(e.hint().contains("Value"), e.hint());
        assertTrue(e.getMessage().contains("AADSTS7000215") && e.getMessage().contains(e.tokenEndpoint()),
                e.getMessage());
        assertFalse(e.getMessage().contains(wrong));
        assertFalse(e.getMessage().contains(LocalM365.DEFAULT_CLIENT_SECRET));
    }

    @Test
    void unknownTenantAndUnknownClientAreNamed() throws Exception {
        mcf.setTenantId("1c2d3e4f-0000-4000-8000-000000000000");
        ImapAuthenticationException tenant = assertThrows(ImapAuthenticationException.class,
                () -> factory.getConnection());
        assertEquals(List.of("AADSTS90002"), tenant.errorCodes());
        assertTrue(tenant.hint().contains("cloud"), tenant.hint());

        ImapManagedConnectionFactory other = StandIn.factory(m365);
        other.setClientId("2b3c4d5e-0000-4000-8000-000000000000");
        ImapAuthenticationException client = assertThrows(ImapAuthenticationException.class,
                () -> ((ImapConnectionFactory) other.createConnectionFactory()).getConnection());
        assertEquals(List.of("AADSTS700016"), client.errorCodes());
        assertTrue(client.hint().contains("Application (client) ID"), client.hint());
    }

    @Test
    void aDomainTenantWorksLikeItsGuid() throws Exception {
        mcf.setTenantId(LocalM365.DEFAULT_DOMAIN);
        try (ImapConnection c = factory.getConnection()) {
            c.status("INBOX");
        }
        assertTrue(m365.tokens().requests().get(0).path().startsWith("/" + LocalM365.DEFAULT_DOMAIN + "/"));
    }

    @Test
    void aValidTokenForAMailboxTheAppMayNotOpenIsRefusedWithTheExchangeHint() throws Exception {
        String other = "ceo@" + LocalM365.DEFAULT_DOMAIN;
        m365.mailServer().createMailbox(other);
        mcf.setUserName(other);
        ImapAuthenticationException e = assertThrows(ImapAuthenticationException.class, () -> factory.getConnection());
        assertTrue(e.getMessage().contains("AUTHENTICATE"), e.getMessage());
        assertTrue(e.hint().contains("Add-MailboxPermission") && e.hint().contains("New-ServicePrincipal"), e.hint());
        assertEquals(null, e.tokenEndpoint(), "the token was fine: the IMAP server refused it");
    }

    @Test
    void aTokenWithoutImapAccessAsAppIsRefusedByTheServer() throws Exception {
        String clientId = "3d4e5f60-0000-4000-8000-000000000001";
        String secret = "NoRole~Secret.Value_abcdefghijklmnopqrst";
        m365.tokens().directory().app(AppRegistration.builder(clientId, LocalM365.DEFAULT_TENANT_ID).secret(secret)
                .build());
        m365.mailServer().grantMailbox(clientId, LocalM365.DEFAULT_MAILBOX);
        mcf.setClientId(clientId);
        mcf.setClientSecret(secret);
        assertThrows(ImapAuthenticationException.class, () -> factory.getConnection());
        Set<String> paths = new HashSet<>();
        m365.tokens().requests().forEach(r -> paths.add(r.path()));
        assertEquals(Set.of("/" + LocalM365.DEFAULT_TENANT_ID + "/oauth2/v2.0/token"), paths);
    }
}
