package org.imapra.standin;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** {@code dovecot -F -c FILE} as a child process, and {@code doveadm} for the same instance. */
final class DovecotProcess {
    /**
     * Runs {@code dovecot -F} and stops it when this JVM closes the pipe on the shell's standard input, in
     * {@link #stop()} or by dying in any way (even {@code kill -9}), so that no Dovecot outlives its test run.
     */
    private static final String WATCHDOG = "exec 3<&0; \"$0\" -F -c \"$1\" </dev/null & d=$!; "
            + "(read -r _ <&3; kill -TERM $d 2>/dev/null) & wait $d";

    private final Path config;
    private final Path output;
    private final String doveadm;
    private final Process process;

    /** Starts Dovecot; fails with {@link DovecotServer#INSTALL_HINT} if it is not installed. */
    DovecotProcess(Path config, Path output) throws IOException {
        String dovecot = executable();
        this.config = config;
        this.output = output;
        doveadm = find("doveadm", searchPath()).map(Path::toString).orElse("doveadm");
        process = new ProcessBuilder("sh", "-c", WATCHDOG, dovecot, config.toString())
                .redirectErrorStream(true).redirectOutput(output.toFile()).start();
    }

    /** Waits until the port accepts connections; else stops Dovecot and fails with its output and {@code log}. */
    void awaitListening(int port, Duration timeout, Path log) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!ListeningSockets.isListeningOnIpv4Loopback(port)) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                String why = process.isAlive() ? "not listening on " + port + " after " + timeout
                        : "exited with " + process.exitValue();
                stop();
                throw new IOException("Dovecot did not start: " + why + "\n" + read(output) + "\n" + read(log));
            }
            sleep(20);
        }
    }

    record DoveadmResult(int exit, String output) {
    }

    /** Runs {@code doveadm -c FILE args...}; returns its exit status and output. */
    DoveadmResult doveadm(String... args) {
        List<String> command = new ArrayList<>(List.of(doveadm, "-c", config.toString()));
        command.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("doveadm " + String.join(" ", args) + " hangs: " + out);
            }
            return new DoveadmResult(p.exitValue(), out);
        } catch (IOException e) {
            throw new IllegalStateException("Cannot run " + doveadm, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    synchronized void stop() {
        if (!process.isAlive()) {
            return;
        }
        List<ProcessHandle> children = process.descendants().toList();
        try {
            process.getOutputStream().close(); // the watchdog sends SIGTERM: the master stops its processes
            // about 1 s; a login process started during the shutdown can hold the master 5 s more: not worth waiting
            if (!process.waitFor(3, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (IOException e) {
            process.destroyForcibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        children.forEach(ProcessHandle::destroyForcibly);
        process.descendants().forEach(ProcessHandle::destroyForcibly);
    }

    /** {@code dovecot} on the PATH or in /usr/sbin, with the IMAP server next to it; else the install hint. */
    static String executable() {
        return executable(searchPath(),
                List.of("/usr/lib/dovecot/imap", "/usr/libexec/dovecot/imap", "/usr/local/libexec/dovecot/imap"));
    }

    static String executable(List<String> searchPath, List<String> imapServers) {
        Path found = find("dovecot", searchPath)
                .orElseThrow(() -> new IllegalStateException(DovecotServer.INSTALL_HINT));
        if (imapServers.stream().noneMatch(p -> Files.isExecutable(Path.of(p)))) {
            throw new IllegalStateException(DovecotServer.INSTALL_HINT + " (" + found
                    + " is there, its imap server is not)");
        }
        return found.toString();
    }

    private static List<String> searchPath() {
        return Stream.concat(Stream.of(System.getenv().getOrDefault("PATH", "").split(":")),
                Stream.of("/usr/sbin", "/usr/bin", "/usr/local/sbin", "/usr/local/bin")).filter(p -> !p.isBlank())
                .toList();
    }

    private static Optional<Path> find(String name, List<String> searchPath) {
        return searchPath.stream().map(p -> Path.of(p, name)).filter(Files::isExecutable).findFirst();
    }

    static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(cannot read " + file + ": " + e + ")";
        }
    }

    private static void sleep(long millis) throws IOException {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("Interrupted while Dovecot started", e);
        }
    }
}
