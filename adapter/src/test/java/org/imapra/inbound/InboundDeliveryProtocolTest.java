package org.imapra.inbound;

import static org.imapra.inbound.InboundStandIn.await;
import static org.imapra.inbound.InboundStandIn.deliver;
import static org.imapra.inbound.InboundStandIn.subjects;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.imapra.api.DeliveredMessage;
import org.imapra.config.MailboxDefinition;
import org.imapra.standin.LocalM365;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** MDB delivery against the local Microsoft 365 (GreenMail, XOAUTH2 with validated tokens), per afterDelivery mode. */
@Timeout(30)
class InboundDeliveryProtocolTest extends InboundProtocolBase {

    @Override
    void resetStandIn() throws Exception {
        InboundStandIn.reset(m365, "Processed");
    }

    @Override
    void afterStop() {
        for (String s : endpoints.sequences) {
            // one or more deliveries one after another through one endpoint, then its release
            assertTrue(s.matches("(before,onMessage,after,)+release"), s);
        }
    }

    /**
     * endpointActivation only schedules Work: it returns while the token endpoint holds every request (a call that
     * needed a token, or the IMAP connection behind it, would wait there until the class' timeout fails the test).
     */
    @Override
    void activate() throws Exception {
        m365.tokens().hold();
        try {
            super.activate();
            assertEquals(0, m365.mailServer().openSessionCount(), "endpointActivation opened an IMAP session");
        } finally {
            m365.tokens().release();
        }
    }

