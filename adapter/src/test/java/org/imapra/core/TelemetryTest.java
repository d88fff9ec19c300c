package org.imapra.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.imapra.api.admin.MailboxTelemetry;
import org.imapra.auth.AccessToken;
import org.imapra.auth.TokenCacheTest;
import org.imapra.auth.TokenException;
import org.imapra.config.MailboxDefinition;
import org.junit.jupiter.api.Test;

class TelemetryTest {

    private final TokenCacheTest.MutableClock clock = new TokenCacheTest.MutableClock(Instant.parse("2026-12-01T12:00:30Z"));
    private final Telemetry telemetry = new Telemetry(clock);

    private static MailboxDefinition support() {
        return MailboxDefinition.builder().name("support").userName("support@contoso.com")
                .tenantId("11111111-1111-1111-1111-111111111111").clientId("22222222-2222-2222-2222-222222222222")
                .clientSecret("s3cret").build();
    }

    private MailboxTelemetry snapshot() {
        return telemetry.snapshot(support(), new ConnectionBudgets());
    }

    @Test
    void tokenRequestsAreCountedOncePerTokenAndFailuresByAadstsCode() {
        MailboxCounters c = telemetry.mailbox("support");
        AccessToken t = new AccessToken("x", clock.instant(), clock.instant().plusSeconds(3600));
        c.tokenObtained(t);
        c.tokenObtained(t); // the cached token again: no request
        TokenException wrong = new TokenException("https://login/token", 401, "invalid_client", List.of("7000215"),
                "AADSTS7000215: Invalid client secret provided.", null, null);
        c.tokenFailed(wrong);
        c.tokenFailed(wrong); // the held failure again: no request
        MailboxTelemetry s = snapshot();
        assertEquals(2, s.tokenRequests());
        assertEquals(Map.of("AADSTS7000215", 1L), s.tokenFailures());
        assertEquals("AADSTS7000215", s.lastTokenFailure().code());
        assertEquals(t.expiresAt(), s.tokenExpiresAt());
        c.tokenObtained(new AccessToken("y", clock.instant(), clock.instant().plusSeconds(3600)));
        assertNull(snapshot().lastTokenFailure(), "a new token: the last request succeeded");
        assertEquals(3, snapshot().tokenRequests());
        assertEquals("none", MailboxCounters.aadstsCode(new TokenException("e", 0, null, List.of(), "timeout", null,
                null)));
    }

    @Test
    void connectsCommandsAndThrottledTime() {
        MailboxCounters c = telemetry.mailbox("support");
        c.connectFailed(new jakarta.mail.AuthenticationFailedException("AUTHENTICATE failed."));
        assertNotNull(snapshot().lastConnectFailure());
        c.connected();
        c.command("FETCH");
        assertEquals(7, c.count("FETCH", () -> 7));
        try {
            c.count("FETCH", () -> {
                throw new jakarta.mail.MessagingException("NO");
            });
        } catch (jakarta.mail.MessagingException expected) {
            // counted as failed, and thrown on
        }
        c.throttled(1500);
        c.throttled(-5);
        MailboxTelemetry s = snapshot();
        assertNull(s.lastConnectFailure());
        assertEquals(1, s.connects());
        assertEquals(1, s.connectFailures());
        assertEquals(Map.of("FETCH", 3L), s.commands());
        assertEquals(Map.of("FETCH", 1L), s.commandFailures());
        assertEquals(1500, s.throttledMillis());
        assertEquals(16, s.budgetMax());
    }

    @Test
    void deliveriesLatencyBucketsAndTheLastHourPerMinute() {
        FolderCounters f = telemetry.mailbox("support").folder("INBOX");
        f.delivered(Duration.ofMillis(50));
        f.delivered(Duration.ofMillis(700));
        f.delivered(Duration.ofMinutes(10));
        f.delivered(null);
        f.failedAttempt();
        f.redelivered();
        f.poisonMoved();
        clock.advance(Duration.ofMinutes(2));
        f.delivered(Duration.ofSeconds(2));
        MailboxTelemetry.Folder s = snapshot().folders().get(0);
        assertEquals("INBOX", s.folder());
        assertEquals(5, s.deliveries());
        assertEquals(1, s.failedAttempts());
        assertEquals(1, s.redeliveries());
        assertEquals(1, s.poisonMoves());
        // bounds 0.1 0.5 1 2.5 5 10 30 60 300 +Inf, cumulative; the delivery without arrival is not in it
        assertEquals(List.of(1L, 1L, 2L, 3L, 3L, 3L, 3L, 3L, 3L, 4L), s.latencyBuckets());
        assertEquals(602.75, s.latencySeconds(), 0.001);
        assertEquals(60, s.deliveriesPerMinute().size());
        assertEquals(1L, s.deliveriesPerMinute().get(59));
        assertEquals(0L, s.deliveriesPerMinute().get(58));
        assertEquals(4L, s.deliveriesPerMinute().get(57));
        assertEquals(1L, s.failuresPerMinute().get(57));
        clock.advance(Duration.ofMinutes(61));
        assertEquals(0L, snapshot().folders().get(0).deliveriesPerMinute().stream().mapToLong(Long::longValue).sum(),
                "an hour later the chart is empty; the counts stay");
        assertEquals(5, snapshot().folders().get(0).deliveries());
    }

    @Test
    void budgetWaitsAreCounted() throws Exception {
        ConnectionBudgets budgets = new ConnectionBudgets();
        MailboxDefinition d = support().toBuilder().maxConnectionsPerMailbox(1).build();
        ConnectionBudgets.Slot first = budgets.take(d, 1000);
        assertEquals(0, budgets.waits(d));
        try {
            budgets.take(d, 1);
        } catch (org.imapra.api.ImapException expected) {
            // the budget stayed used up
        }
        first.close();
        assertEquals(1, budgets.waits(d));
        MailboxTelemetry s = telemetry.snapshot(d, budgets);
        assertEquals(1, s.budgetWaits());
        assertEquals(1, s.budgetMax());
    }
}
