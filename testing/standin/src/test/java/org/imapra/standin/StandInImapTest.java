package org.imapra.standin;

import static org.imapra.standin.LocalM365.DEFAULT_CLIENT_ID;
import static org.imapra.standin.LocalM365.DEFAULT_CLIENT_SECRET;
import static org.imapra.standin.LocalM365.DEFAULT_MAILBOX;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.SignedJWT;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.Transport;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.search.SubjectTerm;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Angus Mail against the stand-in over real IMAPS with XOAUTH2 and hostname verification. */
class StandInImapTest {
    static final String OTHER_MAILBOX = "other@contoso.example";
    static final String NO_ROLE_APP = "55555555-6666-4777-8888-999999999999";
    static final String BYE = "* BYE Session invalidated - AccessTokenExpired";

    static LocalM365 m365;
    final ByteArrayOutputStream debug = new ByteArrayOutputStream();

    @BeforeAll
    static void start() {
        m365 = LocalM365.startDefault();
        m365.tokens().directory().app(AppRegistration.builder(NO_ROLE_APP, m365.tenantId()).secret("s").build());
        m365.mailServer().createMailbox(OTHER_MAILBOX);
        m365.mailServer().grantMailbox(NO_ROLE_APP, DEFAULT_MAILBOX);
        m365.mailServer().deliver(DEFAULT_MAILBOX, "Ticket 4711", "Printer on fire");
    }

    @AfterAll
    static void stop() {
        m365.close();
    }

    @AfterEach
    void noLeakedConnections() throws InterruptedException {
        m365.tokens().tokenLifetimeSeconds(EntraTokenEndpoint.DEFAULT_TOKEN_LIFETIME_SECONDS);
        assertTrue(m365.mailServer().awaitOpenSessionCount(0, Duration.ofSeconds(5)),
                "open IMAP sessions: " + m365.mailServer().openSessionCount());
    }

    Session session() {
        Properties p = new Properties();
        p.put("mail.imaps.auth.mechanisms", "XOAUTH2");
        p.put("mail.imaps.ssl.checkserveridentity", "true");
        p.put("mail.imaps.connectiontimeout", "5000");
        p.put("mail.imaps.timeout", "5000");
        Session s = Session.getInstance(p);
        s.setDebugOut(new PrintStream(debug, true, StandardCharsets.UTF_8));
        s.setDebug(true);
        return s;
    }

    Store connect(String host, String mailbox, String token) throws MessagingException {
        Store store = session().getStore("imaps");
        store.connect(host, m365.imapsPort(), mailbox, token);
        return store;
    }

    String token() {
        return Http.token(m365.tokenEndpoint(), DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET);
    }

    @Test
    void validTokenOpensTheGrantedMailbox() throws Exception {
        try (Store store = connect(m365.imapHost(), DEFAULT_MAILBOX, token())) {
            Folder inbox = store.getFolder("INBOX");
            inbox.open(Folder.READ_ONLY);
            Message[] found = inbox.search(new SubjectTerm("Ticket 4711"));
            assertEquals(1, found.length);
            assertEquals("Printer on fire", ((String) found[0].getContent()).trim());
            assertTrue(m365.mailServer().authenticatedSessionCount() > 0);
            inbox.close(false);
        }
        String trace = debug.toString(StandardCharsets.UTF_8);
        assertTrue(trace.contains("OK AUTHENTICATE completed."), trace);
        assertFalse(trace.contains(token().substring(0, 20)), "tokens do not appear in the trace");
    }

    @Test
    void smtpDeliversIntoTheMailbox() throws Exception {
        Properties p = new Properties();
        p.put("mail.smtp.host", "localhost");
        p.put("mail.smtp.port", String.valueOf(m365.smtpPort()));
        MimeMessage message = new MimeMessage(Session.getInstance(p));
        message.setFrom("customer@fabrikam.example");
        message.setRecipients(Message.RecipientType.TO, DEFAULT_MAILBOX);
        message.setSubject("Via SMTP 0815");
        message.setText("hello");
        Transport.send(message);
        try (Store store = connect(m365.imapHost(), DEFAULT_MAILBOX, token())) {
            Folder inbox = store.getFolder("INBOX");
            inbox.open(Folder.READ_ONLY);
            assertEquals(1, inbox.search(new SubjectTerm("Via SMTP 0815")).length);
            inbox.close(false);
        }
    }

