package org.imapra.inbound;

import static org.imapra.inbound.InboundStandIn.await;
import static org.imapra.inbound.InboundStandIn.deliver;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.imapra.admin.ImapMailboxAdmin;
import org.imapra.api.admin.DefinitionInput;
import org.imapra.api.admin.LiveStatus;
import org.imapra.api.admin.MailboxHealth;
import org.imapra.api.admin.MailboxTelemetry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The counters and the readiness the admin API reports, fed by a real activation against the stand-in: deliveries,
 * a failed attempt and its redelivery, IMAP commands, token requests, completed cycles; and a wrong secret turning the
 * definition DOWN with its AADSTS code at its first token request.
 */
@Timeout(90)
class TelemetryProtocolTest extends InboundProtocolBase {

    private ImapMailboxAdmin admin;

    @Override
    void resetStandIn() throws Exception {
        InboundStandIn.reset(m365);
    }

    private long version;
    private DefinitionInput input;

    private void namedActivation(String name) throws Exception {
        admin = new ImapMailboxAdmin();
        admin.setResourceAdapter(ra);
        input = InboundStandIn.definitionInput(m365, name);
        version = admin.create(input, "alice").version();
        spec = new ImapActivationSpec();
        spec.setMailbox(name);
        spec.setRetryBackoffMillis(100L);
        spec.setMaxRetryBackoffMillis(400L);
        spec.setResourceAdapter(ra);
    }

    private MailboxTelemetry counters(String name) {
        return admin.telemetry().stream().filter(t -> t.mailbox().equals(name)).findFirst().orElseThrow();
    }

    private MailboxHealth health(String name) {
        return admin.health().stream().filter(h -> h.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void deliveriesFailuresCommandsAndCyclesAreCounted() throws Exception {
        namedActivation("counted");
        MailboxHealth idle = health("counted");
        assertFalse(idle.inUse(), "nothing uses it yet");
        assertTrue(idle.up());
        AtomicInteger calls = new AtomicInteger();
        endpoints.bean((m, subject, origin) -> {
            if ("fails once".equals(subject) && calls.getAndIncrement() == 0) {
                throw new IllegalStateException("first attempt fails");
            }
        });
        deliver(m365, "first");
        deliver(m365, "fails once");
        activate();
        await(Duration.ofSeconds(30), () -> counters("counted").folders().stream()
                .anyMatch(f -> f.deliveries() == 2), () -> "two deliveries: " + counters("counted"));

        MailboxTelemetry t = counters("counted");
        MailboxTelemetry.Folder inbox = t.folders().get(0);
        assertEquals("INBOX", inbox.folder());
        assertEquals(1, inbox.failedAttempts());
        assertEquals(1, inbox.redeliveries());
        assertEquals(0, inbox.poisonMoves());
        assertEquals(2, inbox.latencyBuckets().get(inbox.latencyBuckets().size() - 1),
                "both with their arrival (INTERNALDATE): " + inbox.latencyBuckets());
        assertEquals(2, inbox.deliveriesPerMinute().stream().mapToLong(Long::longValue).sum());
        assertEquals(1, inbox.failuresPerMinute().stream().mapToLong(Long::longValue).sum());
        assertEquals(1, t.tokenRequests(), "one token for the connection");
        assertNotNull(t.tokenExpiresAt());
        assertTrue(t.connects() >= 1);
        assertTrue(t.commands().getOrDefault("SEARCH", 0L) >= 1, t.commands().toString());
        assertTrue(t.commands().getOrDefault("FETCH", 0L) >= 1, t.commands().toString());
        assertTrue(t.commands().getOrDefault("STORE", 0L) >= 1, "MARK_SEEN acknowledgements: " + t.commands());
        assertEquals(1, t.budgetInUse(), "the activation's connection");

        await(Duration.ofSeconds(15), () -> ra.context().activations().statuses("counted").get(0).lastCycle() != null,
                () -> "a completed cycle");
        LiveStatus.Activation a = ra.context().activations().statuses("counted").get(0);
        assertTrue(a.cycleSeconds() > 0, a.toString());
        MailboxHealth h = health("counted");
        assertTrue(h.inUse());
        assertTrue(h.up(), h.reasons().toString());
        assertTrue(h.data().get("lastDeliveryAgeSeconds").matches("\\d+"), h.data().toString());
    }

    @Test
    void aWrongSecretIsDownWithItsAadstsCodeAtTheFirstTokenRequest() throws Exception {
        namedActivation("wrong");
        endpoints.bean((m, subject, origin) -> { });
        activate();
        await(Duration.ofSeconds(15), () -> counters("wrong").connects() >= 1, () -> "connected");
        assertTrue(health("wrong").up(), health("wrong").reasons().toString());
        int before = m365.tokens().tokenRequestCount();

        input.setClientSecret("wrong~Secret.Value-0817".toCharArray());
        admin.update("wrong", version, input, "alice");
        await(Duration.ofSeconds(15), () -> !health("wrong").up(), () -> "DOWN: " + health("wrong"));
        MailboxHealth h = health("wrong");
        assertEquals("AADSTS7000215", h.data().get("aadsts"), h.data().toString());
        assertTrue(h.reasons().get(0).contains("AADSTS7000215"), h.reasons().toString());
        assertTrue(m365.tokens().tokenRequestCount() > before, "it took a token request");
        assertTrue(counters("wrong").tokenFailures().getOrDefault("AADSTS7000215", 0L) >= 1,
                counters("wrong").tokenFailures().toString());
    }
}
