package org.imapra.reliability;

import static org.imapra.reliability.Rig.READ_TIMEOUT;
import static org.imapra.reliability.Rig.expect;
import static org.imapra.reliability.Rig.millisSince;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import org.imapra.testsupport.ThreadWorkManager;

import java.time.Duration;
import java.util.List;
import org.imapra.ImapResourceAdapter;
import org.imapra.api.ImapConnection;
import org.imapra.api.ImapConnectionFactory;
import org.imapra.api.ImapConnectionLostException;
import org.imapra.api.ImapException;
import org.imapra.inbound.ImapActivationSpec;
import org.imapra.outbound.ImapManagedConnectionFactory;
import org.imapra.outbound.NonManagedConnectionManager;
import org.imapra.reliability.FakeImapServer.Script;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Malformed server responses from a scripted IMAP peer over TLS ({@link FakeImapServer}): garbage after
 * AUTHENTICATE, a truncated FETCH, garbage instead of a STATUS answer. Each gives a clear exception and an evicted
 * connection, never a hang past the read timeout (bounded at read timeout + 5 s).
 */
@Order(40)
@DisplayName("Malformed server responses (a scripted IMAP peer over TLS)")
@Timeout(60)
class MalformedResponseTest {

    ThreadWorkManager ctx;
    ImapResourceAdapter ra;
    NonManagedConnectionManager pool;
    FakeImapServer fake;

    @BeforeEach
    void setUp() throws Exception {
        Rig.reset();
        ctx = new ThreadWorkManager("reliability-work", Evidence::exception);
        ra = Rig.adapter(ctx);
        pool = new NonManagedConnectionManager(2, 5_000);
    }

    @AfterEach
    void tearDown() throws Exception {
        pool.close();
        ra.stop();
        assertTrue(ctx.awaitNoLiveThreads(Duration.ofSeconds(6)), "Work threads alive: " + ctx.liveThreads());
        assertEquals(0, pool.inUse(), "leaked handles");
        if (fake != null) {
            assertTrue(Rig.within(Duration.ofSeconds(5), () -> fake.open() == 0),
                    "connections to the fake server left open: " + fake.open());
            fake.close();
        }
    }

    private ImapConnectionFactory factory(Script script) throws Exception {
        fake = new FakeImapServer(script);
        ImapManagedConnectionFactory mcf = Rig.factory(ra);
        mcf.setImapPort(fake.port());
        return (ImapConnectionFactory) mcf.createConnectionFactory(pool);
    }

    private static String firstLine(Throwable e) {
        return "\"" + e.getMessage().lines().findFirst().orElse("").replace(FakeImapServer.GARBAGE, "<garbage>")
                .replaceAll("[\\x00-\\x1f\\x7f]", "?") + "\"";
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = Script.class, names = {"GARBAGE_AFTER_AUTHENTICATE", "GARBAGE_AFTER_AUTHENTICATE_THEN_CLOSE"})
    @DisplayName("garbage after AUTHENTICATE: a clear exception, nothing pooled, no hang")
    void garbageAfterAuthenticate(Script script) throws Exception {
        ImapConnectionFactory f = factory(script);
        long t0 = System.nanoTime();
        ImapException e = expect(ImapException.class, f::getConnection);
        long ms = millisSince(t0);
        assertEquals(1, fake.misbehaved());
        assertTrue(e.getMessage().contains(Rig.MAILBOX) && e.getMessage().contains("AUTHENTICATE"), e.getMessage());
        assertEquals(0, pool.inUse() + pool.idleCount(), "nothing pooled");
        Figures.record("malformed/" + script.name().toLowerCase().replace('_', '-'), null, "failedAfterMs", ms,
                "exception", e.getClass().getSimpleName(), "message", firstLine(e));
        assertTrue(ms <= READ_TIMEOUT + 5_000, "hung for " + ms + " ms");
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = Script.class, names = {"TRUNCATED_FETCH", "TRUNCATED_FETCH_THEN_CLOSE"})
    @DisplayName("a truncated FETCH: ImapConnectionLostException, the connection evicted, no hang")
    void truncatedFetch(Script script) throws Exception {
        ImapConnectionFactory f = factory(script);
        ImapConnection c = f.getConnection();
        long t0 = System.nanoTime();
        ImapException e = expect(ImapException.class, () -> c.fetch("INBOX", 1L));
        long ms = millisSince(t0);
        c.close();
        assertEquals(1, fake.misbehaved());
        assertTrue(e instanceof ImapConnectionLostException, "the connection is unusable: " + e);
        assertTrue(e.getMessage().contains(Rig.MAILBOX) && e.getMessage().contains("FETCH"), e.getMessage());
        assertEquals(0, pool.inUse() + pool.idleCount(), "the connection is evicted");
        int before = fake.accepted();
        try (ImapConnection next = f.getConnection()) {
            assertEquals(before + 1, fake.accepted(), "the next handle is a new physical connection");
        }
        Figures.record("malformed/" + script.name().toLowerCase().replace('_', '-'), null, "failedAfterMs", ms,
                "exception", e.getClass().getSimpleName(), "message", firstLine(e));
        assertTrue(ms <= READ_TIMEOUT + 5_000, "hung for " + ms + " ms");
    }

