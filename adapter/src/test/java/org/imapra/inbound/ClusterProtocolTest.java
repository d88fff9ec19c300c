package org.imapra.inbound;

import static org.imapra.inbound.InboundStandIn.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.icegreen.greenmail.store.MailFolder;
import com.icegreen.greenmail.store.StoredMessage;
import jakarta.mail.Flags;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import javax.sql.DataSource;
import org.imapra.cluster.EmbeddedGrid;
import org.imapra.config.TestDatabases;
import org.imapra.standin.LocalM365;
import org.imapra.testsupport.LogCapture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Several "instances" (a Hazelcast member and a resource adapter each, in this JVM, clustered on loopback) consume one
 * mailbox of the stand-in through real activations: one consumer at a time, hand-over, takeover, fencing, spread.
 */
class ClusterProtocolTest {

    private static final String MAILBOX = InboundStandIn.MAILBOX;
    private static final List<String> MAILBOXES = List.of(MAILBOX, "sales@contoso.example", "billing@contoso.example");
    private static final Duration BOUND = Duration.ofSeconds(60);

    static LocalM365 m365;
    static LogCapture logs;
    @TempDir
    Path dir;
    EmbeddedGrid grid;
    final List<ClusterNode> nodes = new ArrayList<>();
    final List<CountDownLatch> gates = new ArrayList<>();

    @BeforeAll
    static void startStandIn() {
        logs = LogCapture.install("org.imapra");
        m365 = LocalM365.startDefault();
        for (String m : MAILBOXES) {
            m365.mailServer().createMailbox(m);
            m365.mailServer().grantMailbox(LocalM365.DEFAULT_CLIENT_ID, m);
        }
    }

    @AfterAll
    static void stopStandIn() {
        m365.close();
        List<String> leaks = logs.leaks(LocalM365.DEFAULT_CLIENT_SECRET);
        logs.uninstall();
        assertEquals(List.of(), leaks, "secrets or tokens in log lines");
    }

    @BeforeEach
    void setUp() throws Exception {
        m365.mailServer().greenMail().purgeEmailFromAllMailboxes();
        logs.clear();
        grid = new EmbeddedGrid();
    }

    @AfterEach
    void tearDown() throws Exception {
        gates.forEach(CountDownLatch::countDown);
        for (ClusterNode n : nodes) {
            n.stop();
        }
        for (ClusterNode n : nodes) {
            assertTrue(n.work.awaitNoLiveThreads(Duration.ofSeconds(10)), n + ": Work threads alive: "
                    + n.work.liveThreads());
            assertEquals(List.of(), n.work.failures(), n + ": exceptions escaping a Work");
            n.endpoints.values().forEach(e -> assertEquals(List.of(), e.violations, n + ": JCA delivery order"));
        }
        grid.close();
        assertTrue(m365.mailServer().awaitOpenSessionCount(0, Duration.ofSeconds(10)),
                "IMAP sessions left open: " + m365.mailServer().openSessionCount());
    }

    private ClusterNode node(String name) {
        ClusterNode n = new ClusterNode(name, grid.startMember(name), dir);
        nodes.add(n);
        return n;
    }

    @Test
    void inSteadyStateOneInstanceDeliversEachMessageExactlyOnce() throws Exception {
        for (String name : List.of("a", "b", "c")) {
            node(name);
        }
        for (ClusterNode n : nodes) {
            n.activate(m365, MAILBOX);
        }
        List<String> sent = new ArrayList<>();
        for (int wave = 0; wave < 4; wave++) { // messages arriving throughout
            for (int i = 0; i < 6; i++) {
                String s = "steady-" + wave + "-" + i;
                sent.add(s);
                InboundStandIn.deliver(m365, s);
            }
            awaitSeen(MAILBOX, sent);
        }
        List<String> all = allReceived(MAILBOX);
        assertEquals(sent.size(), all.size(), "deliveries across the instances (a duplicate counts twice): " + all);
        assertEquals(new HashSet<>(sent), new HashSet<>(all));
        long consumers = nodes.stream().filter(n -> !n.received(MAILBOX).isEmpty()).count();
        assertEquals(1, consumers, "instances that delivered: " + describe(MAILBOX));
        assertEquals(1, nodes.stream().filter(n -> n.holds(m365, MAILBOX)).count(), "lease holders");
        assertTrue(m365.mailServer().openSessionCount() <= 1, "stand-bys hold no IMAP connection: "
                + m365.mailServer().openSessionCount() + " open");
    }

