package org.imapra.inbound;

import static org.imapra.inbound.InboundStandIn.await;
import static org.imapra.inbound.InboundStandIn.deliver;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.logging.Level;
import org.imapra.imap.BatchFetch;
import org.imapra.standin.LocalM365;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Errors thrown in delivery, a message whose fetch always breaks the connection, and the searches of a backlog's
 * drain, against the local M365.
 */
@Timeout(60)
class InboundHardeningProtocolTest extends InboundProtocolBase {

    /** DeliveryLedger's: connection losses after which a message is set aside. */
    private static final int LOSSES_BEFORE_POISON = 5;

    @Override
    void resetStandIn() throws Exception {
        m365.tokens().tokenLifetimeSeconds(3599);
        m365.mailServer().grantMailbox(LocalM365.DEFAULT_CLIENT_ID, InboundStandIn.MAILBOX);
        m365.mailServer().breakConnectionOnFetchOf(null);
        InboundStandIn.reset(m365, "Processed", "Errors");
        logs.clear();
    }

    @Override
    void afterStop() {
        m365.mailServer().breakConnectionOnFetchOf(null);
    }

    /** An OutOfMemoryError out of onMessage is no failed attempt and stops nothing: the message comes again. */
    @ParameterizedTest(name = "maxConcurrency {0}")
    @ValueSource(ints = {1, 3})
    void anErrorThrownInDeliveryDoesNotStopTheActivation(int maxConcurrency) throws Exception {
        spec.setMaxConcurrency(maxConcurrency);
        endpoints.bean((m, s, o) -> {
            if (s.equals("error") && endpoints.attempts(s) == 1) {
                throw new OutOfMemoryError("thrown by the bean of a test");
            }
        });
        List<String> mails = List.of("before", "error", "after 1", "after 2");
        mails.forEach(s -> deliver(m365, s));
        activate();
        await(Duration.ofSeconds(20), () -> endpoints.unique().containsAll(mails),
                () -> "delivered " + endpoints.subjects());
        deliver(m365, "later"); // the activation lives on
        await(Duration.ofSeconds(20), () -> endpoints.unique().contains("later"),
                () -> "delivered " + endpoints.subjects());
        await(Duration.ofSeconds(10), () -> uncheckedSubjects("INBOX", false).isEmpty(),
                () -> "unseen: " + uncheckedSubjects("INBOX", false));

        assertEquals(2, endpoints.attempts("error"), "delivered again after the Error");
        for (String s : List.of("before", "after 1", "after 2", "later")) {
            assertEquals(1, endpoints.subjects().stream().filter(s::equals).count(), s + " delivered once: "
                    + endpoints.subjects());
        }
        List<String> severe = logs.messages(Level.SEVERE, m -> m.contains("OutOfMemoryError"));
        assertEquals(1, severe.size(), "logged once at SEVERE: " + logs.messages(Level.SEVERE, m -> true));
        assertEquals(List.of(), logs.messages(Level.WARNING, m -> m.contains("onMessage failed")),
                "an Error that is not the message's fault is not a failed attempt");
    }

    /** A StackOverflowError is the message's (or the bean's) fault: counted, and after maxAttempts set aside. */
    @ParameterizedTest(name = "maxConcurrency {0}")
    @ValueSource(ints = {1, 3})
    void aStackOverflowErrorCountsAsAFailedAttempt(int maxConcurrency) throws Exception {
        spec.setMaxConcurrency(maxConcurrency);
        spec.setMaxAttempts(2);
        spec.setErrorFolder("Errors");
        endpoints.bean((m, s, o) -> {
            if (s.equals("deep")) {
                throw new StackOverflowError("thrown by the bean of a test");
            }
        });
        List<String> good = List.of("before", "after 1", "after 2");
        List.of("before", "deep", "after 1", "after 2").forEach(s -> deliver(m365, s));
        activate();
        await(Duration.ofSeconds(20), () -> uncheckedSubjects("Errors").contains("deep"),
                () -> "Errors " + uncheckedSubjects("Errors") + ", attempts " + endpoints.attempts("deep"));
        await(Duration.ofSeconds(20), () -> endpoints.unique().containsAll(good),
                () -> "delivered " + endpoints.subjects());
        deliver(m365, "later");
        await(Duration.ofSeconds(20), () -> endpoints.unique().contains("later"),
                () -> "delivered " + endpoints.subjects());

        assertEquals(2, endpoints.attempts("deep"), "maxAttempts attempts");
        assertEquals(1, logs.messages(Level.WARNING, m -> m.contains("onMessage failed")).size());
        assertEquals(1, logs.messages(Level.SEVERE, m -> m.contains("errorFolder 'Errors'")).size());
    }

