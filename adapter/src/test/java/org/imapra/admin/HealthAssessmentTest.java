package org.imapra.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.imapra.api.admin.LiveStatus;
import org.imapra.api.admin.MailboxHealth;
import org.imapra.api.admin.MailboxTelemetry;
import org.junit.jupiter.api.Test;

class HealthAssessmentTest {

    private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");

    private static MailboxTelemetry counters(MailboxTelemetry.Failure token, MailboxTelemetry.Failure connect) {
        return new MailboxTelemetry("support", 1, Map.of(), null, token, 1, 0, connect, Map.of(), Map.of(), 0, 16,
                0, 0, 0, List.of());
    }

    private static LiveStatus.Activation activation(Instant lastDelivery, Instant lastCycle, Instant errorAt) {
        return new LiveStatus.Activation("INBOX", lastDelivery, errorAt == null ? null : "boom", errorAt,
                NOW.minus(Duration.ofHours(1)), lastCycle, 60);
    }

    @Test
    void upWithTheAgeOfTheLastDelivery() {
        LiveStatus s = new LiveStatus(0, 1, List.of(activation(NOW.minusSeconds(42), NOW.minusSeconds(5), null)),
                null);
        MailboxHealth h = HealthAssessment.assess("support", s, counters(null, null), null, true, NOW);
        assertTrue(h.up(), h.reasons().toString());
        assertEquals("42", h.data().get("lastDeliveryAgeSeconds"));
        assertEquals("UP", h.status());
    }

    @Test
    void aFailedTokenRequestIsDownWithItsAadstsCode() {
        MailboxTelemetry.Failure f = new MailboxTelemetry.Failure("AADSTS7000215", "Token request failed", NOW);
        MailboxHealth h = HealthAssessment.assess("support", new LiveStatus(0, 0, List.of()), counters(f, null),
                null, true, NOW);
        assertFalse(h.up());
        assertEquals("AADSTS7000215", h.data().get("aadsts"));
        assertTrue(h.reasons().get(0).contains("AADSTS7000215"), h.reasons().toString());
        assertEquals("never", h.data().get("lastDeliveryAgeSeconds"));
    }

    @Test
    void signInNeededConnectFailureAndThrottlingAreEachAReason() {
        MailboxTelemetry.Failure c = new MailboxTelemetry.Failure(null, "A1 NO AUTHENTICATE failed.", NOW);
        LiveStatus s = new LiveStatus(0, 0, List.of(), NOW.plusSeconds(30));
        MailboxHealth h = HealthAssessment.assess("support", s, counters(null, c),
                "needs sign-in again: the refresh token expired", true, NOW);
        assertFalse(h.up());
        assertEquals(3, h.reasons().size(), h.reasons().toString());
        assertTrue(h.data().get("reason").contains("AUTHENTICATE failed"));
        assertEquals(NOW.plusSeconds(30).toString(), h.data().get("throttledUntil"));
        assertTrue(HealthAssessment.assess("support", new LiveStatus(0, 0, List.of(), NOW.minusSeconds(1)),
                counters(null, null), "signed in as a@b", true, NOW).up(), "a throttle that ended is no reason");
    }

    @Test
    void aWatcherWithoutACycleWithinItsIntervalIsStuck() {
        // interval 60 s: stuck after 2 × 60 s + 60 s without a cycle
        LiveStatus fresh = new LiveStatus(0, 0, List.of(activation(null, NOW.minusSeconds(179), null)));
        assertTrue(HealthAssessment.assess("support", fresh, counters(null, null), null, true, NOW).up());
        LiveStatus stuck = new LiveStatus(0, 0, List.of(activation(null, NOW.minusSeconds(181), null)));
        MailboxHealth h = HealthAssessment.assess("support", stuck, counters(null, null), null, true, NOW);
        assertFalse(h.up());
        assertTrue(h.reasons().get(0).contains("no search or IDLE cycle"), h.reasons().toString());
        LiveStatus never = new LiveStatus(0, 0, List.of(activation(null, null, null)));
        assertFalse(HealthAssessment.assess("support", never, counters(null, null), null, true, NOW).up(),
                "started an hour ago and never completed a cycle");
        LiveStatus failing = new LiveStatus(0, 0, List.of(activation(null, NOW.minusSeconds(600),
                NOW.minusSeconds(10))));
        assertTrue(HealthAssessment.stuck(failing.activations().get(0), NOW) == null,
                "a watcher failing since its last cycle is failing, not stuck");
    }

    @Test
    void aCredentialExpiringWithinSevenDaysIsDown() {
        LiveStatus in8 = new LiveStatus(0, 0, List.of(), null, NOW.plus(Duration.ofDays(8)));
        MailboxHealth ok = HealthAssessment.assess("support", in8, counters(null, null), null, true, NOW);
        assertTrue(ok.up());
        assertEquals(NOW.plus(Duration.ofDays(8)).toString(), ok.data().get("credentialExpires"));
        LiveStatus in5 = new LiveStatus(0, 0, List.of(), null, NOW.plus(Duration.ofDays(5)));
        MailboxHealth h = HealthAssessment.assess("support", in5, counters(null, null), null, true, NOW);
        assertFalse(h.up());
        assertTrue(h.reasons().get(0).contains("expires within 7 days"), h.reasons().toString());
        LiveStatus gone = new LiveStatus(0, 0, List.of(), null, NOW.minusSeconds(1));
        assertTrue(HealthAssessment.assess("support", gone, counters(null, null), null, true, NOW).reasons().get(0)
                .contains("expired"));
    }
}
