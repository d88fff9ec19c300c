package org.imapra.reliability;

import static org.imapra.reliability.Rig.CLIENT;
import static org.imapra.reliability.Rig.MAILBOX;
import static org.imapra.reliability.Rig.READ_TIMEOUT;
import static org.imapra.reliability.Rig.await;
import static org.imapra.reliability.Rig.expect;
import static org.imapra.reliability.Rig.millisSince;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.imapra.ImapResourceAdapter;
import org.imapra.api.ImapConnection;
import org.imapra.api.ImapConnectionFactory;
import org.imapra.api.ImapConnectionLostException;
import org.imapra.api.ImapException;
import org.imapra.api.ImapMessage;
import org.imapra.inbound.ImapActivationSpec;
import org.imapra.outbound.ImapManagedConnectionFactory;
import org.imapra.outbound.NonManagedConnectionManager;
import org.imapra.standin.DovecotServer;
import org.imapra.testsupport.ThreadWorkManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The IMAP faults that matter most, against a real server: a private Dovecot 2.3 validating the stand-in's tokens,
 * behind the same {@link FaultProxy} as the stand-in in {@link ImapFaultTest}. Checks on the server go straight to
 * Dovecot, not through the proxy.
 */
@Order(35)
@DisplayName("IMAP faults against Dovecot (FaultProxy between the connector and a private Dovecot)")
@Timeout(90)
class DovecotFaultTest {

    static DovecotServer dovecot;
    static FaultProxy proxy;

    ThreadWorkManager ctx;
    ImapResourceAdapter ra;
    NonManagedConnectionManager pool;
    NonManagedConnectionManager direct;
    ImapConnectionFactory factory;
    ImapConnectionFactory server;
    Endpoints endpoints;
    ImapActivationSpec spec;
    boolean active;

    @BeforeAll
    static void startDovecot() throws IOException {
        dovecot = DovecotServer.start(Rig.m365().certificates(), Rig.m365().tokens());
        proxy = new FaultProxy("dovecot", "127.0.0.1", dovecot.imapsPort());
    }

    @AfterAll
    static void stopDovecot() {
        if (proxy != null) {
            proxy.close();
        }
        if (dovecot != null) {
            dovecot.close();
        }
    }

    @BeforeEach
    void setUp() throws Exception {
        Rig.reset();
        proxy.pass();
        proxy.dropAll();
        dovecot.deleteAllMailboxes();
        dovecot.createMailbox(MAILBOX);
        dovecot.grantMailbox(CLIENT, MAILBOX);
        dovecot.createFolder(MAILBOX, "Processed");
        ctx = new ThreadWorkManager("reliability-work", Evidence::exception);
        ra = Rig.adapter(ctx);
        ImapManagedConnectionFactory mcf = Rig.factory(ra);
        mcf.setImapPort(proxy.port());
        pool = new NonManagedConnectionManager(4, 5_000);
        factory = (ImapConnectionFactory) mcf.createConnectionFactory(pool);
        ImapManagedConnectionFactory straight = Rig.factory(null);
        straight.setImapPort(dovecot.imapsPort());
        direct = new NonManagedConnectionManager(1, 5_000);
        server = (ImapConnectionFactory) straight.createConnectionFactory(direct);
        endpoints = new Endpoints();
        spec = Rig.spec(ra);
        spec.setImapPort(proxy.port());
    }

    @AfterEach
    void tearDown() throws Exception {
        proxy.pass();
        if (active) {
            ra.endpointDeactivation(endpoints, spec);
        }
        pool.close();
        direct.close();
        ra.stop();
        assertTrue(ctx.awaitNoLiveThreads(Duration.ofSeconds(6)), "Work threads alive: " + ctx.liveThreads());
        assertEquals(0, pool.inUse(), "leaked connection handles");
        assertEquals(List.of(), ctx.failures(), "exceptions escaping a Work");
    }

    private void activate() throws Exception {
        ra.endpointActivation(endpoints, spec);
        active = true;
    }

    /** Connected, searched and in IDLE: Dovecot has the session and the first IDLE has begun. */
    private void awaitIdle() throws InterruptedException {
        await(Duration.ofSeconds(15), () -> dovecot.openSessionCount() >= 1, () -> "no inbound session");
        Thread.sleep(300); // searched, now in IDLE
    }

    private static void deliver(String subject) {
        dovecot.deliver(MAILBOX, subject, "body of " + subject);
    }

