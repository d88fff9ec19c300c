package org.imapra.standin;

import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A private Dovecot 2.3 ({@code dovecot-imapd}) as Exchange Online's IMAP side, next to {@link StandInMailServer}:
 * IMAPS only, on 127.0.0.1 and a free port, with the {@link LocalCertificates} server certificate; SASL XOAUTH2 and
 * OAUTHBEARER only, through Dovecot's {@code oauth2} passdb validating the token locally against the
 * {@link EntraTokenEndpoint}'s signing key: signature, {@code exp}/{@code nbf}, the tenants' {@code iss},
 * {@code aud} = {@code https://outlook.office365.com} and the {@code IMAP.AccessAsApp} role; then a second passdb
 * requires that the token's app ({@code azp}) was granted the mailbox ({@link #grantMailbox}).
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
    private final Process process;
    private final Thread shutdownHook;

    private DovecotServer(LocalCertificates certificates, EntraTokenEndpoint tokens) throws IOException {
        this.tokens = tokens;
        String dovecot = executable();
        dir = Files.createTempDirectory("imapra-dovecot-");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        DovecotConfig.Users users = DovecotConfig.Users.forThisProcess();
        config = new DovecotConfig(dir, users);
        mail = new MaildirStore(config.mailRoot(), users.mail(), users.mailGroup());
        port = freePort();
        config.write(port, certificates, tokens.issuer(),
                tokens.directory().tenants().stream().map(t -> TokenIssuer.issuer(t.id())).toList(),
                tokens.directory().apps().stream().map(AppRegistration::clientId).toList());
        process = new ProcessBuilder(dovecot, "-F", "-c", config.file().toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("dovecot.out").toFile()).start();
        shutdownHook = new Thread(this::stop, "dovecot-stand-in-stop");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
        awaitListening(Duration.ofSeconds(30));
    }

    /** Starts Dovecot validating tokens of {@code tokens}; fails with {@link #INSTALL_HINT} if it is missing. */
    public static DovecotServer start(LocalCertificates certificates, EntraTokenEndpoint tokens) {
        try {
            return new DovecotServer(certificates, tokens);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start Dovecot", e);
        }
    }

    /** Starts Dovecot for {@code m365}'s tokens and certificates, with its mailboxes and their grants. */
    public static DovecotServer start(LocalM365 m365, String... mailboxesGrantedToDefaultApp) {
        DovecotServer d = start(m365.certificates(), m365.tokens());
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
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            message.writeTo(bytes);
            mail.deliver(to, bytes.toByteArray());
        } catch (IOException | MessagingException e) {
            throw new IllegalStateException("Cannot write the message", e);
        }
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
        String local = String.format(":%04X", port);
        try (Stream<String> lines = Files.lines(Path.of("/proc/net/tcp"))) {
            return (int) lines.skip(1).map(String::trim).map(l -> l.split("\\s+"))
                    .filter(f -> f.length > 3 && f[1].endsWith(local) && (f[3].equals("01") || f[3].equals("08")))
                    .count();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot count connections (Linux /proc/net/tcp)", e);
        }
    }

    /** Waits until {@link #openSessionCount()} equals {@code expected}; returns whether it did in time. */
    public boolean awaitOpenSessionCount(int expected, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (openSessionCount() != expected) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(20);
        }
        return true;
    }

    /** Dovecot's log: authentication results with their reasons ({@code oauth2 failed: Token has expired}). */
    public Path logFile() {
        return config.log();
    }

    public String log() {
        try {
            return Files.readString(config.log(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    /** Waits until the log contains {@code text} (Dovecot writes it a moment after answering); returns whether. */
    public boolean awaitLog(String text, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!log().contains(text)) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(20);
        }
        return true;
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
        if (process.isAlive()) {
            List<ProcessHandle> children = process.descendants().toList();
            process.destroy(); // SIGTERM: the master stops its processes
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            children.forEach(ProcessHandle::destroyForcibly);
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temp directory left behind is not worth failing a test for
        }
    }

    private void awaitListening(Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
                return;
            } catch (IOException notYet) {
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    String why = (process.isAlive() ? "not listening on " + port + " after " + timeout
                            : "exited with " + process.exitValue()) + "\n" + output() + "\n" + log();
                    stop();
                    throw new IOException("Dovecot did not start: " + why);
                }
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("Interrupted while Dovecot started", e);
                }
            }
        }
    }

    private String output() {
        try {
            return Files.readString(dir.resolve("dovecot.out"));
        } catch (IOException e) {
            return "";
        }
    }

    /** {@code dovecot} on the PATH or in /usr/sbin, with the IMAP server next to it; else {@link #INSTALL_HINT}. */
    static String executable() {
        return executable(Stream.concat(Stream.of(System.getenv().getOrDefault("PATH", "").split(":")),
                Stream.of("/usr/sbin", "/usr/local/sbin")).filter(p -> !p.isBlank()).toList(),
                List.of("/usr/lib/dovecot/imap", "/usr/libexec/dovecot/imap", "/usr/local/libexec/dovecot/imap"));
    }

    static String executable(List<String> searchPath, List<String> imapServers) {
        Path found = searchPath.stream().map(p -> Path.of(p, "dovecot")).filter(Files::isExecutable)
                .findFirst().orElseThrow(() -> new IllegalStateException(INSTALL_HINT));
        if (imapServers.stream().noneMatch(p -> Files.isExecutable(Path.of(p)))) {
            throw new IllegalStateException(INSTALL_HINT + " (" + found + " is there, its imap server is not)");
        }
        return found.toString();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        }
    }
}
