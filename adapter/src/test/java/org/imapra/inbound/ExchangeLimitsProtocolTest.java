package org.imapra.inbound;

import static org.imapra.inbound.InboundStandIn.MAILBOX;
import static org.imapra.inbound.InboundStandIn.await;
import static org.imapra.inbound.InboundStandIn.deliver;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import org.imapra.api.ImapAuthenticationException;
import org.imapra.api.ImapConnection;
import org.imapra.api.ImapConnectionFactory;
import org.imapra.api.ImapThrottledException;
import org.imapra.outbound.ImapManagedConnectionFactory;
import org.imapra.outbound.NonManagedConnectionManager;
import org.imapra.outbound.StandIn;
import org.imapra.standin.LocalM365;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Exchange Online's limits against the stand-in: a throttled mailbox gets no command and no connection from imapra
 * (connection factories and activations alike) until the suggested time has passed, then delivery resumes with
 * nothing lost; "authenticated but not connected" is an authentication failure with the hint, retried with the
 * longest back-off.
 */
@Timeout(60)
class ExchangeLimitsProtocolTest extends InboundProtocolBase {

    static final Duration WINDOW = Duration.ofSeconds(4);

    ImapManagedConnectionFactory mcf;
    NonManagedConnectionManager pool;

    @Override
    void resetStandIn() throws Exception {
        m365.mailServer().clearFaults(MAILBOX);
        m365.mailServer().grantMailbox(LocalM365.DEFAULT_CLIENT_ID, MAILBOX);
        InboundStandIn.reset(m365);
        m365.mailServer().resetCommandCounts();
        logs.clear();
    }

    @AfterEach
    void clearFaults() {
        m365.mailServer().clearFaults(MAILBOX);
        if (pool != null) {
            pool.close();
        }
    }

    /** A connection factory of the test's resource adapter (the adapter's shared state), non-managed pool. */
    ImapConnectionFactory factory() throws Exception {
        mcf = StandIn.factory(m365);
        mcf.setResourceAdapter(ra);
        pool = new NonManagedConnectionManager(8, 30_000);
        return (ImapConnectionFactory) mcf.createConnectionFactory(pool);
    }

    static void awaitEndOf(Instant windowEnd) throws InterruptedException {
        await(WINDOW.plusSeconds(5), () -> Instant.now().isAfter(windowEnd), () -> "the throttle window did not end");
    }

    @Test
    void aThrottledMailboxGetsNoCommandOrConnectionInTheWindowThenDeliveryResumesWithNothingLost() throws Exception {
        ImapConnectionFactory cf = factory();
        deliver(m365, "before");
        activate();
        awaitReceived(1);
        await(Duration.ofSeconds(5), () -> m365.mailServer().commandCounts().getOrDefault("IDLE", 0L) > 0,
                () -> "the activation is not in IDLE");

        Instant windowEnd = Instant.now().plus(WINDOW);
        m365.mailServer().throttle(MAILBOX, WINDOW);
        ImapThrottledException first = assertThrows(ImapThrottledException.class, cf::getConnection);
        assertTrue(first.getMessage().contains("Request is throttled"), first.getMessage());
        assertTrue(!first.retryAfter().isBefore(windowEnd.minusMillis(500)), "retry after " + first.retryAfter());
        // the activation's IDLE session ends: it must wait for the window's end before connecting again
        m365.mailServer().invalidateAllSessions();
        deliver(m365, "during 1");
        deliver(m365, "during 2");
        await(Duration.ofSeconds(5), () -> m365.mailServer().authenticatedSessionCount(MAILBOX) == 0,
                () -> "the activation's session is still open");
        for (int i = 0; i < 5; i++) {
            ImapThrottledException fast = assertThrows(ImapThrottledException.class, cf::getConnection);
            assertEquals(first.retryAfter(), fast.retryAfter(), "the instant the adapter honours");
        }
        assertTrue(Instant.now().isBefore(windowEnd), "the calls above ran in the window (a slow machine?)");
        awaitEndOf(windowEnd);

        assertEquals(1, m365.mailServer().throttledReplyCount(MAILBOX), () -> "one throttled reply, to the first login: "
                + m365.mailServer().commandCounts() + " " + logs.messages(java.util.logging.Level.ALL, l -> true));
        assertEquals(0, m365.mailServer().commandsAfterThrottledReply(MAILBOX), "commands or logins in the window");
        assertEquals(0, m365.mailServer().connectionsAfterThrottledReply(), "connections in the window");
        awaitReceived(3);
        assertEquals(3, endpoints.received.size(), "each message once: " + endpoints.subjects());
        try (ImapConnection c = cf.getConnection()) {
            assertEquals(3, c.status("INBOX").messages());
        }
    }

