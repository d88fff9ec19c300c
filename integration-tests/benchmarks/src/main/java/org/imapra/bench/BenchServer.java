package org.imapra.bench;

import com.icegreen.greenmail.store.MailFolder;
import jakarta.mail.Folder;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.IntFunction;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.eclipse.angus.mail.imap.IMAPStore;
import org.imapra.standin.DovecotServer;
import org.imapra.standin.LocalM365;

/**
 * The IMAP server a measure runs against: Dovecot 2.3 (a private instance of the stand-in's {@link DovecotServer}:
 * TLS, XOAUTH2 validated against the stand-in's token signing key) or GreenMail (the stand-in's own IMAPS). Both
 * take tokens from the same {@link LocalM365} token endpoint. Filling goes around IMAP: Maildir files for Dovecot
 * (written first, then moved into {@code new/} at once), GreenMail's store for GreenMail.
 */
abstract class BenchServer implements AutoCloseable {

    /** A second mailbox, watched by the MDB in Payara Micro (P3). */
    static final String MDB_MAILBOX = "mdb@" + LocalM365.DEFAULT_DOMAIN;

    final LocalM365 m365;
    /** Whether {@link #close()} closes the stand-in too (else it is shared and closed by its owner). */
    private final boolean ownsStandIn;
    IMAPStore checker;

    private BenchServer(LocalM365 m365, boolean ownsStandIn) {
        this.m365 = m365;
        this.ownsStandIn = ownsStandIn;
    }

    /** {@code dovecot}, {@code greenmail} or {@code both} (Dovecot first). */
    static List<String> names(String option) {
        return switch (option.toLowerCase(Locale.ROOT)) {
            case "both" -> List.of("dovecot", "greenmail");
            case "dovecot", "greenmail" -> List.of(option.toLowerCase(Locale.ROOT));
            default -> throw new IllegalArgumentException("--server dovecot|greenmail|both, not " + option);
        };
    }

    /** The server with a stand-in of its own (closed with it). */
    static BenchServer start(String name) {
        return start(name, Bench.startStandIn(), true);
    }

    /** The servers, sharing one stand-in (one token endpoint and CA); the caller closes {@code m365} at the end. */
    static List<BenchServer> startAll(List<String> names, LocalM365 m365) {
        return names.stream().map(n -> start(n, m365, false)).toList();
    }

    private static BenchServer start(String name, LocalM365 m365, boolean owns) {
        m365.mailServer().createMailbox(MDB_MAILBOX);
        if (name.equals("greenmail")) {
            return new GreenMail(m365, owns);
        }
        return new Dovecot(m365, DovecotServer.start(m365, true, LocalM365.DEFAULT_MAILBOX, MDB_MAILBOX), owns);
    }

    /** {@code dovecot} or {@code greenmail}. */
    String name() {
        return title().toLowerCase(Locale.ROOT);
    }

    /** "Dovecot" or "GreenMail". */
    abstract String title();

    abstract String imapHost();

    abstract int imapsPort();

    String authorityHost() {
        return m365.authorityHost();
    }

    /** Messages a folder may hold at once without measuring the server (GreenMail is O(n²) in the folder size). */
    abstract int round();

    /** Empties every mailbox (call it while no session is open on it). */
    abstract void purge();

    /** Puts {@code n} messages into the mailbox's INBOX; returns what makes them visible at once. */
    abstract Runnable stage(String mailbox, int n, IntFunction<MimeMessage> message);

    void fill(String mailbox, int n, IntFunction<MimeMessage> message) {
        stage(mailbox, n, message).run();
    }

    /** Commands received by the server since {@link #resetCommandCounts()}, by name. */
    abstract Map<String, Long> commandCounts();

    abstract void resetCommandCounts();

    /** When the first command since {@link #resetCommandCounts()} came (not the harness' own), epoch ms; or -1. */
    long firstCommandMillis() {
        return -1;
    }

    /** Unseen messages in the mailbox's INBOX. */
    abstract int unseen(String mailbox) throws MessagingException;

    /** Waits until this many sessions are open (IMAPS connections); false after 10 s. */
    abstract boolean awaitSessions(int n) throws InterruptedException;

    @Override
    public void close() {
        if (checker != null) {
            HandWritten.closeQuietly(checker);
        }
        if (ownsStandIn) {
            m365.close();
        }
    }

