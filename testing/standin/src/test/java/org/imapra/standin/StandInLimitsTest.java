package org.imapra.standin;

import static org.imapra.standin.LocalM365.DEFAULT_CLIENT_ID;
import static org.imapra.standin.LocalM365.DEFAULT_CLIENT_SECRET;
import static org.imapra.standin.LocalM365.DEFAULT_MAILBOX;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.mail.Folder;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Store;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Properties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Exchange Online's limits, answered by the stand-in on demand, and its per-mailbox counts. */
class StandInLimitsTest {
    static LocalM365 m365;
    final ByteArrayOutputStream debug = new ByteArrayOutputStream();

    @BeforeAll
    static void start() {
        m365 = LocalM365.startDefault();
    }

    @AfterAll
    static void stop() {
        m365.close();
    }

    @AfterEach
    void clear() throws InterruptedException {
        m365.mailServer().clearFaults(DEFAULT_MAILBOX);
        m365.mailServer().maxConnections(DEFAULT_MAILBOX, 0);
        assertTrue(m365.mailServer().awaitOpenSessionCount(0, Duration.ofSeconds(5)));
        m365.mailServer().resetCommandCounts();
    }

    Store connect() throws MessagingException {
        Properties p = new Properties();
        p.put("mail.imaps.auth.mechanisms", "XOAUTH2");
        p.put("mail.imaps.connectiontimeout", "5000");
        p.put("mail.imaps.timeout", "5000");
        Session s = Session.getInstance(p);
        s.setDebugOut(new PrintStream(debug, true, StandardCharsets.UTF_8));
        s.setDebug(true);
        Store store = s.getStore("imaps");
        store.connect(m365.imapHost(), m365.imapsPort(), DEFAULT_MAILBOX,
                Http.token(m365.tokenEndpoint(), DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET));
        return store;
    }

    String trace() {
        return debug.toString(StandardCharsets.UTF_8);
    }

    @Test
    void throttlesAuthenticateAndCommandsAndCountsThem() throws Exception {
        m365.mailServer().throttle(DEFAULT_MAILBOX, Duration.ofSeconds(30));
        MessagingException refused = assertThrows(MessagingException.class, this::connect);
        assertTrue(refused.getMessage().contains("Request is throttled. Suggested Backoff Time: "), trace());
        assertEquals(1, m365.mailServer().loginCount(DEFAULT_MAILBOX));
        assertEquals(0, m365.mailServer().authenticatedSessionCount(DEFAULT_MAILBOX));
        m365.mailServer().clearFaults(DEFAULT_MAILBOX);
        try (Store store = connect()) {
            m365.mailServer().throttle(DEFAULT_MAILBOX, Duration.ofSeconds(30));
            Folder inbox = store.getFolder("INBOX");
            assertThrows(MessagingException.class, () -> inbox.open(Folder.READ_ONLY));
            assertTrue(trace().matches("(?s).*NO Request is throttled\\. Suggested Backoff Time: \\d+ milliseconds.*"),
                    trace());
        }
        assertTrue(m365.mailServer().commandCount(DEFAULT_MAILBOX) >= 3, "AUTHENTICATE twice and the SELECT");
        assertEquals(2, m365.mailServer().loginCount(DEFAULT_MAILBOX));
        assertEquals(2, m365.mailServer().acceptedConnectionCount());
        assertTrue(m365.mailServer().throttledReplyCount(DEFAULT_MAILBOX) >= 1, "the SELECT, in the second window");
        assertTrue(m365.mailServer().commandsAfterThrottledReply(DEFAULT_MAILBOX) >= 1, "the LOGOUT at least");
    }

    @Test
    void answersServerUnavailable() {
        m365.mailServer().serverUnavailable(DEFAULT_MAILBOX, Duration.ofSeconds(30));
        assertThrows(MessagingException.class, this::connect);
        assertTrue(trace().contains("NO Server Unavailable. 15"), trace());
    }

    @Test
    void authenticatedButNotConnected() {
        m365.mailServer().authenticatedButNotConnected(DEFAULT_MAILBOX);
        assertThrows(MessagingException.class, () -> {
            try (Store store = connect()) {
                store.getFolder("INBOX").open(Folder.READ_ONLY);
            }
        });
        assertTrue(trace().contains("OK AUTHENTICATE completed."), trace());
        assertTrue(trace().contains("BAD User is authenticated but not connected."), trace());
    }

    @Test
    void refusesLoginsBeyondTheMaximumAndCountsThePeak() throws Exception {
        m365.mailServer().maxConnections(DEFAULT_MAILBOX, 2);
        try (Store a = connect(); Store b = connect()) {
            assertEquals(2, m365.mailServer().authenticatedSessionCount(DEFAULT_MAILBOX));
            assertThrows(MessagingException.class, this::connect);
            assertEquals(1, m365.mailServer().refusedLoginCount(DEFAULT_MAILBOX));
        }
        assertEquals(2, m365.mailServer().peakAuthenticatedSessionCount(DEFAULT_MAILBOX));
        assertTrue(m365.mailServer().awaitOpenSessionCount(0, Duration.ofSeconds(5)));
        assertEquals(0, m365.mailServer().authenticatedSessionCount(DEFAULT_MAILBOX));
    }
}