    /**
     * A message whose content fetch always breaks the connection (small: fetched whole with others of its part;
     * large: read by the listener) is set aside after {@value DeliveryLedger#LOSSES_BEFORE_POISON} losses, none
     * counted as an attempt; the messages behind it are delivered.
     */
    @ParameterizedTest(name = "body of {0} bytes")
    @ValueSource(ints = {100, BatchFetch.WHOLE_MESSAGE_MAX_BYTES + 1024})
    void aMessageWhoseFetchAlwaysBreaksTheConnectionIsSetAsideAndBlocksNothing(int size) throws Exception {
        spec.setErrorFolder("Errors");
        spec.setMaxAttempts(3);
        String body = "x".repeat(size);
        List<String> good = List.of("before", "after 1", "after 2");
        List.of("before", "breaks", "after 1", "after 2")
                .forEach(s -> m365.mailServer().deliver(InboundStandIn.MAILBOX, s, body));
        m365.mailServer().breakConnectionOnFetchOf("breaks");
        activate();
        await(Duration.ofSeconds(40), () -> uncheckedSubjects("Errors").contains("breaks"),
                () -> "Errors " + uncheckedSubjects("Errors") + ", broken " + m365.mailServer()
                        .connectionsBrokenOnFetch() + ", delivered " + endpoints.subjects());
        await(Duration.ofSeconds(20), () -> endpoints.unique().containsAll(good),
                () -> "delivered " + endpoints.subjects());
        await(Duration.ofSeconds(10), () -> uncheckedSubjects("INBOX", false).isEmpty(),
                () -> "unseen: " + uncheckedSubjects("INBOX", false));

        assertEquals(good, endpoints.subjects(), "each other message delivered once, in order");
        assertTrue(m365.mailServer().connectionsBrokenOnFetch() >= LOSSES_BEFORE_POISON,
                "broken " + m365.mailServer().connectionsBrokenOnFetch());
        assertEquals(List.of(), logs.messages(Level.WARNING, m -> m.contains("onMessage failed")),
                "a delivery cut by a lost connection is not a failed attempt");
        List<String> severe = logs.messages(Level.SEVERE, m -> m.contains("errorFolder 'Errors'"));
        assertEquals(1, severe.size(), "logged once at SEVERE: " + severe);
        assertTrue(severe.get(0).contains("lost " + LOSSES_BEFORE_POISON + " times"), severe.get(0));
    }

    /**
     * Draining a backlog: the batches after the first are taken from what the first search found, with no search of
     * their own (linear, not all that is left each time); then one search from the last UID delivered on finds what
     * arrived meanwhile, and the drain ends with one over the whole folder.
     */
    @Test
    void aBacklogIsDrainedWithSearchesFromTheLastUidSeen() throws Exception {
        spec.setMaxMessagesPerBatch(10);
        List<String> mails = new ArrayList<>();
        for (int i = 1; i <= 45; i++) {
            mails.add(String.format("backlog %02d", i));
        }
        mails.forEach(s -> deliver(m365, s));
        long[] uids = InboundStandIn.folder(m365, "INBOX").getMessageUids();
        Arrays.sort(uids);
        m365.mailServer().resetCommandCounts();
        activate();
        awaitReceived(45);
        await(Duration.ofSeconds(10), () -> uncheckedSubjects("INBOX", false).isEmpty(),
                () -> "unseen: " + uncheckedSubjects("INBOX", false));
        await(Duration.ofSeconds(10), () -> m365.mailServer().uidSearchCommands().size() >= 3,
                () -> "searches " + m365.mailServer().uidSearchCommands());

        assertEquals(mails, endpoints.subjects());
        List<String> expected = new ArrayList<>();
        expected.add("UID SEARCH UNSEEN"); // the five batches: no search of their own
        expected.add("UID SEARCH UID " + (uids[uids.length - 1] + 1) + ":* UNSEEN"); // what arrived meanwhile
        expected.add("UID SEARCH UNSEEN"); // the end of the drain: the whole folder once more
        assertEquals(expected, m365.mailServer().uidSearchCommands().subList(0, 3),
                "searches " + m365.mailServer().uidSearchCommands());
        Set<String> later = new TreeSet<>(m365.mailServer().uidSearchCommands().subList(3,
                m365.mailServer().uidSearchCommands().size()));
        assertTrue(later.isEmpty() || later.equals(Set.of("UID SEARCH UNSEEN")), "later searches " + later);
    }
}