    @Test
    @DisplayName("garbage instead of a STATUS answer: a clear exception, the connection evicted, no hang")
    void garbageInsteadOfStatus() throws Exception {
        ImapConnectionFactory f = factory(Script.GARBAGE_INSTEAD_OF_STATUS);
        ImapConnection c = f.getConnection();
        long t0 = System.nanoTime();
        ImapException e = expect(ImapException.class, () -> c.status("INBOX"));
        long ms = millisSince(t0);
        c.close();
        assertTrue(e.getMessage().contains(Rig.MAILBOX) && e.getMessage().contains("STATUS"), e.getMessage());
        assertTrue(e instanceof ImapConnectionLostException, "a connection that answered garbage is not reused: "
                + e);
        assertEquals(0, pool.inUse() + pool.idleCount(), "the connection is evicted");
        Figures.record("malformed/garbage-instead-of-status", null, "failedAfterMs", ms, "exception",
                e.getClass().getSimpleName(), "message", firstLine(e));
        assertTrue(ms <= READ_TIMEOUT + 5_000, "hung for " + ms + " ms");
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = Script.class, names = {"GARBAGE_AFTER_AUTHENTICATE", "TRUNCATED_FETCH"})
    @DisplayName("inbound against a malformed server: retries with back-off, delivers nothing, stops promptly")
    void inbound(Script script) throws Exception {
        fake = new FakeImapServer(script);
        ImapActivationSpec spec = Rig.spec(ra);
        spec.setImapPort(fake.port());
        Endpoints endpoints = new Endpoints();
        ra.endpointActivation(endpoints, spec);
        Thread.sleep(READ_TIMEOUT * 2L + 1_000);
        long t0 = System.nanoTime();
        ra.endpointDeactivation(endpoints, spec);
        long stopMs = millisSince(t0);
        Figures.record("malformed/inbound-" + script.name().toLowerCase().replace('_', '-'), "run for "
                        + (READ_TIMEOUT * 2 + 1_000) + " ms with read timeout " + READ_TIMEOUT + " ms",
                "connections", fake.accepted(), "faultsPlayed", fake.misbehaved(), "delivered",
                endpoints.received.size(), "onMessageCalls", endpoints.attemptsBySubject.size(), "stoppedInMs", stopMs);
        assertEquals(List.of(), endpoints.subjects());
        assertEquals(0, endpoints.attemptsBySubject.size(), "no delivery of a message that could not be fetched");
        assertTrue(fake.misbehaved() >= 1 && fake.accepted() <= 10, "retries bounded by back-off: "
                + fake.accepted());
        assertTrue(stopMs < 5_000, "deactivation took " + stopMs + " ms");
        assertEquals(List.of(), ctx.failures());
    }
}
