package org.imapra.outbound;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.mail.Flags;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.search.SubjectTerm;
import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.Properties;
import org.imapra.api.FolderStatus;
import org.imapra.api.ImapConnection;
import org.imapra.api.ImapConnectionFactory;
import org.imapra.api.ImapConnectionLostException;
import org.imapra.api.ImapException;
import org.imapra.api.ImapMessage;
import org.imapra.standin.LocalM365;
import org.imapra.standin.RecordedRequest;
import org.imapra.testsupport.LogCapture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The outbound connector against a real IMAP server (GreenMail validating tokens) and a local Entra-like endpoint. */
class OutboundProtocolTest {

    static LocalM365 m365;
    static LogCapture logs;
    ImapManagedConnectionFactory mcf;
    NonManagedConnectionManager pool;
    ImapConnectionFactory factory;

    @BeforeAll
    static void start() {
        logs = LogCapture.install("org.imapra", "com.microsoft.aad", "org.eclipse.angus");
        m365 = LocalM365.startDefault();
    }

    @AfterAll
    static void stop() {
        m365.close();
        logs.uninstall();
        assertTrue(logs.count() > 0, "nothing was logged: the capture is not working");
        logs.assertNoSecrets(LocalM365.DEFAULT_CLIENT_SECRET);
    }

    @BeforeEach
    void newFactory() throws Exception {
        m365.tokens().reset();
        m365.mailServer().greenMail().purgeEmailFromAllMailboxes();
        mcf = StandIn.factory(m365);
        pool = new NonManagedConnectionManager(4, 2_000);
        factory = (ImapConnectionFactory) mcf.createConnectionFactory(pool);
    }

    @AfterEach
    void closePool() throws InterruptedException {
        StandIn.closeAndAssertNothingLeft(pool, m365);
    }

    @Test
    void anEjbStyleCallerReadsInboxStatusWithAnAppOnlyTokenFromTheTenantSpecificEndpoint() throws Exception {
        m365.mailServer().deliver(LocalM365.DEFAULT_MAILBOX, "one", "first");
        m365.mailServer().deliver(LocalM365.DEFAULT_MAILBOX, "two", "second");
        try (ImapConnection c = factory.getConnection()) {
            FolderStatus inbox = c.status("INBOX");
            assertEquals(2, inbox.messages());
            assertEquals(2, inbox.unseen());
            assertTrue(inbox.uidValidity() > 0);
            assertEquals(LocalM365.DEFAULT_MAILBOX, c.mailbox());
        }
        List<RecordedRequest> tokenRequests = m365.tokens().requests().stream()
                .filter(RecordedRequest::isTokenRequest).toList();
        assertEquals(1, tokenRequests.size(), "requests: " + m365.tokens().requests());
        RecordedRequest r = tokenRequests.get(0);
        assertEquals("/" + LocalM365.DEFAULT_TENANT_ID + "/oauth2/v2.0/token", r.path());
        assertEquals("client_credentials", r.form().get("grant_type"));
        assertEquals(LocalM365.DEFAULT_CLIENT_ID, r.form().get("client_id"));
        assertTrue(List.of(r.form().get("scope").split(" ")).contains("https://outlook.office365.com/.default"),
                r.form().get("scope"));
        assertEquals(1, m365.tokens().requests().size(), "MSAL made requests besides the token request");
    }