    @Test
    void ipAddressMatchesTheCertificateToo() throws Exception {
        try (Store store = connect("127.0.0.1", DEFAULT_MAILBOX, token())) {
            assertTrue(store.isConnected());
        }
    }

    @Test
    void badTokensAndMissingPermissionsAreRefused() throws Exception {
        String good = token();
        assertRefused(DEFAULT_MAILBOX, "not-a-token");
        SignedJWT real = SignedJWT.parse(good);
        SignedJWT forged = new SignedJWT(real.getHeader(), real.getJWTClaimsSet());
        forged.sign(new RSASSASigner(LocalCertificates.rsaKeyPair().getPrivate()));
        assertRefused(DEFAULT_MAILBOX, forged.serialize());
        assertRefused(OTHER_MAILBOX, good);
        assertRefused("nobody@contoso.example", good);
        assertRefused(DEFAULT_MAILBOX, Http.token(m365.tokenEndpoint(), NO_ROLE_APP, "s"));

        Properties login = new Properties();
        login.put("mail.imaps.auth.mechanisms", "LOGIN");
        Store store = Session.getInstance(login).getStore("imaps");
        assertThrows(AuthenticationFailedException.class,
                () -> store.connect(m365.imapHost(), m365.imapsPort(), DEFAULT_MAILBOX, "any password"));
    }

    @Test
    void expiredTokenIsRefused() throws Exception {
        m365.tokens().tokenLifetimeSeconds(1);
        String token = token();
        sleepUntilExpired(token);
        assertRefused(DEFAULT_MAILBOX, token);
    }

    @Test
    void sessionGetsByeWhenItsTokenExpires() throws Exception {
        m365.tokens().tokenLifetimeSeconds(2);
        String token = token();
        try (Store store = connect(m365.imapHost(), DEFAULT_MAILBOX, token)) {
            Folder inbox = store.getFolder("INBOX");
            inbox.open(Folder.READ_ONLY);
            assertEquals(1, inbox.search(new SubjectTerm("Ticket")).length);
            sleepUntilExpired(token);
            MessagingException e = assertThrows(MessagingException.class, () -> inbox.search(new SubjectTerm("Ticket")));
            assertTrue(messages(e).contains("AccessTokenExpired"), messages(e));
            assertTrue(debug.toString(StandardCharsets.UTF_8).contains(BYE));
        }
    }

    @Test
    void invalidateAllSessionsSendsByeAtTheNextCommand() throws Exception {
        try (Store store = connect(m365.imapHost(), DEFAULT_MAILBOX, token())) {
            Folder inbox = store.getFolder("INBOX");
            inbox.open(Folder.READ_ONLY);
            m365.mailServer().invalidateAllSessions();
            MessagingException e = assertThrows(MessagingException.class, () -> inbox.search(new SubjectTerm("x")));
            assertTrue(messages(e).contains("AccessTokenExpired"), messages(e));
            assertTrue(debug.toString(StandardCharsets.UTF_8).contains(BYE));
        }
        try (Store again = connect(m365.imapHost(), DEFAULT_MAILBOX, token())) {
            assertTrue(again.isConnected(), "a new session with a token works again");
        }
    }

    @Test
    void idleSessionGetsByeAtOnce() throws Exception {
        try (Store store = connect(m365.imapHost(), DEFAULT_MAILBOX, token())) {
            IMAPFolder inbox = (IMAPFolder) store.getFolder("INBOX");
            inbox.open(Folder.READ_ONLY);
            CompletableFuture<Exception> idle = CompletableFuture.supplyAsync(() -> {
                try {
                    inbox.idle(true);
                    return null;
                } catch (Exception e) {
                    return e;
                }
            });
            long deadline = System.currentTimeMillis() + 5000;
            while (!debug.toString(StandardCharsets.UTF_8).contains("IDLE") && System.currentTimeMillis() < deadline) {
                Thread.sleep(20);
            }
            Thread.sleep(100);
            m365.mailServer().invalidateAllSessions();
            idle.get(5, TimeUnit.SECONDS);
            assertTrue(debug.toString(StandardCharsets.UTF_8).contains(BYE));
            assertFalse(inbox.isOpen());
        }
    }

