package org.imapra.inbound;

import static org.imapra.inbound.InboundStandIn.MAILBOX;
import static org.imapra.inbound.InboundStandIn.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.mail.Folder;
import jakarta.mail.Session;
import jakarta.mail.Store;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.imapra.standin.DovecotServer;
import org.imapra.standin.LocalM365;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * MDB delivery against a private Dovecot (dovecot-imapd) validating the stand-in's tokens: each afterDelivery mode,
 * the batch's commands, concurrency and the search filter, as {@link InboundDeliveryProtocolTest} does on GreenMail.
 */
@Timeout(60)
class DovecotInboundProtocolTest extends InboundProtocolBase {
    static DovecotServer dovecot;

    @BeforeAll
    static void startDovecot() {
        dovecot = DovecotServer.start(m365, true, MAILBOX); // rawlog on: commands counted
    }

    @AfterAll
    static void stopDovecot() {
        dovecot.close();
    }

    @Override
    void resetStandIn() {
        dovecot.deleteAllMailboxes();
        dovecot.createMailbox(MAILBOX);
        dovecot.createFolder(MAILBOX, "Processed");
        dovecot.createFolder(MAILBOX, "Errors");
    }

    @BeforeEach
    void pointAtDovecot() {
        spec.setImapHost(dovecot.host());
        spec.setImapPort(dovecot.imapsPort());
    }