    /** Subjects in {@code folder} on Dovecot, read straight from it; {@code unseenOnly}: those without \Seen. */
    private List<String> subjects(String folder, boolean unseenOnly) {
        try (ImapConnection c = server.getConnection()) {
            jakarta.mail.search.SearchTerm term = unseenOnly ? new jakarta.mail.search.FlagTerm(
                    new jakarta.mail.Flags(jakarta.mail.Flags.Flag.SEEN), false) : null;
            List<String> out = new ArrayList<>();
            for (ImapMessage m : c.fetch(folder, c.search(folder, term))) {
                out.add(m.subject());
            }
            return out;
        } catch (jakarta.resource.ResourceException e) {
            throw new IllegalStateException(e);
        }
    }

    private void awaitDelivered(String subject, Duration timeout) throws InterruptedException {
        await(timeout, () -> endpoints.subjects().contains(subject),
                () -> subject + " not delivered; delivered: " + endpoints.subjects() + "\n" + dovecot.log());
    }

    @Test
    @DisplayName("Dovecot: drop every connection now: the held call fails clearly, then connections work again")
    void dropEveryConnectionOutbound() throws Exception {
        ImapConnection held = factory.getConnection();
        held.status("INBOX");
        proxy.dropAll();
        ImapConnectionLostException lost = expect(ImapConnectionLostException.class, () -> held.status("INBOX"));
        assertTrue(lost.getMessage().contains(MAILBOX), lost.getMessage());
        held.close();
        try (ImapConnection c = factory.getConnection()) {
            assertEquals(0, c.status("INBOX").messages());
        }
        Figures.record("dovecot-drop-all/outbound", null, "heldCall", lost.getClass().getSimpleName());
    }

    @Test
    @DisplayName("Dovecot: drop every connection now: an activation in IDLE reconnects, delivers once, acknowledges")
    void dropEveryConnectionInbound() throws Exception {
        activate();
        awaitIdle();
        proxy.dropAll();
        long t0 = System.nanoTime();
        deliver("after drop");
        awaitDelivered("after drop", Duration.ofSeconds(20));
        await(Duration.ofSeconds(10), () -> subjects("INBOX", true).isEmpty(), () -> "not acknowledged (\\Seen)");
        Figures.record("dovecot-drop-all/inbound", null, "deliveredAfterMs", millisSince(t0), "duplicates",
                endpoints.duplicates());
        assertEquals(0, endpoints.duplicates());
    }

    @Test
    @DisplayName("Dovecot: stall (blackhole) during IDLE: the quiet check replaces the connection, then delivered")
    void stallInboundQuietCheck() throws Exception {
        spec.setIdleCheckSeconds(2); // Dovecot sends "* OK Still here" only every 2 minutes
        activate();
        awaitIdle();
        proxy.blackhole();
        long t0 = System.nanoTime();
        deliver("after stall");
        Thread.sleep(1_000);
        proxy.pass(); // new connections work again; the stalled one stays silent
        awaitDelivered("after stall", Duration.ofSeconds(60)); // the IDLE renewal alone: 600 s
        Figures.record("dovecot-stall/inbound-quiet-check", "idleRenewSeconds 600, idleCheckSeconds 2, read timeout "
                + READ_TIMEOUT + " ms", "deliveredAfterMs", millisSince(t0), "duplicates", endpoints.duplicates());
        assertEquals(0, endpoints.duplicates());
    }

    @Test
    @DisplayName("Dovecot: server restart with messages in flight: every message delivered and moved, none lost")
    void serverRestartWithMessagesInFlight() throws Exception {
        spec.setAfterDelivery("MOVE");
        spec.setMoveTo("Processed");
        spec.setMaxMessagesPerBatch(10);
        RestartInFlight scenario = new RestartInFlight(DovecotFaultTest::deliver, proxy);
        List<String> sent = scenario.sent;
        endpoints.bean(scenario.bean((m, s, o) -> { }));
        long t0 = System.nanoTime();
        activate();
        await(Duration.ofSeconds(60), () -> subjects("Processed", false).size() == 40
                        && subjects("INBOX", false).isEmpty(),
                () -> "Processed " + subjects("Processed", false).size() + ", INBOX " + subjects("INBOX", false));
        List<String> ackWithoutDelivery = new ArrayList<>(subjects("Processed", false));
        ackWithoutDelivery.removeAll(endpoints.unique());
        int lost = sent.size() - endpoints.unique().size();
        Figures.record("dovecot-server-restart/inbound", null, "sent", sent.size(), "delivered",
                endpoints.unique().size(), "duplicates", endpoints.duplicates(), "lost", lost, "ackWithoutDelivery",
                ackWithoutDelivery.size(), "allDoneMs", millisSince(t0));
        assertTrue(scenario.restarted.get(), "the restart happened");
        assertEquals(0, lost);
        assertEquals(List.of(), ackWithoutDelivery);
    }
}