    @Test
    void anActivationThrottledAtItsLoginWaitsTheSuggestedTimeThenDelivers() throws Exception {
        deliver(m365, "waiting 1");
        Instant windowEnd = Instant.now().plus(WINDOW);
        m365.mailServer().throttle(MAILBOX, WINDOW);
        activate();
        await(Duration.ofSeconds(5), () -> m365.mailServer().throttledReplyCount(MAILBOX) > 0,
                () -> "the activation did not try to log in");
        deliver(m365, "waiting 2");
        awaitEndOf(windowEnd);

        assertEquals(0, m365.mailServer().commandsAfterThrottledReply(MAILBOX), "commands or logins in the window");
        assertEquals(0, m365.mailServer().connectionsAfterThrottledReply(), "connections in the window");
        awaitReceived(2);
        assertEquals(2, endpoints.received.size(), "each message once: " + endpoints.subjects());
    }

    @Test
    void aQuietIdleIsEndedAndTheConnectionCheckedLongBeforeTheRenewal() throws Exception {
        spec.setIdleRenewSeconds(600);
        spec.setIdleCheckSeconds(1); // the stand-in says nothing while idling: each IDLE ends after 1 s
        activate();
        await(Duration.ofSeconds(30), () -> m365.mailServer().commandCounts().getOrDefault("IDLE", 0L) >= 3,
                () -> "IDLE was not re-issued after a quiet second: " + m365.mailServer().commandCounts());
        assertEquals(1, m365.mailServer().loginCount(MAILBOX), "one connection, checked, not replaced");
        deliver(m365, "after the checks");
        awaitReceived(1);
        assertEquals(1, endpoints.received.size(), "delivered once: " + endpoints.subjects());
    }

    @Test
    void serverUnavailableFailsCallersFastForAtLeastFifteenSeconds() throws Exception {
        ImapConnectionFactory cf = factory();
        m365.mailServer().serverUnavailable(MAILBOX, Duration.ofMinutes(1));
        Instant before = Instant.now();
        ImapThrottledException first = assertThrows(ImapThrottledException.class, cf::getConnection);
        assertTrue(first.getMessage().contains("Server Unavailable. 15"), first.getMessage());
        assertTrue(!first.retryAfter().isBefore(before.plusSeconds(15)), "retry after " + first.retryAfter());
        long logins = m365.mailServer().loginCount(MAILBOX);
        assertThrows(ImapThrottledException.class, cf::getConnection);
        assertEquals(logins, m365.mailServer().loginCount(MAILBOX), "no second login while unavailable");
    }

    @Test
    void authenticatedButNotConnectedIsAnAuthenticationFailureWithTheHintRetriedWithTheLongestBackoff()
            throws Exception {
        long maxBackoff = 4_000;
        spec.setRetryBackoffMillis(50L);
        spec.setMaxRetryBackoffMillis(maxBackoff);
        m365.mailServer().authenticatedButNotConnected(MAILBOX);
        ImapConnectionFactory cf = factory();
        ImapAuthenticationException e = assertThrows(ImapAuthenticationException.class, cf::getConnection);
        assertTrue(e.getMessage().contains("User is authenticated but not connected"), e.getMessage());
        assertTrue(e.hint() != null && e.hint().contains("FullAccess") && e.hint().contains("shared mailbox"),
                "hint: " + e.hint());

        m365.mailServer().resetCommandCounts();
        activate();
        await(Duration.ofSeconds(5), () -> m365.mailServer().loginCount(MAILBOX) > 0,
                () -> "the activation did not try to log in");
        long start = System.nanoTime();
        // an observation window: with the normal back-off (50 ms doubling) it sees about 7 logins
        Thread.sleep(3_000);
        long logins = m365.mailServer().loginCount(MAILBOX);
        long elapsedMillis = (System.nanoTime() - start) / 1_000_000;
        // each retry waits at least half the longest back-off (equal jitter)
        long bound = 1 + elapsedMillis / (maxBackoff / 2) + 1;
        assertTrue(logins <= bound, logins + " logins in " + elapsedMillis + " ms, at most " + bound);
    }
}
