package org.imapra.outbound;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import org.imapra.api.ImapConnection;
import org.imapra.api.ImapConnectionFactory;
import org.imapra.auth.RotatingTokens;
import org.imapra.config.DefinitionTokens;
import org.imapra.standin.AppRegistration;
import org.imapra.standin.LocalM365;
import org.imapra.standin.Polling;
import org.imapra.testsupport.LogCapture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Rotation without a gap: a definition holds clientSecret and nextClientSecret; when Entra refuses the current one
 * (revoked: AADSTS7000215; expired: AADSTS7000222) the same call gets its token with the next one, so callers see
 * no failure; the switch is logged once and sticks.
 */
class SecretRotationProtocolTest {

    static final String CURRENT = LocalM365.DEFAULT_CLIENT_SECRET;
    static final String NEXT = "Nx7~aB3.cD9-eF4_gH7vJ2kL6mN1pQ5rS0tU";
    static LocalM365 m365;
    static LogCapture logs;

    @BeforeAll
    static void start() {
        logs = LogCapture.install("org.imapra", "com.microsoft.aad", "org.eclipse.angus");
        m365 = LocalM365.startDefault();
    }

    @AfterAll
    static void stop() {
        m365.close();
        logs.uninstall();
        logs.assertNoSecrets(CURRENT, NEXT);
    }

    @BeforeEach
    void bothSecretsRegistered() {
        m365.tokens().directory().app(AppRegistration.builder(LocalM365.DEFAULT_CLIENT_ID, LocalM365.DEFAULT_TENANT_ID)
                .secret(CURRENT).secret(NEXT).roles(AppRegistration.IMAP_ACCESS_AS_APP).build());
        logs.clear();
        m365.tokens().reset();
    }

    @AfterEach
    void longTokens() {
        m365.tokens().tokenLifetimeSeconds(3599);
    }

    static ImapManagedConnectionFactory mcf() {
        ImapManagedConnectionFactory mcf = StandIn.factory(m365);
        mcf.setNextClientSecret(NEXT);
        return mcf;
    }

    static boolean await(Duration bound, java.util.function.BooleanSupplier condition) throws InterruptedException {
        return Polling.await(condition, bound);
    }

    static List<String> switches() {
        return logs.messages(Level.WARNING, m -> m.contains("switched to nextClientSecret"));
    }

    @Test
    void theCurrentSecretRevokedMidRunFailsNoCallAndTheSwitchIsLoggedOnce() throws Exception {
        // a token request every 12 s while the calls go on (connections retire 2 s before their token expires)
        m365.tokens().tokenLifetimeSeconds(16);
        ImapManagedConnectionFactory mcf = mcf();
        NonManagedConnectionManager pool = new NonManagedConnectionManager(8, 30_000);
        ImapConnectionFactory cf = (ImapConnectionFactory) mcf.createConnectionFactory(pool);
        AtomicInteger calls = new AtomicInteger();
        ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        AtomicBoolean stop = new AtomicBoolean();
        CountDownLatch done = new CountDownLatch(3);
        for (int i = 0; i < 3; i++) {
            Thread t = new Thread(() -> {
                try {
                    while (!stop.get()) {
                        try (ImapConnection c = cf.getConnection()) {
                            c.status("INBOX");
                            calls.incrementAndGet();
                        } catch (Exception | AssertionError e) {
                            failures.add(e);
                        }
                    }
                } finally {
                    done.countDown();
                }
            }, "caller-" + i);
            t.start();
        }
        try {
            assertTrue(await(Duration.ofSeconds(30), () -> calls.get() >= 10), "no calls succeed");
            m365.revokeSecret(LocalM365.DEFAULT_CLIENT_ID, CURRENT);
            int atRevocation = m365.tokens().tokenRequestCount();
            // go on until the renewal after the revocation: one refused request, one with the next secret
            assertTrue(await(Duration.ofSeconds(60),
                    () -> m365.tokens().tokenRequestCount() >= atRevocation + 2), "no token renewal happened");
            int afterSwitch = calls.get();
            assertTrue(await(Duration.ofSeconds(30), () -> calls.get() >= afterSwitch + 10), "calls stopped");
        } finally {
            stop.set(true);
            assertTrue(done.await(60, java.util.concurrent.TimeUnit.SECONDS));
            pool.close();
        }
        assertEquals(List.of(), List.copyOf(failures), "failed calls");
        assertEquals(1, switches().size(), logs.messages(Level.WARNING, m -> true).toString());
        assertTrue(switches().get(0).contains("AADSTS7000215"), switches().get(0));
        assertEquals("nextClientSecret", mcf.context().rotatingTokens()
                .inUse(DefinitionTokens.of(mcf.defaultDefinition())).property());
        StandIn.closeAndAssertNothingLeft(pool, m365);
    }

    @Test
    void anExpiredCurrentSecretSwitchesInTheCallThatDiscoversIt() throws Exception {
        m365.tokens().directory().app(AppRegistration.builder(LocalM365.DEFAULT_CLIENT_ID, LocalM365.DEFAULT_TENANT_ID)
                .secret(CURRENT, Instant.now().minusSeconds(60)).secret(NEXT)
                .roles(AppRegistration.IMAP_ACCESS_AS_APP).build());
        ImapManagedConnectionFactory mcf = mcf();
        NonManagedConnectionManager pool = new NonManagedConnectionManager(8, 30_000);
        try (ImapConnection c = ((ImapConnectionFactory) mcf.createConnectionFactory(pool)).getConnection()) {
            assertEquals(0, c.status("INBOX").messages());
        }
        assertEquals(2, m365.tokens().tokenRequestCount(), "one refused request, one with the next secret");
        assertTrue(switches().get(0).contains("AADSTS7000222"), switches().toString());
        StandIn.closeAndAssertNothingLeft(pool, m365);
        // once switched, the current secret is not tried again
        mcf.context().tokens().clear();
        NonManagedConnectionManager second = new NonManagedConnectionManager(8, 30_000);
        try (ImapConnection c = ((ImapConnectionFactory) mcf.createConnectionFactory(second)).getConnection()) {
            assertEquals(0, c.status("INBOX").messages());
        }
        assertEquals(3, m365.tokens().tokenRequestCount());
        assertEquals(1, switches().size());
        StandIn.closeAndAssertNothingLeft(second, m365);
    }

    @Test
    void otherRefusalsAreNotARotation() throws Exception {
        m365.tokens().failNext(1, 503);
        ImapManagedConnectionFactory mcf = mcf();
        RotatingTokens tokens = mcf.context().rotatingTokens();
        org.junit.jupiter.api.Assertions.assertThrows(org.imapra.auth.TokenException.class,
                () -> tokens.get(DefinitionTokens.of(mcf.defaultDefinition())));
        assertEquals(1, m365.tokens().tokenRequestCount(), "a 503 is not the secret's fault: no second request");
        assertEquals(List.of(), switches());
    }
}
