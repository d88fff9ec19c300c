package org.imapra.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Date;
import java.util.Properties;
import java.util.UUID;
import org.imapra.config.FileDefinitionStore;
import org.imapra.config.MailboxDefinition;
import org.imapra.sandbox.ConsoleClient;
import org.imapra.sandbox.Sandbox;
import org.imapra.standin.LocalM365;

/**
 * The local Microsoft 365 stand-in, the definition {@value #DEFINITION} pointing at it (in a store directory the
 * server's resource adapter is configured with), a trust store holding the stand-in's CA, and the checks every
 * server must pass with {@code imapra.rar}, {@code imapra-example.war} and {@code imapra-admin.war} deployed.
 */
public final class Scenario implements AutoCloseable {

    public static final String DEFINITION = Sandbox.DEFINITION;
    public static final String TRUST_STORE_PASSWORD = "changeit";
    public static final String ADMIN_GROUP = "imapra-admin";
    public static final String ADMIN_USER = "admin";
    private static final Duration MDB_TIMEOUT = Duration.ofSeconds(30);
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).followRedirects(HttpClient.Redirect.NEVER).build();

    private final LocalM365 m365;
    private final Path storeDirectory;
    private final Path trustStore;

    private Scenario(LocalM365 m365, Path storeDirectory, Path trustStore) {
        this.m365 = m365;
        this.storeDirectory = storeDirectory;
        this.trustStore = trustStore;
    }

    /** Starts the stand-in and writes the store (definition {@value #DEFINITION}) and trust store below {@code dir}. */
    public static Scenario start(Path dir) throws Exception {
        Files.createDirectories(dir);
        LocalM365 m365 = LocalM365.startDefault();
        try {
            Path trust = m365.certificates().writeServerTrustStore(dir.resolve("truststore.p12"),
                    TRUST_STORE_PASSWORD.toCharArray());
            Path store = dir.resolve("store");
            deleteTree(store);
            MailboxDefinition d = Sandbox.definition(m365);
            FileDefinitionStore.open(store).save(d, 0L, true, "it");
            return new Scenario(m365, store, trust);
        } catch (Exception | Error e) {
            m365.close();
            throw e;
        }
    }

    public Path storeDirectory() {
        return storeDirectory;
    }

    public Path trustStore() {
        return trustStore;
    }

    public int smtpPort() {
        return m365.smtpPort();
    }

    /** {@code null} once the example's ping answers OK and the console answers; else what is missing. */
    public static String missing(String base) {
        try {
            HttpResponse<String> ping = get(base + "/imapra-example/ping");
            HttpResponse<String> console = get(base + "/imapra-admin/");
            if (ping.statusCode() == 200 && console.statusCode() < 500) {
                return null;
            }
            return "example ping: HTTP " + ping.statusCode() + " " + ping.body().strip() + "; console: HTTP "
                    + console.statusCode();
        } catch (IOException e) {
            return e.toString();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return e.toString();
        }
    }

    /** {@code getConnection("sandbox")} through the example's EJB: one STATUS of INBOX. */
    public void examplePingReadsInbox(String base) throws Exception {
        HttpResponse<String> ping = get(base + "/imapra-example/ping");
        assertEquals(200, ping.statusCode(), ping.body());
        assertTrue(ping.body().startsWith("OK " + DEFINITION + " INBOX"), ping.body());
        System.out.println("Example ping: " + ping.body().strip());
    }

    /** A mail sent over SMTP to the stand-in reaches the example's MDB. */
    public void mdbReceivesMail(String base) throws Exception {
        String subject = "Server IT " + UUID.randomUUID();
        Properties props = new Properties();
        props.put("mail.smtp.host", "127.0.0.1");
        props.put("mail.smtp.port", Integer.toString(m365.smtpPort()));
        props.put("mail.smtp.connectiontimeout", "5000");
        props.put("mail.smtp.timeout", "10000");
        MimeMessage message = new MimeMessage(Session.getInstance(props));
        message.setFrom(new InternetAddress("it@fabrikam.example"));
        message.setRecipients(Message.RecipientType.TO, LocalM365.DEFAULT_MAILBOX);
        message.setSubject(subject);
        message.setText("sent by the server IT");
        message.setSentDate(new Date());
        Transport.send(message);
        long start = System.nanoTime();
        long deadline = start + MDB_TIMEOUT.toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            HttpResponse<String> r = get(base + "/imapra-example/received");
            last = "HTTP " + r.statusCode() + ": " + r.body();
            if (r.statusCode() == 200 && r.body().lines().anyMatch(subject::equals)) {
                System.out.println("MDB received '" + subject + "' after "
                        + Duration.ofNanos(System.nanoTime() - start).toMillis() + " ms");
                return;
            }
            Thread.sleep(300);
        }
        fail("the example MDB did not receive '" + subject + "' within " + MDB_TIMEOUT.toSeconds() + " s; "
                + "received: " + last);
    }

    /** The console: FORM sign-in, the list shows {@value #DEFINITION}, its ping is OK at every stage. */
    public void consoleSignsInAndPings(String base, String user, String password) throws Exception {
        ConsoleClient admin = new ConsoleClient(base + "/imapra-admin/");
        assertEquals(302, admin.signIn(user, password), "sign-in");
        HttpResponse<String> list = admin.get("");
        assertEquals(200, list.statusCode(), list.body());
        assertTrue(list.body().contains(DEFINITION), "the definition list shows '" + DEFINITION + "': "
                + list.body());
        ConsoleClient.Ping ping = admin.ping(DEFINITION);
        assertEquals("OK", ping.outcome(), ping.page());
        assertTrue(ping.stages().size() >= 5, "stages: " + ping.stages());
        ping.stages().forEach((stage, status) -> assertEquals("OK", status, "stage " + stage));
        System.out.println("Console ping of '" + DEFINITION + "': " + ping.stages());
    }

    @Override
    public void close() {
        m365.close();
    }

    public static HttpResponse<String> get(String url) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** A free TCP port on loopback. */
    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** Whether {@code port} can be bound on loopback. */
    public static boolean isFree(int port) {
        try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    public static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
