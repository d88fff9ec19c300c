package org.imapra.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;
import org.imapra.inbound.ImapActivationSpec;
import org.imapra.outbound.ImapManagedConnectionFactory;
import org.imapra.standin.LocalM365;

/** What every measure shares: quiet logging, factories and activation specs pointed at a stand-in. */
final class Bench {

    static final String MAILBOX = LocalM365.DEFAULT_MAILBOX;

    private Bench() {
    }

    /**
     * First thing in every JVM of the benchmarks: java.util.logging at WARNING (the adapter logs each activation at
     * INFO; GreenMail and MSAL log through SLF4J to JUL), so that only the harness prints; and
     * {@link StandInNoDelay#httpServer()}.
     */
    static void init() {
        StandInNoDelay.httpServer();
        Logger root = Logger.getLogger("");
        root.setLevel(Level.WARNING);
        for (var h : root.getHandlers()) {
            h.setLevel(Level.WARNING);
        }
        // keep strong references: LogManager holds loggers weakly
        QUIETED[0] = Logger.getLogger("com.icegreen");
        QUIETED[0].setLevel(Level.SEVERE);
        QUIETED[1] = Logger.getLogger("com.microsoft.aad.msal4j");
        QUIETED[1].setLevel(Level.SEVERE);
    }

    private static final Logger[] QUIETED = new Logger[2];

    /** A managed connection factory for the stand-in's mailbox (like the adapter tests' StandIn). */
    static ImapManagedConnectionFactory factory(LocalM365 m365) {
        return factory(m365.authorityHost(), m365.imapHost(), m365.imapsPort());
    }

    static ImapManagedConnectionFactory factory(String authorityHost, String imapHost, int imapPort) {
        ImapManagedConnectionFactory mcf = new ImapManagedConnectionFactory();
        mcf.setUserName(MAILBOX);
        mcf.setTenantId(LocalM365.DEFAULT_TENANT_ID);
        mcf.setClientId(LocalM365.DEFAULT_CLIENT_ID);
        mcf.setClientSecret(LocalM365.DEFAULT_CLIENT_SECRET);
        mcf.setAuthorityHost(authorityHost);
        mcf.setImapHost(imapHost);
        mcf.setImapPort(imapPort);
        mcf.setConnectTimeoutMillis(10_000);
        mcf.setReadTimeoutMillis(60_000);
        mcf.setMaxConnectionsPerMailbox(10_000); // the stand-in has no connection limit: measure the pool, not the budget
        return mcf;
    }

    /** An inline activation spec for the stand-in's mailbox: INBOX, MARK_SEEN, default batch size and mode. */
    static ImapActivationSpec spec(String authorityHost, String imapHost, int imapPort) {
        ImapActivationSpec spec = new ImapActivationSpec();
        spec.setUserName(MAILBOX);
        spec.setTenantId(LocalM365.DEFAULT_TENANT_ID);
        spec.setClientId(LocalM365.DEFAULT_CLIENT_ID);
        spec.setClientSecret(LocalM365.DEFAULT_CLIENT_SECRET);
        spec.setAuthorityHost(authorityHost);
        spec.setImapHost(imapHost);
        spec.setImapPort(imapPort);
        spec.setConnectTimeoutMillis(10_000);
        spec.setReadTimeoutMillis(60_000);
        spec.setRetryBackoffMillis(200L);
        spec.setMaxRetryBackoffMillis(2_000L);
        return spec;
    }

    static ImapActivationSpec spec(LocalM365 m365) {
        return spec(m365.authorityHost(), m365.imapHost(), m365.imapsPort());
    }

    static Path tempDir(String prefix) {
        try {
            return Files.createTempDirectory(prefix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Deletes a directory tree; never throws. */
    static void deleteTree(Path dir) {
        if (dir == null) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | RuntimeException e) {
            // temporary files only
        }
    }

    /** Copies a directory's files into {@code to} (created); never throws. */
    static void copyTree(Path from, Path to) {
        try (Stream<Path> s = Files.list(from)) {
            Files.createDirectories(to);
            for (Path f : s.toList()) {
                Files.copy(f, to.resolve(f.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException | RuntimeException e) {
            System.err.println("cannot copy " + from + " to " + to + ": " + e);
        }
    }

    /** Sleeps; an interrupt ends the benchmark. */
    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** The stand-in with the default tenant, app and mailbox, with {@link StandInNoDelay} applied. */
    static LocalM365 startStandIn() {
        return StandInNoDelay.apply(LocalM365.startDefault());
    }

    static void progress(String line) {
        System.out.println("  .. " + line);
        System.out.flush();
    }
}
