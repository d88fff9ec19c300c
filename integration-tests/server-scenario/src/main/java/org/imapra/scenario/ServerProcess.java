package org.imapra.scenario;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * An application server as a child process: output to a log file, readiness by polling, and a stop that leaves
 * nothing behind (the server's own stop first, then SIGTERM and finally SIGKILL to every process of its tree). A JVM
 * shutdown hook stops it too, should the test JVM end without {@link #close()}.
 */
public final class ServerProcess implements AutoCloseable {

    private final String name;
    private final Process process;
    private final Path log;
    private final Set<ProcessHandle> tree = new HashSet<>();
    private final Thread hook;
    private volatile Runnable gracefulStop = () -> { };

    private ServerProcess(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
        this.hook = new Thread(this::kill, name + "-stop");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    public static ServerProcess start(String name, List<String> command, Map<String, String> env, Path workDir,
            Path log) throws IOException {
        Files.deleteIfExists(log);
        ProcessBuilder pb = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        pb.environment().putAll(env);
        Process p = pb.start();
        p.getOutputStream().close();
        System.out.println("Started " + name + " (pid " + p.pid() + "): " + String.join(" ", command));
        return new ServerProcess(name, p, log);
    }

    /** What to run before the signals, e.g. the server's own stop command. */
    public ServerProcess gracefulStop(Runnable stop) {
        this.gracefulStop = stop;
        return this;
    }

    /** Waits until {@code missing} answers {@code null}; fails with the log's end if the server exits or is late. */
    public void awaitReady(Duration timeout, Supplier<String> missing) throws InterruptedException {
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        String last = "no answer yet";
        while (System.nanoTime() < deadline) {
            remember();
            if (!process.isAlive()) {
                throw new AssertionError(name + " exited during start (" + process.exitValue() + "). End of " + log
                        + ":\n" + tail(60));
            }
            String m = missing.get();
            if (m == null) {
                System.out.println(name + " ready after " + Duration.ofNanos(System.nanoTime() - start).toSeconds()
                        + " s");
                return;
            }
            last = m;
            Thread.sleep(1000);
        }
        throw new AssertionError(name + " not ready within " + timeout.toSeconds() + " s (" + last + "). End of "
                + log + ":\n" + tail(60));
    }

    private void remember() {
        tree.add(process.toHandle());
        process.descendants().forEach(tree::add);
    }

    public List<String> logLines() {
        try {
            return Files.readAllLines(log, StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            return List.of();
        }
    }

    public String tail(int count) {
        List<String> all = logLines();
        return String.join("\n", all.subList(Math.max(0, all.size() - count), all.size()));
    }

    /**
     * Stops the server and its whole process tree: the graceful stop (if any), then SIGTERM to what is still alive,
     * then SIGKILL after {@code timeout}. True if it ended without SIGKILL.
     */
    public boolean stop(Duration timeout) {
        remember();
        try {
            gracefulStop.run();
        } catch (RuntimeException e) {
            System.out.println(name + ": graceful stop failed: " + e);
        }
        boolean graceful = true;
        try {
            if (process.isAlive()) {
                process.toHandle().destroy();
                graceful = process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            graceful = false;
        }
        kill();
        return graceful;
    }

    private void kill() {
        remember();
        for (ProcessHandle h : tree) {
            if (h.isAlive()) {
                h.destroyForcibly();
            }
        }
        for (ProcessHandle h : tree) {
            try {
                h.onExit().get(10, TimeUnit.SECONDS);
            } catch (Exception ignored) {
                // reported by leftovers()
            }
        }
    }

    /** The server's processes (so far). */
    public List<ProcessHandle> processes() {
        remember();
        return tree.stream().filter(ProcessHandle::isAlive).toList();
    }

    /** Processes of the tree still alive (none after {@link #stop}). */
    public List<ProcessHandle> leftovers() {
        return tree.stream().filter(ProcessHandle::isAlive).toList();
    }

    @Override
    public void close() {
        stop(Duration.ofSeconds(30));
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs anyway
        }
    }
}