    /** GreenMail reported EXISTS with the count after the EXPUNGEs it sent next: the client then lost track. */
    @Test
    void afterAMoveWhileMailArrivedTheClientFindsEveryMessageTheFolderHolds() throws Exception {
        String box = "moves@" + LocalM365.DEFAULT_DOMAIN;
        m365.mailServer().createMailbox(box);
        m365.mailServer().grantMailbox(DEFAULT_CLIENT_ID, box);
        for (int i = 1; i <= 3; i++) {
            m365.mailServer().deliver(box, "old " + i, "x");
        }
        try (Store store = connect(m365.imapHost(), box, token())) {
            store.getFolder("Done").create(Folder.HOLDS_MESSAGES);
            IMAPFolder inbox = (IMAPFolder) store.getFolder("INBOX");
            inbox.open(Folder.READ_WRITE);
            assertEquals(3, inbox.getMessageCount());
            m365.mailServer().deliver(box, "new 1", "x"); // arrive unreported, before the MOVE
            m365.mailServer().deliver(box, "new 2", "x");
            inbox.doCommand(p -> {
                p.simpleCommand("UID MOVE 1:2 Done", null);
                return null;
            });
            // Angus keeps expunged messages in getMessageCount() until the folder is expunged; by UID it finds each
            // message the folder holds only if it followed the EXISTS and EXPUNGE responses correctly
            Message[] held = inbox.getMessagesByUID(new long[] {3, 4, 5});
            for (Message m : held) {
                assertTrue(m != null, debug.toString(StandardCharsets.UTF_8));
            }
            assertEquals("old 3", held[0].getSubject());
            assertEquals("new 2", held[2].getSubject());
            inbox.close(false);
        }
    }

    @Test
    void theServerCountsTheCommandsItReceives() throws Exception {
        m365.mailServer().resetCommandCounts();
        try (Store store = connect(m365.imapHost(), DEFAULT_MAILBOX, token())) {
            IMAPFolder inbox = (IMAPFolder) store.getFolder("INBOX");
            inbox.open(Folder.READ_ONLY);
            inbox.getMessageByUID(1);
            inbox.close(false);
        }
        java.util.Map<String, Long> counts = m365.mailServer().commandCounts();
        assertEquals(1L, counts.get("AUTHENTICATE"), counts.toString());
        assertEquals(1L, counts.get("EXAMINE"), counts.toString());
        assertEquals(1L, counts.get("UID FETCH"), counts.toString());
        assertEquals(1L, counts.get("LOGOUT"), counts.toString());
    }

    @Test
    void theServerRecordsEachAcknowledgementWithTheProcessThatSentIt() throws Exception {
        String box = "acks@" + LocalM365.DEFAULT_DOMAIN;
        m365.mailServer().createMailbox(box);
        m365.mailServer().grantMailbox(DEFAULT_CLIENT_ID, box);
        m365.mailServer().deliver(box, "Ticket 4712", "Paper jam");
        m365.mailServer().recordAcknowledgements();
        try (Store store = connect(m365.imapHost(), box, token())) {
            IMAPFolder inbox = (IMAPFolder) store.getFolder("INBOX");
            inbox.open(Folder.READ_WRITE);
            long uid = inbox.getUID(inbox.getMessage(1));
            inbox.getMessage(1).getSubject(); // a fetch: not an acknowledgement
            inbox.doCommand(p -> p.command("UID STORE " + uid + " +FLAGS (\\Seen)", null));
            inbox.doCommand(p -> p.command("UID STORE " + uid + " -FLAGS (\\Seen)", null)); // nor is a removal
            inbox.close(false);
            List<Acknowledgement> acks = m365.mailServer().acknowledgements();
            assertEquals(1, acks.size(), acks.toString());
            Acknowledgement a = acks.get(0);
            assertEquals(ProcessHandle.current().pid(), a.clientPid(), a.toString());
            assertEquals(box, a.mailbox());
            assertEquals(List.of(uid), a.uids());
            assertTrue(a.command().startsWith("UID STORE " + uid + " +FLAGS"), a.command());
        }
        assertEquals(List.of(1L, 2L, 3L, 7L), AcknowledgementLog.uids("1:3,7,*"));
    }

