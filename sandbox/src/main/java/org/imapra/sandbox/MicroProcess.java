package org.imapra.sandbox;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Payara Micro as a child process, the way this project runs it on a developer machine: on loopback (HTTP listener,
 * data grid on a cluster of its own), its domain in a root directory of its own, output to a log file, boot command
 * files. Used by {@code ./run} ({@link Sandbox}) and by the benchmarks' in-container measure.
 */
public final class MicroProcess {

    /** The pre-boot command that binds the HTTP listener to 127.0.0.1 only. */
    public static final String HTTP_ON_LOOPBACK = "set configs.config.server-config.network-config.network-listeners"
            + ".network-listener.http-listener.address=127.0.0.1";

    /** Payara Micro logs this once the post-boot commands and deployments are done. */
    private static final String DEPLOYED = "Payara Micro URLs:";

    private final Process process;
    private final Path log;

    private MicroProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /** What to start: Payara Micro's jar, its root directory and log, and the options below. */
    public static Options options(Path microJar, Path rootDir, Path log) {
        return new Options(microJar, rootDir, log);
    }

    /** The launch options; {@link #start()} starts the process. */
    public static final class Options {
        private final Path microJar;
        private final Path rootDir;
        private final Path log;
        private final List<String> jvmOptions = new ArrayList<>();
        private final Map<String, String> systemProperties = new LinkedHashMap<>();
        private int port = 8080;
        private String clusterName = "imapra-" + ProcessHandle.current().pid();
        private Path preBoot;
        private Path postBoot;
        private int gridPort = 5900;
        private int gridMembers = 1;
        private String name;
        private final List<Path> libs = new ArrayList<>();
        private final Map<String, String> environment = new LinkedHashMap<>();

        private Options(Path microJar, Path rootDir, Path log) {
            this.microJar = microJar;
            this.rootDir = rootDir;
            this.log = log;
        }

        public Options jvmOption(String option) {
            jvmOptions.add(option);
            return this;
        }

        /** JVM options separated by white space (none if blank). */
        public Options jvmOptions(String options) {
            for (String o : options.strip().split("\\s+")) {
                if (!o.isEmpty()) {
                    jvmOptions.add(o);
                }
            }
            return this;
        }

        public Options systemProperty(String name, String value) {
            systemProperties.put(name, value);
            return this;
        }

        /** The trust store of every TLS client in the server (token endpoint, IMAPS). */
        public Options trustStore(Path file, String password) {
            return systemProperty("javax.net.ssl.trustStore", file.toString())
                    .systemProperty("javax.net.ssl.trustStorePassword", password);
        }

        public Options port(int httpPort) {
            this.port = httpPort;
            return this;
        }

        public Options clusterName(String name) {
            this.clusterName = name;
            return this;
        }

        /** The data grid's first port, where the members of the cluster find each other (default 5900). */
        public Options gridPort(int port) {
            this.gridPort = port;
            return this;
        }

        /**
         * How many ports from {@link #gridPort} up are listed as members to join (default 1): with several, a member
         * restarted on the first port still finds the others.
         */
        public Options gridMembers(int count) {
            this.gridMembers = count;
            return this;
        }

        /** The instance name ({@code --name}), as the data grid shows it. */
        public Options name(String instanceName) {
            this.name = instanceName;
            return this;
        }

        /** A jar added to the server's class path ({@code --addlibs}), e.g. a JDBC driver. */
        public Options addLib(Path jar) {
            libs.add(jar);
            return this;
        }

        /** An environment variable of the process (e.g. IMAPRA_MASTER_KEY). */
        public Options environment(String variable, String value) {
            environment.put(variable, value);
            return this;
        }

        public Options preBootCommands(Path file) {
            this.preBoot = file;
            return this;
        }

        public Options postBootCommands(Path file) {
            this.postBoot = file;
            return this;
        }