    /** STATUS on a connection of its own, kept open: how many are unseen (Dovecot). */
    int statusUnseen(String mailbox) throws MessagingException {
        if (checker == null || !checker.isConnected()) {
            checker = HandWritten.connect(imapHost(), imapsPort(), mailbox,
                    HandWritten.msal(authorityHost()).token());
        }
        IMAPFolder inbox = (IMAPFolder) checker.getFolder("INBOX");
        return (Integer) inbox.doCommand(p -> p.status("INBOX", new String[] {"UNSEEN"}).unseen);
    }

    private static final class Dovecot extends BenchServer {
        private final DovecotServer dovecot;
        private String checkedMailbox;

        Dovecot(LocalM365 m365, DovecotServer dovecot, boolean owns) {
            super(m365, owns);
            this.dovecot = dovecot;
        }

        @Override
        String title() {
            return "Dovecot";
        }

        @Override
        String imapHost() {
            return dovecot.host();
        }

        @Override
        int imapsPort() {
            return dovecot.imapsPort();
        }

        @Override
        int round() {
            return Integer.MAX_VALUE;
        }

        @Override
        void purge() {
            closeChecker();
            dovecot.deleteAllMailboxes();
            dovecot.createMailbox(LocalM365.DEFAULT_MAILBOX);
            dovecot.createMailbox(MDB_MAILBOX);
        }

        @Override
        Runnable stage(String mailbox, int n, IntFunction<MimeMessage> message) {
            return dovecot.stage(mailbox, n, i -> DovecotServer.bytes(message.apply(i)));
        }

        @Override
        Map<String, Long> commandCounts() {
            Map<String, Long> counts = new java.util.TreeMap<>(dovecot.commandCounts());
            counts.remove("STATUS"); // the harness' own checks (unseen); no measured loop sends STATUS
            return counts;
        }

        @Override
        void resetCommandCounts() {
            dovecot.resetCommandCounts();
        }

        @Override
        long firstCommandMillis() {
            return dovecot.firstCommandMillis(java.util.Set.of("STATUS", "NOOP", "LOGOUT"));
        }

        @Override
        int unseen(String mailbox) throws MessagingException {
            if (!mailbox.equals(checkedMailbox)) {
                closeChecker();
                checkedMailbox = mailbox;
            }
            return statusUnseen(mailbox);
        }

        private void closeChecker() {
            if (checker != null) {
                HandWritten.closeQuietly(checker);
                checker = null;
            }
        }

        @Override
        boolean awaitSessions(int n) throws InterruptedException {
            return dovecot.awaitOpenSessionCount(n, java.time.Duration.ofSeconds(10));
        }

        @Override
        public void close() {
            closeChecker();
            String keep = System.getProperty("imapra.bench.keepRawlog"); // a directory: for profiling
            if (keep != null) {
                Bench.copyTree(dovecot.rawlogDirectory(), java.nio.file.Path.of(keep));
            }
            dovecot.close();
            super.close();
        }
    }

    private static final class GreenMail extends BenchServer {
        GreenMail(LocalM365 m365, boolean owns) {
            super(m365, owns);
        }

        @Override
        String title() {
            return "GreenMail";
        }

        @Override
        String imapHost() {
            return m365.imapHost();
        }

        @Override
        int imapsPort() {
            return m365.imapsPort();
        }

        @Override
        int round() {
            return 100;
        }

        @Override
        void purge() {
            Mails.purge(m365);
        }

        @Override
        Runnable stage(String mailbox, int n, IntFunction<MimeMessage> message) {
            for (int i = 0; i < n; i++) {
                m365.mailServer().deliver(mailbox, message.apply(i));
            }
            return () -> { };
        }

        @Override
        Map<String, Long> commandCounts() {
            return m365.mailServer().commandCounts();
        }

        @Override
        void resetCommandCounts() {
            m365.mailServer().resetCommandCounts();
        }


        @Override
        int unseen(String mailbox) {
            MailFolder inbox = Mails.inbox(m365, mailbox);
            return inbox.getUnseenCount();
        }

        @Override
        boolean awaitSessions(int n) throws InterruptedException {
            long end = System.currentTimeMillis() + 10_000;
            while (m365.mailServer().authenticatedSessionCount() < n && System.currentTimeMillis() < end) {
                Thread.sleep(10);
            }
            return m365.mailServer().authenticatedSessionCount() >= n;
        }
    }
}