    @Override
    void afterStop() {
        try {
            assertTrue(dovecot.awaitOpenSessionCount(0, Duration.ofSeconds(5)),
                    "Dovecot sessions left open: " + dovecot.openSessionCount());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void markSeenDeliversEveryMessageOnceInMailboxOrderAndMarksItSeen() throws Exception {
        spec.setMaxMessagesPerBatch(7);
        List<String> expected = deliver("early", 23);
        activate();
        awaitReceived(23);
        expected.addAll(deliver("late", 9));
        awaitReceived(32);
        assertEquals(expected, endpoints.subjects(), "each once, in mailbox order\n" + dovecot.log());
        await(Duration.ofSeconds(5), () -> count("INBOX", true) == 0, () -> "unseen left: " + count("INBOX", true));
        assertEquals(32, count("INBOX", false));
    }

    @Test
    void moveMovesEachDeliveredMessage() throws Exception {
        spec.setAfterDelivery("MOVE");
        spec.setMoveTo("Processed");
        List<String> mails = deliver("move", 12);
        activate();
        awaitReceived(12);
        await(Duration.ofSeconds(5), () -> count("Processed", false) == 12,
                () -> "moved: " + count("Processed", false));
        assertEquals(mails, endpoints.subjects());
        assertEquals(0, count("INBOX", false));
    }

    @Test
    void deleteExpungesEachDeliveredMessage() throws Exception {
        spec.setAfterDelivery("DELETE");
        List<String> mails = deliver("delete", 8);
        activate();
        awaitReceived(8);
        await(Duration.ofSeconds(5), () -> count("INBOX", false) == 0, () -> "left: " + count("INBOX", false));
        assertEquals(mails, endpoints.subjects());
    }

    @Test
    void idlePushesANewMessageLongBeforeAnyRenewalOrCheck() throws Exception {
        spec.setIdleRenewSeconds(600);
        spec.setIdleCheckSeconds(600); // only Dovecot's EXISTS during IDLE can bring the message in time
        activate();
        await(Duration.ofSeconds(10), () -> dovecot.openSessionCount() == 1, () -> "no session");
        Thread.sleep(300); // searched, now in IDLE
        for (int i = 1; i <= 3; i++) {
            dovecot.deliver(MAILBOX, "pushed " + i, "body");
            awaitReceived(i);
        }
        assertEquals(List.of("pushed 1", "pushed 2", "pushed 3"), endpoints.subjects());
        assertEquals(1, dovecot.openSessionCount(), "one connection, never replaced");
    }

    @Test
    void pollModeFindsNewMessagesAtTheNextPoll() throws Exception {
        spec.setMode("POLL");
        spec.setPollIntervalSeconds(1);
        activate();
        deliver("polled", 2);
        awaitReceived(2);
        assertEquals(List.of("polled 001", "polled 002"), endpoints.subjects());
    }

    @Test
    void aMessageWhoseOnMessageThrowsIsRetriedMaxAttemptsTimesThenAloneMovedToErrorFolder() throws Exception {
        spec.setAfterDelivery("MOVE");
        spec.setMoveTo("Processed");
        spec.setErrorFolder("Errors");
        spec.setMaxAttempts(3);
        endpoints.bean((m, s, o) -> {
            if (s.startsWith("poison")) {
                throw new IllegalStateException("poison pill #" + endpoints.attempts(s));
            }
        });
        deliver("good", 2);
        dovecot.deliver(MAILBOX, "poison", "body");
        deliver("more", 2);
        activate();
        await(Duration.ofSeconds(20), () -> count("Errors", false) == 1 && count("Processed", false) == 4,
                () -> "Errors " + count("Errors", false) + ", Processed " + count("Processed", false));
        assertEquals(3, endpoints.attempts("poison"), "maxAttempts deliveries of the failing message");
        assertEquals(4, endpoints.unique().size() - (endpoints.unique().contains("poison") ? 1 : 0));
        assertEquals(0, count("INBOX", false));
    }

    @Test
    void theServerEndingTheSessionDuringIdleMakesItReconnectAndSearchAgain() throws Exception {
        activate();
        await(Duration.ofSeconds(10), () -> dovecot.openSessionCount() == 1, () -> "no session");
        Thread.sleep(300); // in IDLE
        assertTrue(dovecot.kick(MAILBOX), "Dovecot had the session to end");
        dovecot.deliver(MAILBOX, "after kick", "body");
        awaitReceived(1);
        assertEquals(List.of("after kick"), endpoints.subjects());
    }

    @Test
    void aLargeAttachmentIsStreamedWholeAndExactly() throws Exception {
        byte[] payload = new byte[700 * 1024]; // larger than the 256 KB fetched with the batch: partial FETCHes
        new java.util.Random(13).nextBytes(payload);
        jakarta.mail.internet.MimeMessage m = new jakarta.mail.internet.MimeMessage(Session.getInstance(new Properties()));
        m.setFrom("sender@fabrikam.example");
        m.setRecipients(jakarta.mail.Message.RecipientType.TO, MAILBOX);
        m.setSubject("large");
        jakarta.mail.internet.MimeBodyPart text = new jakarta.mail.internet.MimeBodyPart();
        text.setText("see attachment");
        jakarta.mail.internet.MimeBodyPart file = new jakarta.mail.internet.MimeBodyPart();
        file.setDataHandler(new jakarta.activation.DataHandler(
                new jakarta.mail.util.ByteArrayDataSource(payload, "application/octet-stream")));
        file.setFileName("data.bin");
        m.setContent(new jakarta.mail.internet.MimeMultipart(text, file));
        m.saveChanges();
        dovecot.deliver(MAILBOX, m);
        java.util.concurrent.atomic.AtomicReference<byte[]> read = new java.util.concurrent.atomic.AtomicReference<>();
        endpoints.bean((msg, s, o) -> {
            jakarta.mail.Multipart mp = (jakarta.mail.Multipart) msg.getContent();
            try (java.io.InputStream in = mp.getBodyPart(1).getInputStream()) {
                read.set(in.readAllBytes());
            }
        });
        activate();
        awaitReceived(1);
        assertTrue(java.util.Arrays.equals(payload, read.get()), "the attachment as sent ("
                + (read.get() == null ? "nothing" : read.get().length + " bytes") + " read)");
    }

    /** Counted in Dovecot's rawlog: a batch costs a constant number of commands, however many messages it holds. */
    @Test
    void aBatchOfSmallMessagesIsFetchedAndAcknowledgedInAConstantNumberOfCommands() throws Exception {
        spec.setMaxMessagesPerBatch(50);
        List<String> mails = deliver("small", 40);
        dovecot.resetCommandCounts();
        activate();
        awaitReceived(40);
        await(Duration.ofSeconds(5), () -> dovecot.commandCounts().getOrDefault("UID STORE", 0L) >= 1,
                () -> "no acknowledgement: " + dovecot.commandCounts());
        assertEquals(mails, endpoints.subjects());
        assertEquals("body of small 040", endpoints.received.get(39).body(), "the listener read the content");
        java.util.Map<String, Long> counts = dovecot.commandCounts();
        assertEquals(1L, counts.getOrDefault("UID FETCH", 0L), "flags, sizes and sequence numbers: " + counts);
        assertEquals(1L, counts.getOrDefault("FETCH", 0L), "the whole messages: " + counts);
        assertEquals(1L, counts.getOrDefault("UID STORE", 0L), "one acknowledgement for the batch: " + counts);
        assertEquals(1L, counts.getOrDefault("SELECT", 0L), counts.toString());
        assertEquals(0L, counts.getOrDefault("LIST", 0L), "no LIST before the SELECT of the watched folder: " + counts);
        await(Duration.ofSeconds(5), () -> count("INBOX", true) == 0, () -> "unseen left: " + count("INBOX", true));
    }

    /**
     * A backlog of several batches: each batch costs its UID FETCH, its FETCH of whole messages and its UID STORE, and
     * no search of its own; the drain searches three times in all (the whole folder, what arrived meanwhile, the
     * whole folder once more), however many batches it holds.
     */
    @Test
    void aBacklogOfSeveralBatchesCostsThreeCommandsABatchAndThreeSearchesInAll() throws Exception {
        spec.setMaxMessagesPerBatch(10);
        List<String> mails = deliver("backlog", 45);
        dovecot.resetCommandCounts();
        activate();
        awaitReceived(45);
        await(Duration.ofSeconds(10), () -> dovecot.commandCounts().getOrDefault("UID STORE", 0L) >= 5
                && dovecot.commandCounts().getOrDefault("UID SEARCH", 0L) >= 3, () -> "not drained: "
                + dovecot.commandCounts());
        assertEquals(mails, endpoints.subjects(), "each once, in mailbox order");
        java.util.Map<String, Long> counts = dovecot.commandCounts();
        assertEquals(5L, counts.getOrDefault("UID FETCH", 0L), "one a batch: " + counts);
        assertEquals(5L, counts.getOrDefault("FETCH", 0L), "one a batch: " + counts);
        assertEquals(5L, counts.getOrDefault("UID STORE", 0L), "one a batch: " + counts);
        assertEquals(3L, counts.getOrDefault("UID SEARCH", 0L), "no search a batch: " + counts);
        await(Duration.ofSeconds(5), () -> count("INBOX", true) == 0, () -> "unseen left: " + count("INBOX", true));
    }

    /**
     * A message of the backlog that another client reads while the drain is under way no longer matches UNSEEN: it is
     * left out of its batch (the batch's UID FETCH reports it \Seen), though no search of its own was sent.
     */
    @Test
    void aMessageSeenElsewhereDuringADrainIsNotDelivered() throws Exception {
        spec.setMaxMessagesPerBatch(5);
        List<String> mails = deliver("drain", 15);
        java.util.concurrent.CountDownLatch marked = new java.util.concurrent.CountDownLatch(1);
        endpoints.bean((m, s, o) -> {
            if (s.equals("drain 001")) { // the first batch is being delivered: mark one of the second seen elsewhere
                markSeen("drain 008");
                marked.countDown();
            }
        });
        activate();
        awaitReceived(14);
        assertEquals(0, marked.getCount());
        await(Duration.ofSeconds(10), () -> count("INBOX", true) == 0, () -> "unseen left: " + count("INBOX", true));
        List<String> expected = new ArrayList<>(mails);
        expected.remove("drain 008");
        assertEquals(expected, endpoints.subjects(), "all but the one read elsewhere, each once, in order");
    }

    @Test
    void noneLeavesMessagesAsTheyAreAndDeliversEachOnlyOnce() throws Exception {
        spec.setAfterDelivery("NONE");
        spec.setIdleRenewSeconds(1); // a search every second
        List<String> mails = deliver("none", 6);
        activate();
        awaitReceived(6);
        mails.addAll(deliver("later", 1));
        awaitReceived(7);
        dovecot.resetCommandCounts();
        await(Duration.ofSeconds(20), () -> dovecot.commandCounts().getOrDefault("UID SEARCH", 0L) >= 2,
                () -> "searched again: " + dovecot.commandCounts()); // two more searches found nothing new
        assertEquals(mails, endpoints.subjects(), "each once");
        assertEquals(7, count("INBOX", true), "all still unseen");
    }

    @Test
    void maxConcurrencyDeliversInParallelEachMessageOnce() throws Exception {
        spec.setMaxConcurrency(4);
        java.util.concurrent.CountDownLatch together = new java.util.concurrent.CountDownLatch(2);
        endpoints.bean((m, s, o) -> {
            together.countDown();
            together.await(10, java.util.concurrent.TimeUnit.SECONDS); // the first two wait for each other
        });
        List<String> mails = deliver("parallel", 16);
        activate();
        awaitReceived(16);
        await(Duration.ofSeconds(5), () -> count("INBOX", true) == 0, () -> "unseen left: " + count("INBOX", true));
        assertDeliveredOnceInParallel(mails, 4);
    }

    @Test
    void searchFilterDeliversOnlyMatchingMessages() throws Exception {
        spec.setSearchFilter("UNSEEN; subject=Invoice");
        spec.setIdleRenewSeconds(1); // a search every second
        dovecot.deliver(MAILBOX, "Invoice 1", "body");
        dovecot.deliver(MAILBOX, "Hello", "body");
        dovecot.deliver(MAILBOX, "Invoice 2", "body");
        activate();
        awaitReceived(2);
        await(Duration.ofSeconds(5), () -> count("INBOX", true) == 1, () -> "unseen: " + count("INBOX", true));
        dovecot.resetCommandCounts();
        await(Duration.ofSeconds(20), () -> dovecot.commandCounts().getOrDefault("UID SEARCH", 0L) >= 1
                || dovecot.commandCounts().getOrDefault("IDLE", 0L) >= 1, () -> "idle or searched again");
        assertEquals(List.of("Invoice 1", "Invoice 2"), endpoints.subjects());
        assertEquals(1, count("INBOX", true), "Hello left unseen");
    }

    private static List<String> deliver(String prefix, int n) {
        List<String> subjects = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            String s = String.format("%s %03d", prefix, i);
            dovecot.deliver(MAILBOX, s, "body of " + s);
            subjects.add(s);
        }
        return subjects;
    }

    /**
     * A message of the backlog that another client deletes while the drain is under way is simply gone from its
     * batch: the others are delivered once, in order, and the connection is not taken for out of step with the
     * server (no reopening), though the EXPUNGE moved every sequence number behind it.
     */
    @Test
    void aMessageDeletedElsewhereDuringADrainIsLeftOutAndTheRestDelivered() throws Exception {
        spec.setMaxMessagesPerBatch(5);
        List<String> mails = deliver("gone", 15);
        endpoints.bean((m, s, o) -> {
            if (s.equals("gone 001")) { // the first batch is being delivered: delete one of the second elsewhere
                change("gone 007", true);
            }
        });
        activate();
        awaitReceived(14);
        await(Duration.ofSeconds(10), () -> count("INBOX", true) == 0, () -> "unseen left: " + count("INBOX", true));
        List<String> expected = new ArrayList<>(mails);
        expected.remove("gone 007");
        assertEquals(expected, endpoints.subjects(), "all but the deleted one, each once, in order");
        assertEquals(14, count("INBOX", false));
        assertEquals(List.of(), logs.messages(java.util.logging.Level.INFO,
                m -> m.contains("reopening the connection")), "not taken for out of step");
    }

    /** Sets \Seen on the INBOX message with this subject, over a connection of its own (another client). */
    private static void markSeen(String subject) {
        change(subject, false);
    }

    /** Sets \Seen on (or, {@code expunge}, deletes) the INBOX message with this subject, as another client. */
    private static void change(String subject, boolean expunge) {
        Properties p = new Properties();
        p.put("mail.imaps.auth.mechanisms", "XOAUTH2");
        p.put("mail.imaps.ssl.checkserveridentity", "true");
        try (Store store = Session.getInstance(p).getStore("imaps")) {
            store.connect(dovecot.host(), dovecot.imapsPort(), MAILBOX, token());
            Folder f = store.getFolder("INBOX");
            f.open(Folder.READ_WRITE);
            try {
                jakarta.mail.Message[] found = f.search(new jakarta.mail.search.SubjectTerm(subject));
                assertEquals(1, found.length, subject);
                found[0].setFlag(expunge ? jakarta.mail.Flags.Flag.DELETED : jakarta.mail.Flags.Flag.SEEN, true);
            } finally {
                f.close(expunge);
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Messages in the folder (only the unseen ones if {@code unseen}), read over IMAP with a token of the app. */
    private static int count(String folder, boolean unseen) {
        Properties p = new Properties();
        p.put("mail.imaps.auth.mechanisms", "XOAUTH2");
        p.put("mail.imaps.ssl.checkserveridentity", "true");
        try (Store store = Session.getInstance(p).getStore("imaps")) {
            store.connect(dovecot.host(), dovecot.imapsPort(), MAILBOX, token());
            Folder f = store.getFolder(folder);
            f.open(Folder.READ_ONLY);
            try {
                return unseen ? f.getUnreadMessageCount() : f.getMessageCount();
            } finally {
                f.close(false);
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String token() throws Exception {
        String form = "grant_type=client_credentials&client_id=" + LocalM365.DEFAULT_CLIENT_ID + "&client_secret="
                + URLEncoder.encode(LocalM365.DEFAULT_CLIENT_SECRET, StandardCharsets.UTF_8) + "&scope="
                + URLEncoder.encode(LocalM365.IMAP_SCOPE, StandardCharsets.UTF_8);
        HttpRequest request = HttpRequest.newBuilder(URI.create(m365.tokenEndpoint()))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build();
        HttpResponse<String> r = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
        String body = r.body();
        int start = body.indexOf("\"access_token\":\"") + 16;
        return body.substring(start, body.indexOf('"', start));
    }
}