    private static List<String> numbered(String prefix, int n) {
        List<String> s = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            s.add(String.format("%s %03d", prefix, i));
        }
        return s;
    }

    /** Counted at the server: a batch costs a constant number of commands, however many messages it holds. */
    @Test
    void aBatchOfSmallMessagesIsFetchedAndAcknowledgedInAConstantNumberOfCommands() throws Exception {
        spec.setMaxMessagesPerBatch(50);
        List<String> mails = numbered("small", 40);
        mails.forEach(s -> deliver(m365, s));
        m365.mailServer().resetCommandCounts();
        activate();
        awaitReceived(40);
        await(Duration.ofSeconds(5), () -> uncheckedSubjects("INBOX", true).size() == 40,
                () -> "seen: " + uncheckedSubjects("INBOX", true));

        assertEquals(mails, endpoints.subjects());
        assertEquals("body of small 040", endpoints.received.get(39).body(), "the listener read the content");
        Map<String, Long> counts = m365.mailServer().commandCounts();
        long fetches = counts.getOrDefault("FETCH", 0L) + counts.getOrDefault("UID FETCH", 0L);
        assertTrue(fetches <= 3, "sequence numbers, metadata, whole messages: " + counts);
        assertEquals(1L, counts.getOrDefault("UID STORE", 0L), "one acknowledgement for the batch: " + counts);
        long all = counts.values().stream().mapToLong(Long::longValue).sum();
        assertTrue(all <= 20, "a constant for connecting, selecting, searching and the batch: " + counts);
    }

    /**
     * Jakarta Mail looks its StreamProvider up through the thread's context class loader for every message it parses
     * (a scan of every jar in an application server). The adapter parses what it fetches under a loader that answers
     * the lookup from memory, the listener's reading of a message fetched whole included (its decoder is made under
     * that loader too): only the Session's lookup reaches the context class loader the Work threads were given. The
     * fetch used to add one a message, and the listener's reading one more.
     */
    @Test
    void fetchedMessagesAreParsedWithoutALookupThroughTheWorkThreadsContextLoader() throws Exception {
        List<String> mails = numbered("lookup", 30);
        mails.forEach(s -> deliver(m365, s));
        Thread test = Thread.currentThread();
        ClassLoader original = test.getContextClassLoader();
        LookupCounter counter = new LookupCounter(original);
        test.setContextClassLoader(counter); // the Work threads started by the activation inherit it
        try {
            activate();
            awaitReceived(30);
        } finally {
            test.setContextClassLoader(original);
        }
        assertEquals("body of lookup 030", endpoints.received.get(29).body(), "the listener read the content");
        // one for the Session; the listener's reading added 30 (31), and the fetch's parsing 30 more before (61)
        assertTrue(counter.lookups.get() <= 5, counter.lookups.get() + " lookups of the StreamProvider through the "
                + "Work threads' context class loader for 30 messages the listener read once each");
    }

    /**
     * A small multipart message's structure is parsed with the fetch, under the adapter's loader: the listener's
     * getContent() finds the multipart and its parts made, and reading each part's decoded content makes its decoder
     * under that loader too (before: one lookup for the multipart and two a part, in the listener, besides the fetch's
     * one a message; then one a part read).
     */
    @Test
    void aSmallMultipartMessageReachesTheListenerParsed() throws Exception {
        jakarta.mail.Session session = jakarta.mail.Session.getInstance(new java.util.Properties());
        for (int i = 1; i <= 10; i++) {
            jakarta.mail.internet.MimeMessage m = new jakarta.mail.internet.MimeMessage(session);
            m.setSubject("multipart " + i);
            jakarta.mail.internet.MimeMultipart mp = new jakarta.mail.internet.MimeMultipart();
            jakarta.mail.internet.MimeBodyPart text = new jakarta.mail.internet.MimeBodyPart();
            text.setText("text of " + i);
            jakarta.mail.internet.MimeBodyPart file = new jakarta.mail.internet.MimeBodyPart();
            file.setContent(new byte[20_000], "application/octet-stream");
            file.setFileName("file-" + i + ".bin");
            mp.addBodyPart(text);
            mp.addBodyPart(file);
            m.setContent(mp);
            m.saveChanges();
            m365.mailServer().deliver(InboundStandIn.MAILBOX, m);
        }
        List<Long> read = new java.util.concurrent.CopyOnWriteArrayList<>();
        endpoints.bean((m, subject, origin) -> { // as an MDB reads every part (the benchmark's does)
            jakarta.mail.Multipart mp = (jakarta.mail.Multipart) m.getContent();
            long n = 0;
            for (int i = 0; i < mp.getCount(); i++) {
                try (java.io.InputStream in = mp.getBodyPart(i).getInputStream()) {
                    n += in.readAllBytes().length;
                }
            }
            read.add(n);
        });
        Thread test = Thread.currentThread();
        ClassLoader original = test.getContextClassLoader();
        LookupCounter counter = new LookupCounter(original);
        test.setContextClassLoader(counter);
        try {
            activate();
            awaitReceived(10);
        } finally {
            test.setContextClassLoader(original);
        }
        assertTrue(endpoints.received.get(9).body().contains("MimeMultipart"), endpoints.received.get(9).body());
        assertEquals(10, read.size());
        assertTrue(read.stream().allMatch(n -> n == 20_000 + "text of 1".length() || n == 20_000 + "text of 10".length()),
                "each part read whole: " + read);
        // the Session's one; the listener's getContent() made the multipart and its two parts (50), the fetch 10,
        // and reading the parts 20 more
        assertTrue(counter.lookups.get() <= 5, counter.lookups.get() + " lookups of the StreamProvider through the "
                + "Work threads' context class loader for 10 multipart messages");
    }

    /** A context class loader counting the service lookups of Jakarta Mail's StreamProvider. */
    private static final class LookupCounter extends ClassLoader {
        final java.util.concurrent.atomic.AtomicInteger lookups = new java.util.concurrent.atomic.AtomicInteger();

        LookupCounter(ClassLoader parent) {
            super(parent);
        }

        @Override
        public java.util.Enumeration<java.net.URL> getResources(String name) throws java.io.IOException {
            if (name.equals("META-INF/services/jakarta.mail.util.StreamProvider")) {
                lookups.incrementAndGet();
            }
            return super.getResources(name);
        }
    }

    @Test
    void markSeenDeliversEveryMessageOnceInMailboxOrderInBatchesAndMarksItSeen() throws Exception {
        spec.setMaxMessagesPerBatch(7);
        List<String> before = numbered("early", 23);
        before.forEach(s -> deliver(m365, s));
        activate();
        awaitReceived(23);
        List<String> after = numbered("late", 9);
        after.forEach(s -> deliver(m365, s));
        awaitReceived(32);
        await(Duration.ofSeconds(5), () -> uncheckedSubjects("INBOX", true).size() == 32,
                () -> "seen: " + uncheckedSubjects("INBOX", true));

        List<String> expected = new ArrayList<>(before);
        expected.addAll(after);
        assertEquals(expected, endpoints.subjects(), "each once, in mailbox order");
        long uidValidity = InboundStandIn.folder(m365, "INBOX").getUidValidity();
        Set<Long> uids = new HashSet<>();
        long last = 0;
        for (var r : endpoints.received) {
            DeliveredMessage o = r.origin();
            assertEquals(InboundStandIn.MAILBOX, o.mailbox());
            assertEquals("INBOX", o.folder());
            assertEquals(uidValidity, o.uidValidity());
            assertTrue(o.uid() > last, "UIDs ascend");
            last = o.uid();
            assertTrue(uids.add(o.uid()));
            assertTrue(o.messageId() != null && o.messageId().startsWith("<"), o.messageId());
            assertEquals("body of " + r.subject(), r.body(), "the message is readable during onMessage");
            assertTrue(o.key().startsWith(InboundStandIn.MAILBOX + "/INBOX;UIDVALIDITY=" + uidValidity + "/;UID="));
        }
        assertEquals(List.of(), subjects(m365, "INBOX", false), "nothing left unseen");
    }

    @Test
    void moveMovesEachDeliveredMessageToMoveTo() throws Exception {
        spec.setAfterDelivery("MOVE");
        spec.setMoveTo("Processed");
        List<String> mails = numbered("move", 12);
        mails.forEach(s -> deliver(m365, s));
        activate();
        awaitReceived(12);
        await(Duration.ofSeconds(5), () -> uncheckedSubjects("Processed", false).size() == 12,
                () -> "in Processed: " + uncheckedSubjects("Processed", false));
        assertEquals(mails, endpoints.subjects());
        assertEquals(1, m365.mailServer().openSessionCount(), "folder checks and delivery share one connection");
        assertEquals(List.of(), subjects(m365, "INBOX"));
        List<String> moved = new ArrayList<>(subjects(m365, "Processed"));
        Collections.sort(moved);
        assertEquals(mails, moved);
    }

    @Test
    void deleteExpungesEachDeliveredMessage() throws Exception {
        spec.setAfterDelivery("DELETE");
        List<String> mails = numbered("delete", 8);
        mails.forEach(s -> deliver(m365, s));
        activate();
        awaitReceived(8);
        await(Duration.ofSeconds(5), () -> uncheckedSubjects("INBOX").isEmpty(),
                () -> "still in INBOX: " + uncheckedSubjects("INBOX"));
        assertEquals(mails, endpoints.subjects());
        assertEquals(List.of(), subjects(m365, "Processed"));
    }

    @Test
    void noneLeavesMessagesAsTheyAreAndDeliversEachOnlyOnce() throws Exception {
        spec.setAfterDelivery("NONE");
        spec.setIdleRenewSeconds(1); // a search every second
        List<String> mails = numbered("none", 6);
        mails.forEach(s -> deliver(m365, s));
        activate();
        awaitReceived(6);
        deliver(m365, "none 007");
        awaitReceived(7);
        Thread.sleep(1_500); // at least one more search
        assertEquals(numbered("none", 7), endpoints.subjects());
        assertEquals(7, subjects(m365, "INBOX", false).size(), "all still unseen");
    }

    @Test
    void idleDeliversANewMessageWithinASecond() throws Exception {
        activate();
        await(Duration.ofSeconds(5), () -> m365.mailServer().authenticatedSessionCount() == 1, () -> "no session");
        Thread.sleep(300); // let it enter IDLE
        List<Long> latencies = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            long t0 = System.nanoTime();
            deliver(m365, "idle " + i);
            int n = i;
            await(Duration.ofSeconds(5), () -> endpoints.received.size() >= n, () -> "not delivered");
            latencies.add((System.nanoTime() - t0) / 1_000_000);
        }
        System.out.println("IDLE latency deliver() -> onMessage (ms): " + latencies);
        assertEquals(1, m365.mailServer().openSessionCount(), "one IMAP connection per activation");
        assertTrue(latencies.stream().allMatch(l -> l < 1_000), "latencies " + latencies);
    }

    @Test
    void pollModeFindsNewMessagesAtTheNextPoll() throws Exception {
        spec.setMode("POLL");
        spec.setPollIntervalSeconds(1);
        activate();
        await(Duration.ofSeconds(5), () -> m365.mailServer().authenticatedSessionCount() == 1, () -> "no session");
        deliver(m365, "polled 1");
        awaitReceived(1);
        deliver(m365, "polled 2");
        awaitReceived(2);
        assertEquals(List.of("polled 1", "polled 2"), endpoints.subjects());
    }

    @Test
    void maxConcurrencyDeliversInParallelOnWorkManagerThreadsEachMessageOnce() throws Exception {
        spec.setMaxConcurrency(4);
        endpoints.bean((m, s, o) -> Thread.sleep(100));
        List<String> mails = numbered("parallel", 16);
        mails.forEach(s -> deliver(m365, s));
        activate();
        awaitReceived(16);
        await(Duration.ofSeconds(5), () -> uncheckedSubjects("INBOX", true).size() == 16, () -> "not all seen");
        assertDeliveredOnceInParallel(mails, 4);
    }

    @Test
    void searchFilterDeliversOnlyMatchingMessages() throws Exception {
        spec.setSearchFilter("UNSEEN; subject=Invoice");
        deliver(m365, "Invoice 1");
        deliver(m365, "Hello");
        deliver(m365, "Invoice 2");
        activate();
        awaitReceived(2);
        Thread.sleep(300);
        assertEquals(List.of("Invoice 1", "Invoice 2"), endpoints.subjects());
        assertEquals(List.of("Hello"), subjects(m365, "INBOX", false));
    }

    @Test
    void aNamedMailboxDefinitionIsResolvedThroughTheRegistry() throws Exception {
        MailboxDefinition named = MailboxDefinition.builder().name("support").userName(InboundStandIn.MAILBOX)
                .tenantId(LocalM365.DEFAULT_TENANT_ID).clientId(LocalM365.DEFAULT_CLIENT_ID)
                .clientSecret(LocalM365.DEFAULT_CLIENT_SECRET).authorityHost(m365.authorityHost())
                .imapHost(m365.imapHost()).imapPort(m365.imapsPort()).build();
        ra.context().registry().register(named);
        spec = new ImapActivationSpec();
        spec.setMailbox("support");
        spec.setResourceAdapter(ra);
        deliver(m365, "named");
        activate();
        awaitReceived(1);
        assertEquals("named", endpoints.received.get(0).subject());
        List<org.imapra.api.admin.LiveStatus.Activation> live = ra.context().activations().statuses("support");
        assertEquals(1, live.size(), "the console sees the activation on 'support'");
        assertEquals("INBOX", live.get(0).folder());
        long deadline = System.currentTimeMillis() + 5_000;
        while (ra.context().activations().statuses("support").get(0).lastDelivery() == null && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
        }
        org.junit.jupiter.api.Assertions.assertNotNull(ra.context().activations().statuses("support").get(0).lastDelivery());
    }

    @Test
    void aDefinitionChangedInTheConsoleMakesItsActivationsReconnectWithTheNewOne() throws Exception {
        String sales = "sales@" + LocalM365.DEFAULT_DOMAIN;
        m365.mailServer().createMailbox(sales);
        m365.mailServer().grantMailbox(LocalM365.DEFAULT_CLIENT_ID, sales);
        org.imapra.admin.ImapMailboxAdmin admin = new org.imapra.admin.ImapMailboxAdmin();
        admin.setResourceAdapter(ra);
        org.imapra.api.admin.DefinitionInput in = InboundStandIn.definitionInput(m365, "shared");
        long version = admin.create(in, "alice").version();
        spec = new ImapActivationSpec();
        spec.setMailbox("shared");
        spec.setResourceAdapter(ra);
        deliver(m365, "before the change");
        activate();
        awaitReceived(1);

        in.setUserName(sales);
        in.setClientSecret(null);
        admin.update("shared", version, in, "alice");
        m365.mailServer().deliver(sales, "after the change", "to sales");
        awaitReceived(2);
        assertEquals(List.of("before the change", "after the change"), endpoints.subjects());
        assertEquals(1, ra.context().activations().statuses("shared").size(), "the activation runs on, with the new definition");
        admin.delete("shared", version + 1, "alice");
        assertEquals(0, ra.context().activations().statuses("shared").size(), "a deleted definition stops its activations");
    }
}
