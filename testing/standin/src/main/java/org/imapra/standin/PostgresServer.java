package org.imapra.standin;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A private PostgreSQL cluster for tests, from Debian's packages ({@code /usr/lib/postgresql/<n>/bin}): its own
 * data directory under {@code baseDir}, 127.0.0.1 and a free port, trust authentication for the user
 * {@value #USER}, no fsync. PostgreSQL refuses to run as root: when this process is root, every command runs as the
 * system user {@code postgres} (created if missing). {@link #close()} (or JVM exit) stops it and deletes the
 * directory; the system's own PostgreSQL service is never used.
 */
public final class PostgresServer implements AutoCloseable {

    public static final String INSTALL_HINT = "PostgreSQL is not installed: the tests of the shared definitions store "
            + "need Debian's PostgreSQL server (apt-get install -y postgresql)";
    public static final String USER = "imapra";
    private static final String OS_USER = "postgres";

    private final Path bin;
    private final Path dir;
    private final int port;
    private final Thread shutdownHook;
    private boolean stopped;

    private PostgresServer(Path baseDir) throws IOException, InterruptedException {
        bin = binaries();
        Files.createDirectories(baseDir);
        dir = Files.createTempDirectory(baseDir.toAbsolutePath(), "postgres-");
        port = freePort();
        try {
            initAndStart();
        } catch (IOException | InterruptedException | RuntimeException e) {
            deleteTree(dir); // a failed start leaves nothing behind
            throw e;
        }
        shutdownHook = new Thread(this::stop, "postgres-stand-in-stop");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    private void initAndStart() throws IOException, InterruptedException {
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        boolean root = "root".equals(System.getProperty("user.name"));
        if (root) {
            ensureOsUser();
            run(List.of("chown", OS_USER, dir.toString()), false, Duration.ofSeconds(20));
        }
        Path data = dir.resolve("data");
        run(List.of(bin.resolve("initdb").toString(), "-D", data.toString(), "-U", USER, "-A", "trust",
                "--no-sync", "-E", "UTF8", "--locale=C"), root, Duration.ofSeconds(120));
        // TCP only: a Unix socket in the data directory's tree would fail to start in a deep checkout (a socket
        // path has at most 107 bytes), and the tests connect to 127.0.0.1 anyway
        Path log = dir.resolve("server.log");
        try {
            run(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-l", log.toString(), "-w", "-t",
                    "60", "-o", "-p " + port + " -c unix_socket_directories='' -c listen_addresses=127.0.0.1 "
                    + "-c fsync=off -c synchronous_commit=off -c full_page_writes=off", "start"), root,
                    Duration.ofSeconds(90));
        } catch (IOException e) {
            throw new IOException(e.getMessage() + "; the end of " + log + ":\n" + tail(log), e);
        }
    }

    /**
     * Starts a cluster with its data directory under {@code baseDir} (e.g. the module's {@code target/});
     * fails with {@link #INSTALL_HINT} when PostgreSQL is missing.
     */
    public static PostgresServer start(Path baseDir) {
        try {
            return new PostgresServer(baseDir);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start PostgreSQL", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting PostgreSQL", e);
        }
    }

    public int port() {
        return port;
    }

    /** A new, empty database; its JDBC URL. */
    public String createDatabase() {
        String name = "db_" + UUID.randomUUID().toString().replace("-", "");
        try {
            run(List.of(bin.resolve("createdb").toString(), "-h", "127.0.0.1", "-p", String.valueOf(port), "-U",
                    USER, name), false, Duration.ofSeconds(60));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create a database", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return jdbcUrl(name);
    }

    /** {@code jdbc:postgresql://127.0.0.1:<port>/<database>?user=imapra} */
    public String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database + "?user=" + USER;
    }

    @Override
    public void close() {
        stop();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException exiting) {
            // the hook runs now
        }
    }

    private synchronized void stop() {
        if (stopped) {
            return;
        }
        stopped = true;
        try {
            run(List.of(bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-m", "immediate",
                    "-w", "stop"), "root".equals(System.getProperty("user.name")), Duration.ofSeconds(60));
        } catch (IOException e) {
            System.err.println("PostgreSQL stand-in did not stop cleanly: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        deleteTree(dir);
    }

    /** Deletes the cluster's directory (after a stop, or a start that failed). */
    private static void deleteTree(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            System.err.println("Cannot delete " + dir + ": " + e.getMessage());
        }
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "(unreadable: " + e.getMessage() + ")";
        }
    }

    /** The newest {@code /usr/lib/postgresql/<n>/bin} with initdb. */
    static Path binaries() throws IOException {
        Path root = Path.of("/usr/lib/postgresql");
        if (Files.isDirectory(root)) {
            try (Stream<Path> versions = Files.list(root)) {
                var found = versions.map(v -> v.resolve("bin")).filter(b -> Files.isExecutable(b.resolve("initdb")))
                        .max(Comparator.comparing(b -> b.getParent().getFileName().toString(),
                                Comparator.comparingInt(PostgresServer::major)));
                if (found.isPresent()) {
                    return found.get();
                }
            }
        }
        throw new IOException(INSTALL_HINT + " (no initdb under " + root + ")");
    }

    private static int major(String name) {
        try {
            return Integer.parseInt(name.replaceAll("\\..*", ""));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static void ensureOsUser() throws IOException, InterruptedException {
        if (new ProcessBuilder("id", "-u", OS_USER).redirectErrorStream(true).start().waitFor() == 0) {
            return;
        }
        run(List.of("useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", OS_USER), false,
                Duration.ofSeconds(30));
    }

    private static void run(List<String> command, boolean asPostgres, Duration timeout)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        if (asPostgres) {
            cmd.addAll(List.of("runuser", "-u", OS_USER, "--"));
        }
        cmd.addAll(command);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes(); // the commands here end on their own (pg_ctl -w)
        if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            p.destroyForcibly();
            throw new IOException(String.join(" ", command) + " did not end within " + timeout);
        }
        if (p.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed (exit " + p.exitValue() + "): "
                    + new String(out, java.nio.charset.StandardCharsets.UTF_8).strip());
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
