package org.imapra.wildfly;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
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
 * WildFly (standalone-full) as docs/wildfly.md sets it up: {@code imapra.cli} run offline, an application user in
 * group imapra-admin, {@code imapra.rar}, {@code imapra-example.war} and {@code imapra-admin.war} in the deployment
 * scanner's directory, on 127.0.0.1 with a port offset of its own. Then: the example's ping reads INBOX through
 * {@code getConnection("sandbox")}, its MDB receives a mail sent over SMTP, the console signs in and pings every stage
 * OK; WildFly is stopped and nothing of it is left running.
 */
class WildFlyIT {

    /** The ports of standalone-full.xml before the offset (http, https, management, iiop, txn, ajp). */
    private static final int[] PORTS = {8080, 8443, 9990, 9993, 3528, 3529, 4712, 4713, 8009};
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(120);

    private final Path home = Path.of(System.getProperty("wildfly.home")).toAbsolutePath();
    private final Path state = home.getParent().resolve("it-state");

    @Test
    @Timeout(value = 170, unit = TimeUnit.SECONDS)
    void exampleAndConsoleWorkOnWildFly() throws Exception {
        long start = System.nanoTime();
        String password = randomPassword();
        try (Scenario scenario = Scenario.start(state)) {
            configure();
            addAdmin(password);
            deploy();
            int offset = freeOffset();
            String base = "http://127.0.0.1:" + (8080 + offset);
            List<String> command = List.of("bash", home.resolve("bin/standalone.sh").toString(),
                    "-c", "standalone-full.xml",
                    "-b", "127.0.0.1", "-bmanagement", "127.0.0.1",
                    "-Djboss.bind.address.unsecure=127.0.0.1",
                    "-Djboss.socket.binding.port-offset=" + offset,
                    "-Dimapra.storeDirectory=" + scenario.storeDirectory());
            String javaOpts = String.join(" ", "-Xms64m", "-Xmx512m", "-XX:+UseSerialGC",
                    "-XX:TieredStopAtLevel=1", "-Djava.net.preferIPv4Stack=true", "-Djava.awt.headless=true",
                    "-Djboss.modules.system.pkgs=org.jboss.byteman",
                    "-Djavax.net.ssl.trustStore=" + scenario.trustStore(),
                    "-Djavax.net.ssl.trustStorePassword=" + Scenario.TRUST_STORE_PASSWORD);
            ServerProcess wildfly = ServerProcess.start("WildFly", command,
                    Map.of("JBOSS_HOME", home.toString(), "JAVA_OPTS", javaOpts,
                            "JAVA_HOME", System.getProperty("java.home")),
                    home.toFile().toPath(), state.resolve("wildfly.log"));
            try {
                wildfly.awaitReady(READY_TIMEOUT, () -> Scenario.missing(base));
                Set<Integer> exposed = ListeningSockets.ports(wildfly.processes(), true);
                assertEquals(Set.of(), exposed, "WildFly listens on more than loopback: "
                        + ListeningSockets.ports(wildfly.processes(), false));

                scenario.examplePingReadsInbox(base);
                scenario.mdbReceivesMail(base);
                scenario.consoleSignsInAndPings(base, Scenario.ADMIN_USER, password);

                List<String> log = wildfly.logLines();
                assertTrue(log.stream().noneMatch(l -> l.contains("IJ020056")),
                        "archive validation failed:\n" + wildfly.tail(80));
                // one adapter instance: the one of the resource-adapters subsystem (none per annotation)
                long started = log.stream().filter(l -> l.contains("imapra resource adapter started")).count();
                assertEquals(1, started, "adapter instances started (one per annotation would be more)");
                assertTrue(log.stream().anyMatch(l -> l.contains("WFLYEJB0042") && l.contains("imapra.rar")),
                        "the MDB is bound to imapra.rar");
            } catch (AssertionError | Exception e) {
                System.out.println("End of the WildFly log:\n" + wildfly.tail(150));
                throw e;
            } finally {
                boolean graceful = wildfly.stop(Duration.ofSeconds(30));
                System.out.println("WildFly stopped " + (graceful ? "gracefully" : "by SIGKILL") + "; log: "
                        + state.resolve("wildfly.log"));
                assertEquals(List.of(), wildfly.leftovers(), "processes left running");
            }
        }
        System.out.println("WildFlyIT took " + Duration.ofNanos(System.nanoTime() - start).toSeconds() + " s");
    }

    /** standalone-full.xml as shipped, then imapra.cli run offline (embedded server). */
    private void configure() throws Exception {
        Path config = home.resolve("standalone/configuration/standalone-full.xml");
        Path pristine = home.resolve("standalone/configuration/standalone-full.xml.pristine");
        if (!Files.exists(pristine)) {
            Files.copy(config, pristine);
        }
        Files.copy(pristine, config, StandardCopyOption.REPLACE_EXISTING);
        Scenario.deleteTree(home.resolve("standalone/configuration/standalone_xml_history"));
        Path cli = Path.of(System.getProperty("wildfly.cli"));
        Process p = new ProcessBuilder("bash", home.resolve("bin/jboss-cli.sh").toString(), "--file=" + cli)
                .redirectErrorStream(true).redirectOutput(state.resolve("cli.log").toFile())
                .directory(home.toFile()).start();
        p.getOutputStream().close();
        if (!p.waitFor(90, TimeUnit.SECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            throw new AssertionError("jboss-cli.sh did not finish within 90 s");
        }
        String out = Files.readString(state.resolve("cli.log"));
        assertEquals(0, p.exitValue(), "jboss-cli.sh --file=" + cli + ":\n" + out);
        assertTrue(Files.readString(config).contains("imapra.rar"), "the CLI script changed nothing:\n" + out);
    }

    /** What add-user.sh -a -u admin -g imapra-admin writes: user and group of the application realm. */
    private void addAdmin(String password) throws Exception {
        Path conf = home.resolve("standalone/configuration");
        byte[] digest = MessageDigest.getInstance("MD5").digest(
                (Scenario.ADMIN_USER + ":ApplicationRealm:" + password).getBytes(StandardCharsets.UTF_8));
        String hex = String.format("%032x", new BigInteger(1, digest));
        Files.writeString(conf.resolve("application-users.properties"), Scenario.ADMIN_USER + "=" + hex + "\n");
        Files.writeString(conf.resolve("application-roles.properties"),
                Scenario.ADMIN_USER + "=" + Scenario.ADMIN_GROUP + "\n");
    }

    /** The three archives into the deployment scanner's directory (nothing else, no markers of an earlier run). */
    private void deploy() throws Exception {
        Path target = home.resolve("standalone/deployments");
        Scenario.deleteTree(target);
        Files.createDirectories(target);
        Path from = Path.of(System.getProperty("wildfly.deployments"));
        for (String f : List.of("imapra.rar", "imapra-example.war", "imapra-admin.war")) {
            Files.copy(from.resolve(f), target.resolve(f));
        }
        for (String d : List.of("data", "tmp", "log")) {
            Scenario.deleteTree(home.resolve("standalone").resolve(d));
        }
    }

    /** A port offset at which every port of standalone-full.xml is free on loopback. */
    private static int freeOffset() {
        SecureRandom random = new SecureRandom();
        for (int attempt = 0; attempt < 50; attempt++) {
            int offset = 10000 + random.nextInt(40000);
            boolean free = true;
            for (int port : PORTS) {
                free &= Scenario.isFree(port + offset);
            }
            if (free) {
                return offset;
            }
        }
        throw new AssertionError("no port offset with all of standalone-full.xml's ports free");
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