    @Test
    void aStoppedHolderHandsOverWithNoDuplicate() throws Exception {
        node("a");
        node("b");
        nodes.forEach(this::activateDefault);
        List<String> sent = deliverAll("before-", 8);
        awaitSeen(MAILBOX, sent);
        ClusterNode holder = awaitHolder(MAILBOX);
        ClusterNode other = nodes.get(nodes.indexOf(holder) == 0 ? 1 : 0);
        holder.deactivate(MAILBOX);
        List<String> after = deliverAll("after-", 8);
        sent.addAll(after);
        awaitSeen(MAILBOX, sent);
        assertEquals(sent.size(), allReceived(MAILBOX).size(), "no duplicate at the hand-over: " + describe(MAILBOX));
        assertTrue(other.received(MAILBOX).containsAll(after), "the other instance took over: " + describe(MAILBOX));
    }

    @Test
    void aTerminatedHolderIsTakenOverWithinTheTtlWithAtMostOneBatchAgain() throws Exception {
        node("a");
        node("b");
        node("c");
        nodes.forEach(this::activateDefault);
        List<String> sent = deliverAll("first-", 5);
        awaitSeen(MAILBOX, sent);
        ClusterNode holder = awaitHolder(MAILBOX);
        CountDownLatch gate = gate();
        holder.bean(MAILBOX, (m, subject, origin) -> {
            if ("second-2".equals(subject)) {
                gate.await(BOUND.toSeconds(), TimeUnit.SECONDS); // the holder is stuck mid-batch when it dies
            }
        });
        List<String> second = deliverAll("second-", 5);
        sent.addAll(second);
        await(BOUND, () -> holder.endpoints.get(MAILBOX).attempts("second-2") == 1, () -> describe(MAILBOX));
        long diedAt = System.nanoTime();
        holder.member.getLifecycleService().terminate(); // its grid member dies as with kill -9
        await(BOUND, () -> nodes.stream().anyMatch(n -> n != holder && n.holds(m365, MAILBOX)),
                () -> "no takeover: " + describe(MAILBOX));
        long takeoverMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - diedAt);
        System.out.println("[cluster] takeover after the holder's member was terminated: " + takeoverMillis
                + " ms (lease TTL " + ClusterNode.TTL_SECONDS + " s)");
        awaitSeen(MAILBOX, sent);
        gate.countDown();
        List<String> all = allReceived(MAILBOX);
        assertTrue(all.containsAll(sent), "every message delivered: " + describe(MAILBOX));
        int duplicates = all.size() - new HashSet<>(all).size();
        assertTrue(duplicates <= ClusterNode.BATCH, duplicates + " duplicates, more than one batch: "
                + describe(MAILBOX));
        assertTrue(takeoverMillis < ClusterNode.TTL_SECONDS * 1000L + BOUND.toMillis(), "takeover " + takeoverMillis);
    }

    @Test
    void aHolderThatLostItsLeaseAcknowledgesNothingFurther() throws Exception {
        ClusterNode a = node("a");
        ClusterNode b = node("b");
        a.activate(m365, MAILBOX);
        await(BOUND, () -> a.holds(m365, MAILBOX), () -> "a never took the lease");
        CountDownLatch gate = gate();
        a.endpoints.get(MAILBOX).bean((m, subject, origin) -> {
            if ("stale-2".equals(subject)) {
                gate.await(BOUND.toSeconds(), TimeUnit.SECONDS); // a pause longer than the TTL
            }
        });
        List<String> sent = deliverAll("stale-", 3);
        await(BOUND, () -> a.endpoints.get(MAILBOX).attempts("stale-2") == 1, () -> describe(MAILBOX));
        // while stale-2's onMessage runs, a's watcher sends nothing: what is acknowledged now stays so until it returns
        // (stale-1 may have come in an earlier batch of its own, acknowledged before anything was cut)
        List<String> acknowledgedBefore = seen(MAILBOX);
        a.grid.cut(true); // a no longer reaches the grid: it cannot renew, and the lease expires under it
        await(BOUND, () -> a.grid.refusedRenewals.get() > 0, () -> "a never tried to renew");
        gate.countDown(); // onMessage returns: a must acknowledge nothing more (stale-2 above all)
        await(BOUND, () -> !logs.messages(Level.WARNING, s -> s.contains("nothing more is acknowledged")).isEmpty(),
                () -> "the fence did not stop a's acknowledgement: " + describe(MAILBOX));
        assertEquals(acknowledgedBefore, seen(MAILBOX), "acknowledged by a after it lost the lease");
        assertTrue(!seen(MAILBOX).contains("stale-2"), describe(MAILBOX));
        b.activate(m365, MAILBOX);
        awaitSeen(MAILBOX, sent);
        List<String> leftToB = new java.util.ArrayList<>(sent);
        leftToB.removeAll(acknowledgedBefore); // what a had acknowledged while it still held the lease stays done
        assertTrue(b.received(MAILBOX).containsAll(leftToB), "b took over and delivered again " + leftToB + ": "
                + describe(MAILBOX));
        assertTrue(a.received(MAILBOX).size() <= ClusterNode.BATCH, describe(MAILBOX));
    }

    @Test
    void withTheLeasesInTheDatabaseAHolderTheDatabaseRefusesAcknowledgesNothingFurtherAndAnotherTakesOver()
            throws Exception {
        DataSource db = TestDatabases.newDatabase();
        String key = TestDatabases.masterKey();
        String role = "node_a_" + System.nanoTime();
        sql(db, "CREATE ROLE " + role + " LOGIN SUPERUSER");
        PGSimpleDataSource asA = new PGSimpleDataSource();
        asA.setURL(((PGSimpleDataSource) db).getURL());
        asA.setUser(role);
        ClusterNode a = new ClusterNode("a", grid.startMember("a"), dir, asA, key);
        nodes.add(a);
        ClusterNode b = new ClusterNode("b", grid.startMember("b"), dir, db, key);
        nodes.add(b);
        a.activate(m365, MAILBOX);
        await(BOUND, () -> a.holds(m365, MAILBOX), () -> "a never took the lease");
        CountDownLatch gate = gate();
        a.endpoints.get(MAILBOX).bean((m, subject, origin) -> {
            if ("dbcut-2".equals(subject)) {
                gate.await(BOUND.toSeconds(), TimeUnit.SECONDS);
            }
        });
        List<String> sent = deliverAll("dbcut-", 3);
        await(BOUND, () -> a.endpoints.get(MAILBOX).attempts("dbcut-2") == 1, () -> describe(MAILBOX));
        List<String> acknowledgedBefore = seen(MAILBOX);
        sql(db, "ALTER ROLE " + role + " NOLOGIN"); // the database refuses a from now on: it cannot renew
        await(BOUND, () -> !logs.messages(Level.WARNING, s -> s.startsWith("This instance lost the lease")).isEmpty(),
                () -> "a never found it lost the lease");
        gate.countDown(); // onMessage returns: a must acknowledge nothing more (dbcut-2 above all)
        await(BOUND, () -> !logs.messages(Level.WARNING, s -> s.contains("nothing more is acknowledged")).isEmpty(),
                () -> "the fence did not stop a's acknowledgement: " + describe(MAILBOX));
        assertEquals(acknowledgedBefore, seen(MAILBOX), "acknowledged by a after it lost the lease");
        b.activate(m365, MAILBOX);
        awaitSeen(MAILBOX, sent);
        List<String> leftToB = new ArrayList<>(sent);
        leftToB.removeAll(acknowledgedBefore);
        assertTrue(b.received(MAILBOX).containsAll(leftToB), "b took over and delivered again " + leftToB + ": "
                + describe(MAILBOX));
        assertTrue(b.holds(m365, MAILBOX), describe(MAILBOX));
        sql(db, "ALTER ROLE " + role + " LOGIN"); // a may stop cleanly
    }

    private static void sql(DataSource db, String statement) throws Exception {
        try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
            s.execute(statement);
        }
    }

    @Test
    void leasesOfThreeMailboxesSpreadOverThreeInstances() throws Exception {
        for (String name : List.of("a", "b", "c")) {
            node(name);
        }
        for (ClusterNode n : nodes) {
            for (String m : MAILBOXES) {
                n.activate(m365, m);
            }
        }
        await(BOUND, () -> nodes.stream().allMatch(n -> MAILBOXES.stream().filter(m -> n.holds(m365, m)).count() == 1),
                () -> "not one lease each: " + holdings());
        for (String m : MAILBOXES) {
            m365.mailServer().deliver(m, "spread-" + m, "body");
        }
        for (String m : MAILBOXES) {
            awaitSeen(m, List.of("spread-" + m));
        }
        System.out.println("[cluster] spread: " + holdings());
    }

    private void activateDefault(ClusterNode n) {
        try {
            n.activate(m365, MAILBOX);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private CountDownLatch gate() {
        CountDownLatch g = new CountDownLatch(1);
        gates.add(g);
        return g;
    }

    private List<String> deliverAll(String prefix, int n) {
        List<String> sent = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            sent.add(prefix + i);
            InboundStandIn.deliver(m365, prefix + i);
        }
        return sent;
    }

    private ClusterNode awaitHolder(String mailbox) throws InterruptedException {
        await(BOUND, () -> nodes.stream().anyMatch(n -> n.holds(m365, mailbox)), () -> "no holder");
        return nodes.stream().filter(n -> n.holds(m365, mailbox)).findFirst().orElseThrow();
    }

    private List<String> allReceived(String mailbox) {
        List<String> all = new ArrayList<>();
        nodes.forEach(n -> all.addAll(n.received(mailbox)));
        return all;
    }

    private String describe(String mailbox) {
        StringBuilder sb = new StringBuilder();
        nodes.forEach(n -> sb.append(n).append(n.holds(m365, mailbox) ? "(holder)" : "").append(": ")
                .append(n.received(mailbox)).append("; "));
        return sb.append("seen: ").append(seen(mailbox)).toString();
    }

    private String holdings() {
        StringBuilder sb = new StringBuilder();
        for (ClusterNode n : nodes) {
            sb.append(n).append(" holds ").append(MAILBOXES.stream().filter(m -> n.holds(m365, m)).toList())
                    .append("; ");
        }
        return sb.toString();
    }

    private void awaitSeen(String mailbox, List<String> subjects) throws InterruptedException {
        await(BOUND, () -> seen(mailbox).containsAll(subjects), () -> "not all seen: " + describe(mailbox));
    }

    /** Subjects of the \Seen messages of {@code mailbox}'s INBOX at the server. */
    private static List<String> seen(String mailbox) {
        MailFolder inbox;
        try {
            inbox = m365.mailServer().greenMail().getManagers().getImapHostManager()
                    .getInbox(m365.mailServer().createMailbox(mailbox));
        } catch (com.icegreen.greenmail.store.FolderException e) {
            throw new IllegalStateException(e);
        }
        List<String> out = new ArrayList<>();
        for (StoredMessage m : inbox.getMessages()) {
            if (m.isSet(Flags.Flag.SEEN)) {
                out.add(InboundStandIn.subject(m));
            }
        }
        return out;
    }
}