    @Test
    void theWholeConnectionApiWorksByUid() throws Exception {
        m365.mailServer().greenMail().getManagers().getImapHostManager().createMailbox(
                m365.mailServer().greenMail().getUserManager().getUserByEmail(LocalM365.DEFAULT_MAILBOX), "Processed");
        try (ImapConnection c = factory.getConnection()) {
            assertTrue(c.listFolders().containsAll(List.of("INBOX", "Processed")), c.listFolders().toString());
            long[] appended = c.append("INBOX", message("invoice 1", "body one"), message("invoice 2", "body two"),
                    message("other", "body three"));
            assertEquals(3, appended.length);
            long[] found = c.search("INBOX", new SubjectTerm("invoice"));
            assertArrayEquals(new long[] {appended[0], appended[1]}, found);

            List<ImapMessage> fetched = c.fetch("INBOX", found);
            assertEquals(2, fetched.size());
            ImapMessage first = fetched.get(0);
            assertEquals("invoice 1", first.subject());
            assertEquals(List.of("sender@fabrikam.example"), first.from());
            assertEquals(appended[0], first.uid());
            assertTrue(first.size() > 0);
            assertTrue(first.contentType().startsWith("text/plain"), first.contentType());
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            first.message().getInputStream().transferTo(body);
            assertEquals("body one", body.toString().strip());
            assertEquals(3, c.status("INBOX").unseen(), "reading a body must not set \\Seen (BODY.PEEK)");
            assertThrows(IllegalStateException.class, first::message, "after another folder command");

            c.setFlags("INBOX", found, new Flags(Flags.Flag.SEEN), true);
            assertEquals(1, c.status("INBOX").unseen());
            c.move("INBOX", new long[] {appended[0]}, "Processed");
            assertEquals(1, c.status("Processed").messages());
            c.delete("INBOX", appended[1]);
            assertEquals(1, c.status("INBOX").messages());
            ImapException missing = assertThrows(ImapException.class, () -> c.move("INBOX",
                    new long[] {appended[2]}, "NoSuchFolder"));
            assertTrue(missing.getMessage().contains("NoSuchFolder") && missing.getMessage().contains(
                    LocalM365.DEFAULT_MAILBOX), missing.getMessage());
            List<ImapMessage> kept = c.fetch("INBOX", appended[2]);
            c.close();
            assertThrows(IllegalStateException.class, () -> c.status("INBOX"));
            assertThrows(IllegalStateException.class, () -> kept.get(0).message());
        }
    }

    private static MimeMessage message(String subject, String body) throws Exception {
        MimeMessage m = new MimeMessage(Session.getInstance(new Properties()));
        m.setFrom(new InternetAddress("sender@fabrikam.example"));
        m.setRecipients(MimeMessage.RecipientType.TO, LocalM365.DEFAULT_MAILBOX);
        m.setSubject(subject);
        m.setText(body);
        m.saveChanges();
        return m;
    }

    @Test
    void pooledConnectionsAreReusedAndKeepOneImapSessionEach() throws Exception {
        ImapManagedConnection first;
        try (ImapConnection c = factory.getConnection()) {
            c.status("INBOX");
            c.search("INBOX", null);
            c.listFolders();
            first = ((ImapConnectionImpl) c).managed();
            assertEquals(1, m365.mailServer().openSessionCount(), "one physical IMAP connection per managed one");
        }
        try (ImapConnection c = factory.getConnection()) {
            assertSame(first, ((ImapConnectionImpl) c).managed());
        }
        assertEquals(1, m365.tokens().tokenRequestCount());
    }

    @Test
    void theCallerBeyondMaxPoolSizeWaitsThenGetsAClearError() throws Exception {
        ImapConnection[] held = new ImapConnection[4];
        for (int i = 0; i < held.length; i++) {
            held[i] = factory.getConnection();
        }
        long t0 = System.nanoTime();
        Exception e = assertThrows(jakarta.resource.ResourceException.class, () -> factory.getConnection());
        assertTrue(System.nanoTime() - t0 >= 1_900_000_000L, "it should wait for maxWait");
        assertTrue(e.getMessage().contains("all 4 connections of the pool are in use"), e.getMessage());
        for (ImapConnection c : held) {
            c.close();
        }
        try (ImapConnection c = factory.getConnection()) {
            c.status("INBOX");
        }
    }

