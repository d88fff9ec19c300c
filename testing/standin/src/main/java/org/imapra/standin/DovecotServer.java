package org.imapra.standin;

import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A private Dovecot 2.3 ({@code dovecot-imapd}) as Exchange Online's IMAP side, next to {@link StandInMailServer}:
 * IMAPS only, on 127.0.0.1 and a free port, with the {@link LocalCertificates} server certificate; SASL XOAUTH2 and
 * OAUTHBEARER only, through Dovecot's {@code oauth2} passdb validating the token locally against the
 * {@link EntraTokenEndpoint}'s signing key: signature, {@code exp}/{@code nbf}, the tenants' {@code iss},
 * {@code aud} = {@code https://outlook.office365.com} and the {@code IMAP.AccessAsApp} role; then a second passdb
 * requires that the token's app ({@code azp}) was granted the mailbox ({@link #grantMailbox}). A delegated token
 * ({@code aud} {@code https://outlook.office.com}, {@code IMAP.AccessAsUser.All}) opens its {@code upn}'s mailbox.
 *
 * <p>Runs {@code dovecot -F -c FILE} as a child process with its configuration, state, sockets, log and Maildirs in
 * one temporary directory; the system's {@code /etc/dovecot} and its service are never used. {@link #close()} (or
 * JVM exit) stops it and deletes the directory.
 */
public final class DovecotServer implements AutoCloseable {
    /** What to install when Dovecot is missing. */
    public static final String INSTALL_HINT = "Dovecot is not installed: the tests against a real IMAP server need"
            + " Debian's dovecot-imapd (apt-get install -y dovecot-imapd; it brings dovecot-core)";

    private final Path dir;
    private final DovecotConfig config;
    private final MaildirStore mail;
    private final EntraTokenEndpoint tokens;
    private final int port;
    private final DovecotProcess process;
    private final Thread shutdownHook;
    private final DovecotRawlog rawlog;

    private DovecotServer(LocalCertificates certificates, EntraTokenEndpoint tokens, boolean recordCommands)
            throws IOException {
        this.tokens = tokens;
        DovecotProcess.executable(); // fail before anything is written
        dir = Files.createTempDirectory("imapra-dovecot-");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        DovecotConfig.Users users = DovecotConfig.Users.forThisProcess(dir);
        config = new DovecotConfig(dir, users);
        mail = new MaildirStore(config.mailRoot(), users.mail(), users.mailGroup());
        port = freePort();
        rawlog = recordCommands ? new DovecotRawlog(dir.resolve("rawlog")) : null;
        if (rawlog != null) {
            config.rawlog(rawlog.dir());
        }
        config.write(port, certificates, tokens.issuer(),
                tokens.directory().tenants().stream().map(t -> TokenIssuer.issuer(t.id())).toList(),
                tokens.directory().apps().stream().map(AppRegistration::clientId).toList());
        process = new DovecotProcess(config.file(), dir.resolve("dovecot.out"));
        shutdownHook = new Thread(this::stop, "dovecot-stand-in-stop");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
        process.awaitListening(port, Duration.ofSeconds(30), config.log());
    }

    /** Starts Dovecot validating tokens of {@code tokens}; fails with {@link #INSTALL_HINT} if it is missing. */
    public static DovecotServer start(LocalCertificates certificates, EntraTokenEndpoint tokens) {
        return start(certificates, tokens, false);
    }

    private static DovecotServer start(LocalCertificates certificates, EntraTokenEndpoint tokens,
                                       boolean recordCommands) {
        try {
            return new DovecotServer(certificates, tokens, recordCommands);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start Dovecot", e);
        }
    }

    /** Starts Dovecot for {@code m365}'s tokens and certificates, with its mailboxes and their grants. */
    public static DovecotServer start(LocalM365 m365, String... mailboxesGrantedToDefaultApp) {
        return start(m365, false, mailboxesGrantedToDefaultApp);
    }

    /**
     * Like {@link #start(LocalM365, String...)}; with {@code recordCommands} every session's commands after login are
     * recorded (Dovecot's rawlog) for {@link #commandCounts()}.
     */
    public static DovecotServer start(LocalM365 m365, boolean recordCommands,
                                      String... mailboxesGrantedToDefaultApp) {
        DovecotServer d = start(m365.certificates(), m365.tokens(), recordCommands);
        for (String m : mailboxesGrantedToDefaultApp) {
            d.createMailbox(m);
            d.grantMailbox(LocalM365.DEFAULT_CLIENT_ID, m);
        }
        return d;
    }

    public String host() {
        return "localhost";
    }

    public int imapsPort() {
        return port;
    }

    /** Subjects of the mailbox's INBOX messages flagged {@code \Seen} (read from the Maildir, no login). */
    public java.util.List<String> seenSubjects(String address) {
        return mail.seenSubjects(address);
    }

    /** Creates a mailbox (its Maildir INBOX) if missing. Nobody can log in to it without a grant. */
    public void createMailbox(String address) {
        mail.createMailbox(address);
    }

    /** Creates a folder in an existing mailbox ({@code /} separates levels). */
    public void createFolder(String address, String folder) {
        mail.createFolder(address, folder);
    }

    /** Like {@code Add-MailboxPermission}: tokens of this app may open the mailbox. */
    public void grantMailbox(String clientId, String address) {
        config.addSigningKey(tokens.issuer(), clientId);
        config.grant(clientId, address, true);
    }

    public void revokeMailbox(String clientId, String address) {
        config.grant(clientId, address, false);
    }

    /** Puts a plain-text message into the mailbox's INBOX, as {@link StandInMailServer#deliver} does. */
    public void deliver(String to, String subject, String body) {
        deliver(to, StandInMessages.plain(to, subject, body));
    }

    public void deliver(String to, MimeMessage message) {
        mail.deliver(to, bytes(message));
    }

    /**
     * Writes messages into the mailbox's {@code tmp/} and returns what moves them all into {@code new/} at once, in
     * order (so the server sees {@code count} messages appear within milliseconds: filling is not timed with them).
     */
    public Runnable stage(String to, int count, java.util.function.IntFunction<byte[]> rfc822) {
        java.util.List<Path> staged = new java.util.ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            staged.add(mail.stage(to, rfc822.apply(i)));
        }
        return () -> staged.forEach(f -> mail.publish(to, f));
    }

    /** Raw RFC 822 bytes of a message, as {@link #deliver(String, MimeMessage)} writes them. */
    public static byte[] bytes(MimeMessage message) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            message.writeTo(bytes);
            return bytes.toByteArray();
        } catch (IOException | MessagingException e) {
            throw new IllegalStateException("Cannot write the message", e);
        }
    }

    /** Commands received after login since {@link #resetCommandCounts()}, by name (needs {@code recordCommands}). */
    public java.util.Map<String, Long> commandCounts() {
        return requireRawlog().counts();
    }

    public void resetCommandCounts() {
        requireRawlog().reset();
    }

    /**
     * When the first command line (DONE included) since {@link #resetCommandCounts()} reached Dovecot, epoch ms,
     * leaving out the commands named in {@code ignored}; -1 if none did (needs {@code recordCommands}).
     */
    public long firstCommandMillis(java.util.Set<String> ignored) {
        return requireRawlog().firstLineMillis(ignored);
    }

    /** Where the rawlog files are (needs {@code recordCommands}). */
    public Path rawlogDirectory() {
        return requireRawlog().dir();
    }

    private DovecotRawlog requireRawlog() {
        if (rawlog == null) {
            throw new IllegalStateException("started without recordCommands");
        }
        return rawlog;
    }

    /**
     * Ends the mailbox's sessions ({@code doveadm kick}): each gets {@code * BYE Server shutting down.} and is
     * closed, Dovecot's counterpart of {@link StandInMailServer#invalidateAllSessions()}. Returns whether
     * there was any.
     */
    public boolean kick(String address) {
        DovecotProcess.DoveadmResult kick = process.doveadm("kick", address);
        if (kick.exit() != 0 && !kick.output().contains("no users kicked")) {
            throw new IllegalStateException("doveadm kick " + address + " failed: " + kick.output());
        }
        return kick.output().contains(" kicked connections");
    }

    /** Deletes every mailbox with its mail (call it while no session is open), e.g. between tests. */
    public void deleteAllMailboxes() {
        mail.deleteAll();
    }

    /**
     * IMAPS connections Dovecot has accepted and not yet closed, authenticated or not (read from
     * {@code /proc/net/tcp}: established or half-closed by the client).
     */
    public int openSessionCount() {
        try {
            return (int) ProcNetTcp.rows().stream().filter(r -> r.port() == port
                    && (r.state().equals(ProcNetTcp.ESTABLISHED) || r.state().equals(ProcNetTcp.CLOSE_WAIT))).count();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot count connections (Linux /proc/net/tcp)", e);
        }
    }

    /** Waits until {@link #openSessionCount()} equals {@code expected}; returns whether it did in time. */
    public boolean awaitOpenSessionCount(int expected, Duration timeout) throws InterruptedException {
        return Polling.await(() -> openSessionCount() == expected, timeout);
    }

    /** Dovecot's log: authentication results with their reasons ({@code oauth2 failed: Token has expired}). */
    public Path logFile() {
        return config.log();
    }

    public String log() {
        return DovecotProcess.read(config.log());
    }

    /** Waits until the log contains {@code text} (Dovecot writes it a moment after answering); returns whether. */
    public boolean awaitLog(String text, Duration timeout) throws InterruptedException {
        return Polling.await(() -> log().contains(text), timeout);
    }

    /** Stops Dovecot and deletes its directory. */
    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs anyway
        }
        stop();
    }

    private synchronized void stop() {
        process.stop();
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temp directory left behind is not worth failing a test for
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        }
    }
}