        /** Starts Payara Micro in a fresh root directory (the previous one is deleted). */
        public MicroProcess start() throws IOException {
            Files.deleteIfExists(log);
            Sandbox.deleteTree(rootDir); // Micro keeps its domain in --rootdir: every start from a fresh one
            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.addAll(jvmOptions);
            // the data grid's socket on 127.0.0.1 only (by default Hazelcast listens on every interface)
            command.add("-Dhazelcast.socket.bind.any=false");
            systemProperties.forEach((k, v) -> command.add("-D" + k + "=" + v));
            command.addAll(List.of("-jar", microJar.toString(),
                    "--rootdir", rootDir.toString(),
                    "--port", Integer.toString(port),
                    // keep Micro's data grid on loopback and on a cluster of its own
                    "--clustermode", "tcpip:" + String.join(",", java.util.stream.IntStream.range(0, gridMembers)
                            .mapToObj(i -> "127.0.0.1:" + (gridPort + i)).toList()),
                    "--startport", Integer.toString(gridPort),
                    "--interfaces", "127.0.0.1",
                    "--clustername", clusterName));
            if (name != null) {
                command.addAll(List.of("--name", name));
            }
            if (!libs.isEmpty()) {
                command.addAll(List.of("--addlibs", String.join(":", libs.stream().map(Path::toString).toList())));
            }
            if (preBoot != null) {
                command.addAll(List.of("--prebootcommandfile", preBoot.toString()));
            }
            if (postBoot != null) {
                command.addAll(List.of("--postbootcommandfile", postBoot.toString()));
            }
            ProcessBuilder pb = new ProcessBuilder(command);
            pb.environment().putAll(environment);
            Process p = pb.redirectErrorStream(true)
                    .redirectOutput(log.toFile()).redirectInput(ProcessBuilder.Redirect.PIPE).start();
            p.getOutputStream().close();
            return new MicroProcess(p, log);
        }
    }

    /** What {@link #awaitReady} asks once the deployments are done: {@code null} when ready, else what is missing. */
    @FunctionalInterface
    public interface ReadyCheck {
        String missing();
    }

    /** Payara Micro did not get ready: the reason and the end of its log. */
    public static final class NotReady extends Exception {
        private static final long serialVersionUID = 1L;

        NotReady(String message) {
            super(message);
        }
    }

    /**
     * Waits until the boot commands ran and {@code check} finds nothing missing. Fails early when Micro exits or a
     * boot command (a deployment, ...) failed.
     */
    public void awaitReady(Duration timeout, ReadyCheck check) throws NotReady, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "no answer yet";
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new NotReady("Payara Micro exited during start (" + process.exitValue() + "). End of " + log
                        + ":" + System.lineSeparator() + tail(40));
            }
            String failed = failedBootCommands();
            if (!failed.isEmpty()) {
                throw new NotReady("Payara Micro could not run its boot commands (full log: " + log + "):"
                        + System.lineSeparator() + failed);
            }
            if (logContains(DEPLOYED)) {
                String missing = check.missing();
                if (missing == null) {
                    return;
                }
                last = missing;
            }
            Thread.sleep(1000);
        }
        throw new NotReady("Payara Micro did not get ready within " + timeout.toSeconds() + " s (" + last
                + "). End of " + log + ":" + System.lineSeparator() + tail(40));
    }

    /** The failed boot commands with their first lines, or "". */
    private String failedBootCommands() {
        List<String> lines = lines();
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains("Boot Command") && lines.get(i).contains(" failed")) {
                for (int j = i; j < Math.min(lines.size(), i + 3); j++) {
                    b.append("  ").append(lines.get(j).strip()).append(System.lineSeparator());
                }
            }
        }
        return b.toString();
    }

    private boolean logContains(String text) {
        return lines().stream().anyMatch(l -> l.contains(text));
    }

    private List<String> lines() {
        try {
            return Files.readAllLines(log, StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            return List.of();
        }
    }

    /** A free TCP port on loopback, for Micro's HTTP listener. */
    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** The last lines of the log. */
    public String tail(int count) {
        List<String> all = lines();
        return String.join(System.lineSeparator(), all.subList(Math.max(0, all.size() - count), all.size()));
    }

    /** SIGKILL: the process ends at once, as in a crash (no shutdown hook runs). */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    /** The process id of Payara Micro's JVM (e.g. to send it SIGSTOP and SIGCONT). */
    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public int waitFor() throws InterruptedException {
        return process.waitFor();
    }

    /**
     * SIGTERM to Payara Micro, then its whole process tree by force if it did not end within {@code timeout}.
     * Returns false if it had to be killed.
     */
    public boolean stop(Duration timeout) {
        if (!process.isAlive()) {
            return true;
        }
        List<ProcessHandle> tree = process.descendants().toList();
        process.destroy();
        boolean graceful;
        try {
            graceful = process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS);
            if (!graceful) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            graceful = false;
        }
        for (ProcessHandle h : tree) {
            if (h.isAlive()) {
                h.destroyForcibly();
            }
        }
        return graceful;
    }
}
