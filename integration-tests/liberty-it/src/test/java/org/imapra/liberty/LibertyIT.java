package org.imapra.liberty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.imapra.scenario.Scenario;
import org.imapra.scenario.ServerProcess;
import org.imapra.standin.ListeningSockets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Open Liberty as docs/liberty.md sets it up: a server {@code imapra} made of src/test/liberty/server.xml and a
 * bootstrap.properties with this run's ports and paths, on 127.0.0.1. Then: the example's ping reads INBOX through
 * {@code getConnection("sandbox")}, its MDB receives a mail sent over SMTP, the console signs in and pings every stage
 * OK; the server is stopped ({@code server stop}) and nothing of it is left running.
 */
class LibertyIT {

    private static final String SERVER = "imapra";
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(150);

    private final Path home = Path.of(System.getProperty("liberty.home")).toAbsolutePath();
    private final Path state = home.getParent().resolve("it-state");

    @Test
    @Timeout(value = 175, unit = TimeUnit.SECONDS)
    void exampleAndConsoleWorkOnLiberty() throws Exception {
        long start = System.nanoTime();
        String password = randomPassword();
        try (Scenario scenario = Scenario.start(state)) {
            int http = Scenario.freePort();
            int https = Scenario.freePort();
            Path server = createServer(scenario, http, https, password);
            String base = "http://127.0.0.1:" + http;
            Map<String, String> env = Map.of("JAVA_HOME", System.getProperty("java.home"),
                    "WLP_USER_DIR", home.resolve("usr").toString());
            ServerProcess liberty = ServerProcess.start("Open Liberty",
                    List.of("bash", home.resolve("bin/server").toString(), "run", SERVER), env, home,
                    state.resolve("liberty-console.log"));
            liberty.gracefulStop(() -> serverStop(env));
            Path messages = server.resolve("logs/messages.log");
            try {
                liberty.awaitReady(READY_TIMEOUT, () -> Scenario.missing(base));
                Set<Integer> exposed = ListeningSockets.ports(liberty.processes(), true);
                assertEquals(Set.of(), exposed, "Liberty listens on more than loopback: "
                        + ListeningSockets.ports(liberty.processes(), false));

                scenario.examplePingReadsInbox(base);
                scenario.mdbReceivesMail(base);
                scenario.consoleSignsInAndPings(base, Scenario.ADMIN_USER, password);

                List<String> log = Files.readAllLines(messages);
                List<String> problems = log.stream().filter(l -> l.matches(".*\\b[A-Z][A-Z0-9]{3,4}\\d{4}[EW]:.*"))
                        .toList();
                System.out.println("Warnings and errors in messages.log (" + problems.size() + "):");
                problems.forEach(p -> System.out.println("  " + p));
                assertEquals(List.of(), problems.stream().filter(p -> p.contains(" J2CA")).toList(),
                        "Liberty's connector warnings and errors about the RAR (J2CA9918W: duplicate properties)");
            } catch (AssertionError | Exception e) {
                System.out.println("End of messages.log:\n" + tail(messages, 150));
                throw e;
            } finally {
                boolean graceful = liberty.stop(Duration.ofSeconds(30));
                System.out.println("Open Liberty stopped " + (graceful ? "gracefully" : "by SIGKILL") + "; log: "
                        + messages);
                assertEquals(List.of(), liberty.leftovers(), "processes left running");
            }
        }
        System.out.println("LibertyIT took " + Duration.ofNanos(System.nanoTime() - start).toSeconds() + " s");
    }

    /** usr/servers/imapra afresh: server.xml as given, this run's variables, the JVM's options. */
    private Path createServer(Scenario scenario, int http, int https, String password) throws Exception {
        Path server = home.resolve("usr/servers").resolve(SERVER);
        Scenario.deleteTree(server);
        Files.createDirectories(server);
        Files.copy(Path.of(System.getProperty("liberty.serverXml")), server.resolve("server.xml"));
        Path deploy = Path.of(System.getProperty("liberty.deployments")).toAbsolutePath();
        Files.writeString(server.resolve("bootstrap.properties"), String.join("\n",
                "http.port=" + http,
                "https.port=" + https,
                "keystore.password=" + randomPassword(),
                "imapra.deploy=" + deploy,
                "imapra.lib=" + deploy.resolve("mail"),
                "imapra.storeDirectory=" + scenario.storeDirectory(),
                "imapra.trustStore=" + scenario.trustStore(),
                "imapra.trustStorePassword=" + Scenario.TRUST_STORE_PASSWORD,
                "admin.user=" + Scenario.ADMIN_USER,
                "admin.password=" + password,
                ""));
        Files.writeString(server.resolve("jvm.options"), String.join("\n",
                "-Xmx512m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Djava.net.preferIPv4Stack=true", ""));
        return server;
    }

    private void serverStop(Map<String, String> env) {
        try {
            ProcessBuilder pb = new ProcessBuilder("bash", home.resolve("bin/server").toString(), "stop", SERVER)
                    .redirectErrorStream(true).redirectOutput(state.resolve("liberty-stop.log").toFile());
            pb.environment().putAll(env);
            Process p = pb.start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String tail(Path file, int count) {
        try {
            List<String> all = Files.readAllLines(file);
            return String.join("\n", all.subList(Math.max(0, all.size() - count), all.size()));
        } catch (Exception e) {
            return "(no " + file + ": " + e + ")";
        }
    }

    private static String randomPassword() {
        String alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
        SecureRandom r = new SecureRandom();
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 16; i++) {
            b.append(alphabet.charAt(r.nextInt(alphabet.length())));
        }
        return b.toString();
    }
}
