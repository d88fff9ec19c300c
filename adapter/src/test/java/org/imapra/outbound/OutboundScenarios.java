package org.imapra.outbound;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.mail.Flags;
import jakarta.mail.search.SubjectTerm;
import java.io.ByteArrayOutputStream;
import java.util.List;
import org.imapra.api.FolderStatus;
import org.imapra.api.ImapAuthenticationException;
import org.imapra.api.ImapConnection;
import org.imapra.api.ImapConnectionFactory;
import org.imapra.api.ImapConnectionLostException;
import org.imapra.api.ImapException;
import org.imapra.api.ImapMessage;
import org.imapra.standin.LocalM365;
import org.imapra.standin.RecordedRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The outbound connector's core scenarios (connection, STATUS, SEARCH, FETCH, flags, MOVE, delete, APPEND, pooling,
 * OAUTHBEARER, named definitions, a BYE mid-session, a full pool), written once and run against each IMAP backend
 * by a subclass.
 */
abstract class OutboundScenarios extends BackendProtocolBase {

    @AfterAll
    void somethingWasLogged() {
        assertTrue(logs.count() > 0, "nothing was logged: the capture is not working");
    }

    @Test
    void statusOfTheInboxWithAnAppOnlyToken() throws Exception {
        backend.deliver(MAILBOX, "one", "first");
        backend.deliver(MAILBOX, "two", "second");
        try (ImapConnection c = factory.getConnection()) {
            FolderStatus inbox = c.status("INBOX");
            assertEquals(2, inbox.messages(), backend.diagnostics());
            assertEquals(2, inbox.unseen());
            assertTrue(inbox.uidValidity() > 0);
            assertTrue(inbox.uidNext() > 0);
            assertEquals(MAILBOX, c.mailbox());
        }
        assertEquals(1, m365.tokens().tokenRequestCount());
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
    void deliveredMailIsFoundAndFetchedInOrder() throws Exception {
        for (int i = 1; i <= 5; i++) {
            backend.deliver(MAILBOX, "ticket " + i, "body " + i);
        }
        try (ImapConnection c = factory.getConnection()) {
            long[] all = c.search("INBOX", null);
            assertEquals(5, all.length, backend.diagnostics());
            List<ImapMessage> fetched = c.fetch("INBOX", all);
            for (int i = 0; i < 5; i++) {
                assertEquals("ticket " + (i + 1), fetched.get(i).subject(), "delivery order is UID order");
                assertEquals(all[i], fetched.get(i).uid());
            }
        }
    }

    @Test
    void theWholeConnectionApiWorksByUid() throws Exception {
        backend.createFolder(MAILBOX, "Processed");
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
            assertTrue(missing.getMessage().contains("NoSuchFolder") && missing.getMessage().contains(MAILBOX),
                    missing.getMessage());
            assertEquals(1, c.status("INBOX").messages(), "a failed move leaves the message");
            List<ImapMessage> kept = c.fetch("INBOX", appended[2]);
            c.close();
            assertThrows(IllegalStateException.class, () -> c.status("INBOX"));
            assertThrows(IllegalStateException.class, () -> kept.get(0).message());
        }
    }

    @Test
    void pooledConnectionsAreReusedAndKeepOneImapSessionEach() throws Exception {
        ImapManagedConnection first;
        try (ImapConnection c = factory.getConnection()) {
            c.status("INBOX");
            c.search("INBOX", null);
            c.listFolders();
            first = ((ImapConnectionImpl) c).managed();
            assertEquals(1, backend.openSessionCount(), "one physical IMAP connection per managed one");
        }
        try (ImapConnection c = factory.getConnection()) {
            assertSame(first, ((ImapConnectionImpl) c).managed());
        }
        assertEquals(1, m365.tokens().tokenRequestCount());
    }

    @Test
    void namedDefinitionsOpenTheirOwnMailbox() throws Exception {
        String sales = "sales@" + LocalM365.DEFAULT_DOMAIN;
        backend.createMailbox(sales);
        backend.grant(LocalM365.DEFAULT_CLIENT_ID, sales);
        backend.deliver(sales, "lead", "hello");
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
    void oauthBearerWorksAndAMailboxNotGrantedIsRefused() throws Exception {
        mcf.setSaslMechanism("OAUTHBEARER");
        factory = (ImapConnectionFactory) mcf.createConnectionFactory(pool);
        backend.deliver(MAILBOX, "one", "first");
        try (ImapConnection c = factory.getConnection()) {
            assertEquals(1, c.status("INBOX").messages());
        }
        String other = "ceo@" + LocalM365.DEFAULT_DOMAIN;
        backend.createMailbox(other);
        mcf.setUserName(other);
        ImapConnectionFactory refused = (ImapConnectionFactory) mcf.createConnectionFactory(pool);
        ImapAuthenticationException e = assertThrows(ImapAuthenticationException.class, refused::getConnection);
        assertTrue(e.getMessage().contains("AUTHENTICATE OAUTHBEARER"), e.getMessage());
    }

    @Test
    void aByeMidSessionEvictsTheConnectionAndTheNextOneIsFresh() throws Exception {
        ImapConnection c = factory.getConnection();
        c.status("INBOX");
        ImapManagedConnection broken = ((ImapConnectionImpl) c).managed();
        backend.endSessions(MAILBOX);
        ImapConnectionLostException lost = assertThrows(ImapConnectionLostException.class, () -> c.status("INBOX"));
        assertTrue(lost.getMessage().contains(MAILBOX), lost.getMessage());
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
            backend.endSessions(MAILBOX);
            try (ImapConnection c = f.getConnection()) {
                assertNotSame(dropped, ((ImapConnectionImpl) c).managed());
                assertEquals(0, c.status("INBOX").messages(), "the caller never sees the dropped connection");
            }
            assertEquals(1, validating.idleCount());
        } finally {
            closeAndAssertNothingLeft(validating);
        }
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
        assertEquals(4, backend.openSessionCount(), "the pool keeps its four sessions open");
    }
}