    /**
     * GreenMail's own IDLE sends what is pending, then registers its listener: a message added in between was
     * reported only after DONE. The stand-in registers first; the hook delivers a message exactly in that window.
     */
    @Test
    void aMessageAddedAsTheIdleStartsIsReportedDuringTheIdle() throws Exception {
        try (Store store = connect(m365.imapHost(), DEFAULT_MAILBOX, token())) {
            IMAPFolder inbox = (IMAPFolder) store.getFolder("INBOX");
            inbox.open(Folder.READ_ONLY);
            int before = inbox.getMessageCount();
            StandInIdle.afterFirstFlush = () -> m365.mailServer().deliver(DEFAULT_MAILBOX, "in the window", "x");
            try {
                assertIdleReports(inbox, before + 1);
            } finally {
                StandInIdle.afterFirstFlush = null;
            }
        }
    }

    @Test
    void aMessageAddedDuringTheIdleIsReportedOnce() throws Exception {
        try (Store store = connect(m365.imapHost(), DEFAULT_MAILBOX, token())) {
            IMAPFolder inbox = (IMAPFolder) store.getFolder("INBOX");
            inbox.open(Folder.READ_ONLY);
            int before = inbox.getMessageCount();
            CompletableFuture<Void> later = CompletableFuture.runAsync(() -> {
                awaitTrace("+ IDLE accepted");
                m365.mailServer().deliver(DEFAULT_MAILBOX, "during the idle", "x");
            });
            assertIdleReports(inbox, before + 1);
            later.get(5, TimeUnit.SECONDS);
            ((IMAPFolder) inbox).doCommand(p -> {
                p.simpleCommand("NOOP", null); // nothing is reported again
                return null;
            });
            String trace = debug.toString(StandardCharsets.UTF_8);
            assertEquals(1, trace.split("\\* " + (before + 1) + " EXISTS", -1).length - 1, trace);
        }
    }

    /**
     * IDLE at the protocol level (as the adapter does it): the client sends DONE only once the server has reported
     * the message count {@code expected}; a read timeout (5 s) first fails the test.
     */
    private void assertIdleReports(IMAPFolder inbox, int expected) throws Exception {
        java.util.List<Long> exists = new java.util.concurrent.CopyOnWriteArrayList<>();
        org.eclipse.angus.mail.iap.ResponseHandler record = r -> {
            if (r instanceof org.eclipse.angus.mail.imap.protocol.IMAPResponse ir && ir.keyEquals("EXISTS")) {
                exists.add((long) ir.getNumber());
            }
        };
        Object outcome = inbox.doCommand(p -> {
            p.addResponseHandler(record);
            try {
                p.idleStart(); // untagged responses before "+" go to the handlers
                boolean doneSent = false;
                for (;;) {
                    if (!doneSent && exists.contains((long) expected)) {
                        p.idleAbort();
                        doneSent = true;
                    }
                    org.eclipse.angus.mail.iap.Response r = p.readIdleResponse();
                    if (r == null) {
                        return doneSent ? "ok" : "ended without the report";
                    }
                    if (r.isBYE() && r.isSynthetic()) {
                        return "no report within the read timeout";
                    }
                    if (!p.processIdleResponse(r)) {
                        return doneSent ? "ok" : "ended without the report";
                    }
                }
            } finally {
                p.removeResponseHandler(record);
            }
        });
        assertEquals("ok", outcome, debug.toString(StandardCharsets.UTF_8));
    }

    private void awaitTrace(String text) {
        long deadline = System.currentTimeMillis() + 5000;
        while (!debug.toString(StandardCharsets.UTF_8).contains(text) && System.currentTimeMillis() < deadline) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    void assertRefused(String mailbox, String token) {
        AuthenticationFailedException e = assertThrows(AuthenticationFailedException.class,
                () -> connect(m365.imapHost(), mailbox, token).close());
        assertTrue(String.valueOf(e.getMessage()).contains("AUTHENTICATE failed."), e.getMessage());
    }

    void sleepUntilExpired(String token) throws InterruptedException {
        Instant exp = m365.tokens().validate(token).orElseThrow().expiresAt();
        Thread.sleep(Math.max(0, Duration.between(Instant.now(), exp).toMillis()) + 50);
    }

    static String messages(Throwable t) {
        StringBuilder all = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause()) {
            all.append(c).append(" | ");
        }
        return all.toString();
    }
}