    @Test
    void aByeMidSessionEvictsTheConnectionAndTheNextOneIsFresh() throws Exception {
        ImapConnection c = factory.getConnection();
        c.status("INBOX");
        ImapManagedConnection broken = ((ImapConnectionImpl) c).managed();
        m365.mailServer().invalidateAllSessions();
        ImapConnectionLostException lost = assertThrows(ImapConnectionLostException.class, () -> c.status("INBOX"));
        assertTrue(lost.getMessage().contains("AccessTokenExpired"), lost.getMessage());
        assertTrue(lost.getMessage().contains(LocalM365.DEFAULT_MAILBOX), lost.getMessage());
        assertThrows(IllegalStateException.class, () -> c.status("INBOX"), "the handle died with its connection");
        c.close();
        assertEquals(0, pool.inUse());
        try (ImapConnection next = factory.getConnection()) {
            assertNotSame(broken, ((ImapConnectionImpl) next).managed());
            assertEquals(0, next.status("INBOX").messages());
        }
    }

    @Test
    void anIdleConnectionTheServerDroppedIsReplacedBeforeItIsHandedOut() throws Exception {
        NonManagedConnectionManager validating = new NonManagedConnectionManager(4, 2_000, 0); // NOOP on every reuse
        ImapConnectionFactory f = (ImapConnectionFactory) mcf.createConnectionFactory(validating);
        try {
            ImapManagedConnection dropped;
            try (ImapConnection c = f.getConnection()) {
                c.status("INBOX");
                dropped = ((ImapConnectionImpl) c).managed();
            }
            m365.mailServer().invalidateAllSessions(); // the server ends the idle session (BYE at its next command)
            try (ImapConnection c = f.getConnection()) {
                assertNotSame(dropped, ((ImapConnectionImpl) c).managed());
                assertEquals(0, c.status("INBOX").messages(), "the caller never sees the dropped connection");
            }
            assertEquals(1, validating.idleCount());
        } finally {
            StandIn.closeAndAssertNothingLeft(validating, m365);
        }
    }

    @Test
    void namedDefinitionsAreMatchedByMailboxIdentity() throws Exception {
        String sales = "sales@" + LocalM365.DEFAULT_DOMAIN;
        m365.mailServer().createMailbox(sales);
        m365.mailServer().grantMailbox(LocalM365.DEFAULT_CLIENT_ID, sales);
        m365.mailServer().deliver(sales, "lead", "hello");
        mcf.registry().register(mcf.defaultDefinition().toBuilder().name("sales").userName(sales).build());
        try (ImapConnection support = factory.getConnection(); ImapConnection s = factory.getConnection("sales")) {
            assertEquals(sales, s.mailbox());
            assertEquals(1, s.status("INBOX").messages());
            assertEquals(0, support.status("INBOX").messages());
        }
        try (ImapConnection s = factory.getConnection("sales")) {
            assertEquals(sales, s.mailbox(), "the idle sales connection is matched, not the support one");
        }
        ImapException unknown = assertThrows(ImapException.class, () -> factory.getConnection("billing"));
        assertTrue(unknown.getMessage().contains("No mailbox definition named 'billing'")
                && unknown.getMessage().contains("sales"), unknown.getMessage());
    }

    @Test
    void oauthBearerWorksAsTheStandardAlternative() throws Exception {
        mcf.setSaslMechanism("OAUTHBEARER");
        factory = (ImapConnectionFactory) mcf.createConnectionFactory(pool);
        m365.mailServer().deliver(LocalM365.DEFAULT_MAILBOX, "one", "first");
        try (ImapConnection c = factory.getConnection()) {
            assertEquals(1, c.status("INBOX").messages());
        }
        String other = "ceo@" + LocalM365.DEFAULT_DOMAIN;
        m365.mailServer().createMailbox(other);
        mcf.setUserName(other);
        ImapConnectionFactory refused = (ImapConnectionFactory) mcf.createConnectionFactory(pool);
        org.imapra.api.ImapAuthenticationException e = assertThrows(
                org.imapra.api.ImapAuthenticationException.class, refused::getConnection);
        assertTrue(e.getMessage().contains("AUTHENTICATE OAUTHBEARER"), e.getMessage());
    }
}
