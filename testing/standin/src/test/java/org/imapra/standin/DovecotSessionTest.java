package org.imapra.standin;

import static org.imapra.standin.LocalM365.DEFAULT_CLIENT_ID;
import static org.imapra.standin.LocalM365.DEFAULT_CLIENT_SECRET;
import static org.imapra.standin.LocalM365.DEFAULT_MAILBOX;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Sessions on the Dovecot backend: mail delivered during IDLE, an administrative BYE, and a clean stop. */
class DovecotSessionTest {
    static LocalM365 m365;
    static DovecotServer dovecot;
    @RegisterExtension
    static final DovecotLogOnFailure LOG = new DovecotLogOnFailure(() -> dovecot);

    @BeforeAll
    static void start() {
        m365 = LocalM365.startDefault();
        dovecot = DovecotServer.start(m365, true, DEFAULT_MAILBOX); // recording commands (rawlog)
    }

    @AfterAll
    static void stop() {
        try {
            dovecot.close();
        } finally {
            m365.close();
        }
    }

    ImapProbe loggedIn() throws IOException {
        ImapProbe imap = new ImapProbe(m365.certificates(), dovecot.host(), dovecot.imapsPort());
        String token = Http.token(m365.tokenEndpoint(), DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET);
        assertTrue(imap.authenticate("XOAUTH2", ImapProbe.xoauth2(DEFAULT_MAILBOX, token)).startsWith("OK "));
        return imap;
    }

    @Test
    void mailDeliveredDuringIdleIsAnnouncedAtOnce() throws Exception {
        try (ImapProbe imap = loggedIn()) {
            assertTrue(imap.command("SELECT INBOX").startsWith("OK"));
            int exists = imap.lines().stream().filter(l -> l.matches("\\* \\d+ EXISTS")).map(l -> l.split(" ")[1])
                    .mapToInt(Integer::parseInt).reduce((a, b) -> b).orElseThrow();
            assertEquals("+ idling", imap.start("IDLE"));
            long t0 = System.nanoTime();
            dovecot.deliver(DEFAULT_MAILBOX, "during idle", "hello");
            assertEquals("* " + (exists + 1) + " EXISTS", imap.next());
            long millis = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(millis < 5_000, "announced after " + millis + " ms");
            imap.write("DONE");
        }
    }

    /** The benchmarks' two helpers: commands counted from the rawlog, and mail staged to appear all at once. */
    @Test
    void commandsAreCountedAndStagedMailAppearsAtOnce() throws Exception {
        try (ImapProbe imap = loggedIn()) {
            Runnable publish = dovecot.stage(DEFAULT_MAILBOX, 3, i -> DovecotServer.bytes(
                    StandInMessages.plain(DEFAULT_MAILBOX, "staged " + i, "body")));
            dovecot.resetCommandCounts();
            assertTrue(imap.command("STATUS INBOX (MESSAGES)").startsWith("OK"));
            String before = imap.lines().stream().filter(l -> l.startsWith("* STATUS")).findFirst().orElseThrow();
            publish.run();
            assertTrue(imap.command("STATUS INBOX (MESSAGES)").startsWith("OK"));
            String after = imap.lines().stream().filter(l -> l.startsWith("* STATUS")).reduce((a, b) -> b)
                    .orElseThrow();
            int n0 = Integer.parseInt(before.replaceAll(".*MESSAGES (\\d+).*", "$1"));
            int n1 = Integer.parseInt(after.replaceAll(".*MESSAGES (\\d+).*", "$1"));
            assertEquals(n0 + 3, n1, before + " / " + after);
            assertTrue(Polling.await(() -> dovecot.commandCounts().getOrDefault("STATUS", 0L) == 2,
                    java.time.Duration.ofSeconds(10)), "counted: " + dovecot.commandCounts());
            assertTrue(dovecot.firstCommandMillis(java.util.Set.of()) > 0);
        }
    }

    @Test
    void kickEndsTheSessionWithBye() throws Exception {
        try (ImapProbe imap = loggedIn()) {
            assertTrue(imap.command("SELECT INBOX").startsWith("OK"));
            assertTrue(dovecot.kick(DEFAULT_MAILBOX));
            assertEquals("* BYE Server shutting down.", imap.next());
            assertThrows(IOException.class, imap::next, "closed after the BYE");
        }
        assertFalse(dovecot.kick(DEFAULT_MAILBOX), "nothing left to kick");
    }

    @Test
    void closeStopsDovecotAndRemovesItsFiles() throws Exception {
        DovecotServer second = DovecotServer.start(m365, DEFAULT_MAILBOX);
        int port = second.imapsPort();
        Path dir = second.logFile().getParent();
        assertTrue(instance(port, dir).size() >= 3, "master, log, config...: " + instance(port, dir));
        long t0 = System.nanoTime();
        second.close();
        long millis = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(millis < 5_000, "close took " + millis + " ms");
        assertThrows(IOException.class, () -> new Socket(InetAddress.getLoopbackAddress(), port).close());
        assertFalse(Files.exists(dir), dir + " is left");
        assertEquals(List.of(), instance(port, dir), "processes left");
    }

    /** The processes of the Dovecot on {@code port}: their titles name its instance, or their command its files. */
    static List<String> instance(int port, Path dir) {
        return ProcessHandle.allProcesses().filter(ProcessHandle::isAlive)
                .map(p -> p.pid() + " " + p.info().commandLine().orElse(""))
                .filter(c -> c.contains("imapra-standin-" + port + "/") || c.contains(dir.toString())).toList();
    }
}
