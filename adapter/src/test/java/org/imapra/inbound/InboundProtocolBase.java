package org.imapra.inbound;

import static org.imapra.inbound.InboundStandIn.await;
import static org.imapra.inbound.InboundStandIn.subjects;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.imapra.ImapResourceAdapter;
import org.imapra.standin.LocalM365;
import org.imapra.testsupport.LogCapture;
import org.imapra.testsupport.ThreadWorkManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the inbound protocol tests share: the local Microsoft 365 and a capture of the adapter's log for the class
 * (no secret or token in it at the end); for each test a started resource adapter, recording endpoints and an inline
 * spec, and after it the adapter stopped with no Work thread, no IMAP session, no JCA order breach and no exception
 * escaping a Work left.
 */
abstract class InboundProtocolBase {

    static LocalM365 m365;
    static LogCapture logs;
    @TempDir
    static Path storeDir;

    ThreadWorkManager ctx;
    ImapResourceAdapter ra;
    RecordingEndpoints endpoints;
    ImapActivationSpec spec;
    boolean active;

    @BeforeAll
    static void start() {
        logs = LogCapture.install("org.imapra");
        m365 = LocalM365.startDefault();
    }

    @AfterAll
    static void stop() {
        m365.close();
        List<String> leaks = logs.leaks(LocalM365.DEFAULT_CLIENT_SECRET);
        logs.uninstall();
        assertEquals(List.of(), leaks, "secrets or tokens in log lines");
    }

    /** Puts the stand-in (and the log capture) in the state each test starts from, before the adapter starts. */
    abstract void resetStandIn() throws Exception;

    /** Checks of the test class, after the adapter has stopped and the shared checks have passed. */
    void afterStop() {
    }

    @BeforeEach
    void setUp() throws Exception {
        resetStandIn();
        ctx = new ThreadWorkManager("test-work");
        ra = InboundStandIn.adapter(ctx, storeDir);
        endpoints = new RecordingEndpoints();
        spec = InboundStandIn.spec(m365);
        spec.setResourceAdapter(ra);
    }

    @AfterEach
    void tearDown() throws Exception {
        if (active) {
            ra.endpointDeactivation(endpoints, spec);
        }
        ra.stop();
        assertTrue(ctx.awaitNoLiveThreads(Duration.ofSeconds(5)), "Work threads alive: " + ctx.liveThreads());
        assertTrue(m365.mailServer().awaitOpenSessionCount(0, Duration.ofSeconds(5)),
                "IMAP sessions left open: " + m365.mailServer().openSessionCount());
        assertEquals(List.of(), endpoints.violations, "JCA delivery order");
        assertEquals(List.of(), ctx.failures(), "exceptions escaping a Work");
        afterStop();
    }

    void activate() throws Exception {
        ra.endpointActivation(endpoints, spec);
        active = true;
    }

    void awaitReceived(int n) throws InterruptedException {
        await(Duration.ofSeconds(15), () -> endpoints.received.size() >= n,
                () -> "received " + endpoints.received.size() + " of " + n + ": " + endpoints.subjects());
    }

    /** Each of {@code mails} was delivered once (in any order), at most {@code concurrency} at a time, more than one. */
    void assertDeliveredOnceInParallel(List<String> mails, int concurrency) {
        List<String> got = new java.util.ArrayList<>(endpoints.subjects());
        java.util.Collections.sort(got);
        assertEquals(mails, got);
        int max = endpoints.maxConcurrent.get();
        assertTrue(max >= 2 && max <= concurrency, "concurrent deliveries: " + max);
    }

    List<String> uncheckedSubjects(String folder) {
        try {
            return subjects(m365, folder);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    List<String> uncheckedSubjects(String folder, boolean seen) {
        try {
            return subjects(m365, folder, seen);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
