package org.imapra.outbound;

import java.time.Duration;
import org.imapra.standin.DovecotServer;
import org.imapra.standin.LocalM365;
import org.imapra.standin.StandInMailServer;

/** The IMAP server a protocol test runs against: the stand-in's GreenMail or a private Dovecot. */
interface ImapBackend extends AutoCloseable {

    String name();

    String host();

    int port();

    void createMailbox(String address);

    void grant(String clientId, String address);

    void deliver(String to, String subject, String body);

    void createFolder(String address, String folder) throws Exception;

    /** Empties every mailbox (the default one stays, granted to the default app). */
    void reset() throws Exception;

    int openSessionCount();

    /** The server ends every session of the mailbox with a BYE (GreenMail: token expired; Dovecot: kick). */
    void endSessions(String address);

    boolean awaitOpenSessionCount(int expected, Duration timeout) throws InterruptedException;

    /** What a failing test prints: Dovecot's log; nothing for GreenMail. */
    default String diagnostics() {
        return name() + ": no server log";
    }

    @Override
    default void close() {
    }

    /** {@code m365}'s own GreenMail. */
    static ImapBackend greenMail(LocalM365 m365) {
        StandInMailServer s = m365.mailServer();
        return new ImapBackend() {
            public String name() {
                return "GreenMail";
            }

            public String host() {
                return s.host();
            }

            public int port() {
                return s.imapsPort();
            }

            public void createMailbox(String address) {
                s.createMailbox(address);
            }

            public void grant(String clientId, String address) {
                s.grantMailbox(clientId, address);
            }

            public void deliver(String to, String subject, String body) {
                s.deliver(to, subject, body);
            }

            public void createFolder(String address, String folder) throws Exception {
                s.greenMail().getManagers().getImapHostManager().createMailbox(
                        s.greenMail().getUserManager().getUserByEmail(address), folder);
            }

            public void reset() throws Exception {
                s.greenMail().purgeEmailFromAllMailboxes();
            }

            public int openSessionCount() {
                return s.openSessionCount();
            }

            public void endSessions(String address) {
                s.invalidateAllSessions();
            }

            public boolean awaitOpenSessionCount(int expected, Duration timeout) throws InterruptedException {
                return s.awaitOpenSessionCount(expected, timeout);
            }
        };
    }

    /** A Dovecot started for {@code m365}'s tokens, with the default mailbox granted to the default app. */
    static ImapBackend dovecot(LocalM365 m365) {
        DovecotServer d = DovecotServer.start(m365, LocalM365.DEFAULT_MAILBOX);
        return new ImapBackend() {
            public String name() {
                return "Dovecot";
            }

            public String host() {
                return d.host();
            }

            public int port() {
                return d.imapsPort();
            }

            public void createMailbox(String address) {
                d.createMailbox(address);
            }

            public void grant(String clientId, String address) {
                d.grantMailbox(clientId, address);
            }

            public void deliver(String to, String subject, String body) {
                d.deliver(to, subject, body);
            }

            public void createFolder(String address, String folder) throws Exception {
                d.createFolder(address, folder);
            }

            public void reset() throws Exception {
                d.deleteAllMailboxes();
                d.createMailbox(LocalM365.DEFAULT_MAILBOX);
            }

            public int openSessionCount() {
                return d.openSessionCount();
            }

            public void endSessions(String address) {
                // doveadm kick only signals the sessions: wait until Dovecot has none left for the mailbox, so a
                // command sent next cannot be answered by a session that has not ended yet (seen on a busy machine)
                long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                boolean kicked = d.kick(address);
                while (kicked && System.nanoTime() < deadline) {
                    sleep(20);
                    kicked = d.kick(address);
                }
                if (kicked) {
                    throw new AssertionError("Dovecot still has sessions of " + address + " 10 s after kicking them");
                }
            }

            public boolean awaitOpenSessionCount(int expected, Duration timeout) throws InterruptedException {
                return d.awaitOpenSessionCount(expected, timeout);
            }

            @Override
            public String diagnostics() {
                return "Dovecot log (" + d.logFile() + "):\n" + d.log();
            }

            @Override
            public void close() {
                d.close();
            }
        };
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
