package org.imapra.serverit;

import org.imapra.sandbox.ConsoleClient;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.imapra.config.FileDefinitionStore;
import org.imapra.sandbox.Sandbox;
import org.imapra.standin.LocalM365;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code imapra.ear} (imapra.rar + imapra-admin.war) on a full Payara Server 6, set up the way the README tells an
 * administrator to: a new domain ({@code asadmin create-domain}, own port base), the stand-in's CA imported into the
 * domain's trust store ({@code config/cacerts.p12}), the adapter's store directory set with
 * {@code create-resource-adapter-config ... imapra#imapra} (inside the EAR the adapter is {@code <ear>#<rar>}), a
 * console user in the {@code file} realm, {@code asadmin deploy imapra.ear}. Then the server must reach the local
 * Microsoft 365 stand-in (in this JVM) through the EAR's adapter ({@code ping-connection-pool} of a connector pool
 * of {@code imapra#imapra}), the console must answer, and its ping of the definition {@code sandbox} must pass every
 * stage. The domain is always stopped.
 */
class ServerEarIT {

    private static final String DOMAIN = "imapra-it";
    private static final String CONSOLE_USER = "admin";
    private static final String CONSOLE_PASSWORD = "Sandbox-" + Long.toHexString(ThreadLocalRandom.current().nextLong());

    private final Path payara = Path.of(System.getProperty("payara.home", "target/payara6")).toAbsolutePath();
    private final Path ear = Path.of(System.getProperty("imapra.ear", "target/imapra.ear")).toAbsolutePath();
    private final Path work = Path.of("target", "server-it").toAbsolutePath();
    private final Path domains = work.resolve("domains");
    private final Path log = work.resolve("asadmin.log");

    @Test
    @Timeout(value = 9, unit = TimeUnit.MINUTES)
    void earOnPayaraServerConsoleAnswersAndPingsTheStandIn() throws Exception {
        assertTrue(Files.isRegularFile(payara.resolve("bin/asadmin")), "unpacked Payara Server at " + payara);
        assertTrue(Files.isRegularFile(ear), "the EAR at " + ear);
        deleteTree(work);
        Files.createDirectories(work);

        try (LocalM365 m365 = LocalM365.startDefault()) {
            int base = freePortBase();
            int adminPort = base + 48;
            int httpPort = base + 80;
            asadmin(Duration.ofMinutes(2), "create-domain", "--nopassword=true", "--portbase", Integer.toString(base),
                    "--domaindir", domains.toString(), DOMAIN);
            // Payara Server trusts what its domain's config/cacerts.p12 holds (javax.net.ssl.trustStore in
            // domain.xml, password = master password "changeit"): add the stand-in's CA
            trust(m365, domains.resolve(DOMAIN).resolve("config/cacerts.p12"));
            Path store = work.resolve("store");
            writeDefinition(m365, store);
            Path passwords = Files.writeString(work.resolve("passwords.txt"),
                    "AS_ADMIN_USERPASSWORD=" + CONSOLE_PASSWORD + "\n");

            try {
                asadmin(Duration.ofMinutes(4), "start-domain", "--domaindir", domains.toString(), DOMAIN);
                String admin = Integer.toString(adminPort);
                // Before the EAR: the embedded adapter reads its configuration when it starts
                asadmin(Duration.ofMinutes(1), "--port", admin, "create-resource-adapter-config", "--property",
                        "storeDirectory=" + store.toString().replace(":", "\\:"), "imapra#imapra");
                asadmin(Duration.ofMinutes(1), "--port", admin, "--passwordfile", passwords.toString(),
                        "create-file-user", "--groups", "imapra-admin", CONSOLE_USER);
                // The application name makes the adapter's name: imapra#imapra (whatever the file is called)
                asadmin(Duration.ofMinutes(4), "--port", admin, "deploy", "--name", "imapra", ear.toString());

                // The EAR's adapter reaches the stand-in: a connector connection pool of resource adapter
                // imapra#imapra (an administrator's way to define a factory server-wide), pinged by the server:
                // ping-connection-pool opens a physical connection (token from the stand-in, TLS, XOAUTH2)
                asadmin(Duration.ofMinutes(1), "--port", admin, "create-connector-connection-pool",
                        "--raname", "imapra#imapra", "--connectiondefinition", "org.imapra.api.ImapConnectionFactory",
                        "--steadypoolsize", "0", "--property", poolProperties(m365), "imapra-it-pool");
                String pinged = asadmin(Duration.ofMinutes(2), "--port", admin, "ping-connection-pool",
                        "imapra-it-pool");
                assertTrue(pinged.contains("executed successfully"), pinged);
                assertTrue(m365.tokens().tokenRequestCount() >= 1, "Payara Server got a token from the stand-in");

                String console = "http://localhost:" + httpPort + "/imapra-admin/";
                ConsoleClient client = new ConsoleClient(console);
                HttpResponse<String> login = client.get("");
                assertEquals(200, login.statusCode(), "console: " + login.body());
                assertTrue(login.body().contains("j_security_check"), "the sign-in page: " + login.body());
                assertEquals(302, client.signIn(CONSOLE_USER, CONSOLE_PASSWORD), "sign-in");
                HttpResponse<String> definitions = client.get("");
                assertEquals(200, definitions.statusCode(), definitions.body());
                assertTrue(definitions.body().contains("sandbox"), "the list shows 'sandbox': " + definitions.body());

                ConsoleClient.Ping ping = client.ping("sandbox");
                assertEquals("OK", ping.outcome(), ping.page());
                assertTrue(ping.stages().size() >= 5, "stages: " + ping.stages());
                ping.stages().forEach((stage, status) -> assertEquals("OK", status, "stage " + stage));
                System.out.println("Console ping of 'sandbox' on Payara Server: " + ping.stages());
            } catch (AssertionError | Exception e) {
                System.out.println(serverLogTail());
                throw e;
            } finally {
                stopDomain(); // also after a start-domain that timed out
            }
        }
    }

    /** Stops the domain; kills it when it does not stop. Never throws (the test's own failure matters more). */
    private void stopDomain() {
        try {
            asadmin(Duration.ofMinutes(2), "stop-domain", "--domaindir", domains.toString(), DOMAIN);
        } catch (AssertionError | Exception e) {
            System.out.println("stop-domain failed (" + e.getMessage() + "): killing the domain");
            try {
                asadmin(Duration.ofMinutes(1), "stop-domain", "--kill=true", "--domaindir", domains.toString(),
                        DOMAIN);
            } catch (AssertionError | Exception killFailed) {
                System.out.println("stop-domain --kill=true failed too: " + killFailed.getMessage());
            }
        }
    }

    /** Runs {@code bin/asadmin --interactive=false args...} with this JVM's Java; fails on a non-zero exit. */
    private String asadmin(Duration timeout, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(payara.resolve("bin/asadmin").toString(),
                "--interactive=false"));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        env.put("JAVA_HOME", System.getProperty("java.home"));
        env.put("AS_JAVA", System.getProperty("java.home"));
        Path out = Files.createTempFile(work, "asadmin", ".out");
        pb.redirectOutput(out.toFile());
        long t0 = System.nanoTime();
        Process p = pb.start();
        p.getOutputStream().close();
        boolean done = p.waitFor(timeout.toSeconds(), TimeUnit.SECONDS);
        if (!done) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
        String text = Files.readString(out, StandardCharsets.UTF_8);
        Files.delete(out);
        String entry = "$ asadmin " + String.join(" ", args) + "  (" + (System.nanoTime() - t0) / 1_000_000
                + " ms, " + (done ? "exit " + p.exitValue() : "timed out") + ")\n" + text + "\n";
        Files.writeString(log, entry, StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE,
                java.nio.file.StandardOpenOption.APPEND);
        if (!done || p.exitValue() != 0) {
            fail(entry);
        }
        return text;
    }

    private static void trust(LocalM365 m365, Path cacerts) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        char[] password = "changeit".toCharArray();
        try (InputStream in = Files.newInputStream(cacerts)) {
            ks.load(in, password);
        }
        ks.setCertificateEntry("imapra-standin-ca", m365.certificates().caCertificate());
        try (OutputStream o = Files.newOutputStream(cacerts)) {
            ks.store(o, password);
        }
    }

    /** asadmin's property list (':' separates, '\\' escapes) of a factory for the stand-in's mailbox. */
    private static String poolProperties(LocalM365 m365) {
        return String.join(":",
                "userName=" + LocalM365.DEFAULT_MAILBOX,
                "tenantId=" + LocalM365.DEFAULT_TENANT_ID,
                "clientId=" + LocalM365.DEFAULT_CLIENT_ID,
                "clientSecret=" + LocalM365.DEFAULT_CLIENT_SECRET,
                "authorityHost=" + m365.authorityHost().replace(":", "\\:"),
                "imapHost=" + m365.imapHost(),
                "imapPort=" + m365.imapsPort());
    }

    /** The definition 'sandbox' the console pings: the stand-in's mailbox, app and endpoints. */
    private static void writeDefinition(LocalM365 m365, Path store) throws Exception {
        FileDefinitionStore.open(store).save(Sandbox.definition(m365), 0, true, "server-it");
    }

    /** A port base whose 100 ports (admin +48, HTTP +80, HTTPS +81, IIOP +37, JMX +86, ...) are all free. */
    private static int freePortBase() {
        for (int attempt = 0; attempt < 50; attempt++) {
            int base = 20_000 + 100 * ThreadLocalRandom.current().nextInt(300);
            boolean free = true;
            for (int p = base; p < base + 100 && free; p++) {
                free = isFree(p);
            }
            if (free) {
                return base;
            }
        }
        throw new IllegalStateException("no free range of 100 ports");
    }

    private static boolean isFree(int port) {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress(port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private String serverLogTail() {
        Path server = domains.resolve(DOMAIN).resolve("logs/server.log");
        try {
            List<String> lines = Files.readAllLines(server, StandardCharsets.UTF_8);
            return "End of " + server + ":\n"
                    + String.join("\n", lines.subList(Math.max(0, lines.size() - 80), lines.size()));
        } catch (IOException e) {
            return "(no server log: " + e.getMessage() + ")";
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (var paths = Files.walk(dir)) {
                for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }
}
