package org.imapra.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.imapra.standin.ListeningSockets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The README's run command, for real: {@code ./run --no-build} (what {@code ./run} does after its build step; this
 * module's {@code package} phase built it) as a child process on a free HTTP port. Waits for the ready line, checks
 * the console and a ping of {@code sandbox} over HTTP, sends a mail by SMTP to the stand-in and waits until the
 * example's MDB shows it (and the same for the example's button), then sends SIGTERM (what Ctrl-C amounts to) and
 * checks that no process of the tree and no port it listened on is left.
 */
class SandboxIT {

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(150);
    private static final Duration MDB_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).followRedirects(HttpClient.Redirect.NEVER).build();

    private final List<String> output = new CopyOnWriteArrayList<>();

    @Test
    @Timeout(value = 175, unit = TimeUnit.SECONDS)
    void runStartsEverythingDeliversMailAndStopsCleanly() throws Exception {
        Path repository = Path.of(System.getProperty("sandbox.repository", "..")).toRealPath();
        int port = freePort();
        Process run = new ProcessBuilder("bash", repository.resolve("run").toString(), "--no-build",
                "--port", Integer.toString(port))
                .directory(repository.toFile()).redirectErrorStream(true).start();
        run.getOutputStream().close();
        Thread reader = new Thread(() -> copyOutput(run), "run-output");
        reader.setDaemon(true);
        reader.start();

        Set<ProcessHandle> tree = new HashSet<>();
        Set<Integer> ports = new HashSet<>();
        try {
            awaitLine(run, line -> line.equals(Sandbox.READY), READY_TIMEOUT);
            awaitLine(run, line -> line.startsWith("Press Ctrl-C"), Duration.ofSeconds(5));
            String console = find("Admin console:\\s+(\\S+)");
            String example = find("Example app:\\s+(\\S+)");
            String signIn = find("Sign in:\\s+(\\S+ / \\S+)");
            int smtpPort = Integer.parseInt(find("SMTP to 127\\.0\\.0\\.1:(\\d+)"));
            assertEquals("http://localhost:" + port + "/imapra-admin/", console);
            assertEquals("http://localhost:" + port + "/imapra-example/", example);
            assertTrue(signIn.startsWith(Sandbox.ADMIN_USER + " / ") && signIn.length() >= 16, signIn);

            tree.add(run.toHandle());
            run.toHandle().descendants().forEach(tree::add);
            assertTrue(tree.size() >= 2, "the launcher runs Payara Micro as a child process: " + tree);
            Set<Integer> exposed = new HashSet<>();
            ports.addAll(ListeningSockets.ports(tree, false));
            exposed.addAll(ListeningSockets.ports(tree, true));
            assertTrue(ports.containsAll(Set.of(port, smtpPort)), "listening: " + ports);
            // HTTP, the stand-in, Payara Micro's data grid and admin ports: nothing reachable from another machine
            assertEquals(Set.of(), exposed, "listening on more than loopback (of " + ports + ")");

            // The console: sign in with what ./run printed, find 'sandbox', ping it: every stage OK
            ConsoleClient admin = new ConsoleClient(console);
            assertEquals(302, admin.signIn(signIn.split(" / ")[0], signIn.split(" / ")[1]), "sign-in");
            HttpResponse<String> definitions = admin.get("");
            assertEquals(200, definitions.statusCode(), definitions.body());
            assertTrue(definitions.body().contains("sandbox"), "the definition list shows 'sandbox'");
            ConsoleClient.Ping consolePing = admin.ping(Sandbox.DEFINITION);
            assertEquals("OK", consolePing.outcome(), consolePing.page());
            assertTrue(consolePing.stages().size() >= 5, "stages: " + consolePing.stages());
            consolePing.stages().forEach((stage, status) -> assertEquals("OK", status, "stage " + stage));
            System.out.println("Console ping of 'sandbox': " + consolePing.stages());

            // The example application's EJB: one STATUS through the adapter's pool
            HttpResponse<String> ping = get(example + "ping");
            assertEquals(200, ping.statusCode(), ping.body());
            assertTrue(ping.body().startsWith("OK sandbox INBOX"), ping.body());

            // A mail by SMTP to the stand-in: the example's MDB receives it, the EJB page lists it
            String subject = "Sandbox IT " + UUID.randomUUID();
            sendMail(smtpPort, subject);
            awaitReceived(example, subject);
            String page = get(example).body();
            assertTrue(page.contains("<td>" + subject + "</td>"), "the EJB page lists the mail: " + page);

            // The example's button sends one too
            HttpResponse<String> sent = HTTP.send(HttpRequest.newBuilder(URI.create(example + "send"))
                    .POST(HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(302, sent.statusCode(), sent.body());
            String location = sent.headers().firstValue("Location").orElse("");
            Matcher m = Pattern.compile("Sent\\+%22(Test\\+mail\\+[0-9%A:.]+?)%22").matcher(location);
            assertTrue(m.find(), location);
            awaitReceived(example, java.net.URLDecoder.decode(m.group(1), StandardCharsets.UTF_8));
        } catch (AssertionError | Exception e) {
            System.out.println(String.join(System.lineSeparator(), output));
            throw e;
        } finally {
            // What Ctrl-C amounts to: the launcher's shutdown hook stops Payara Micro and the stand-in
            run.toHandle().descendants().forEach(tree::add);
            // SIGTERM through the handle: Process.destroy() would also close our end of its output
            run.toHandle().destroy();
            boolean exited = run.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            if (!exited) {
                tree.forEach(ProcessHandle::destroyForcibly);
            }
            assertTrue(exited, "./run stopped within " + STOP_TIMEOUT.toSeconds() + " s after SIGTERM");
        }
        reader.join(10_000); // the last lines
        System.out.println("./run exited with " + run.exitValue() + "; output reader done: " + !reader.isAlive());
        assertTrue(output.contains("Stopped."), "the launcher reports its stop:\n" + String.join("\n", output));
        for (ProcessHandle p : tree) {
            p.onExit().get(10, TimeUnit.SECONDS);
            assertFalse(p.isAlive(), "left running: " + p.pid() + " " + p.info().commandLine().orElse(""));
        }
        Map<Integer, String> stillListening = new TreeMap<>();
        for (int p : ports) {
            if (ListeningSockets.isListening(p)) {
                stillListening.put(p, "listening");
            }
        }
        assertTrue(stillListening.isEmpty(), "ports left open: " + stillListening + " (had " + ports + ")");
        writeOutput();
    }

    private void copyOutput(Process run) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(run.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                output.add(line);
            }
        } catch (IOException ignored) {
            // the process ended
        }
    }

    private void writeOutput() throws IOException {
        Path file = Path.of("target", "sandbox-it-run-output.txt");
        Files.createDirectories(file.getParent());
        try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(file))) {
            output.forEach(w::println);
        }
    }

    private void awaitLine(Process run, Predicate<String> wanted, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (output.stream().noneMatch(wanted)) {
            if (!run.isAlive()) {
                Thread.sleep(200); // the last lines
                fail("./run exited (" + run.exitValue() + ") before it was ready:\n" + String.join("\n", output));
            }
            if (System.nanoTime() > deadline) {
                fail("./run was not ready within " + timeout.toSeconds() + " s:\n" + String.join("\n", output));
            }
            Thread.sleep(200);
        }
    }

    private String find(String regex) {
        Pattern p = Pattern.compile(regex);
        for (String line : output) {
            Matcher m = p.matcher(line);
            if (m.find()) {
                return m.group(1);
            }
        }
        throw new AssertionError("no line matches " + regex + ":\n" + String.join("\n", output));
    }

    private static void awaitReceived(String example, String subject) throws Exception {
        long deadline = System.nanoTime() + MDB_TIMEOUT.toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            HttpResponse<String> r = get(example + "received");
            last = "HTTP " + r.statusCode() + ": " + r.body();
            if (r.statusCode() == 200 && r.body().lines().anyMatch(subject::equals)) {
                return;
            }
            Thread.sleep(500);
        }
        fail("the example MDB did not receive '" + subject + "' within " + MDB_TIMEOUT.toSeconds() + " s; "
                + "received: " + last);
    }

    private static void sendMail(int smtpPort, String subject) throws Exception {
        Properties props = new Properties();
        props.put("mail.smtp.host", "127.0.0.1");
        props.put("mail.smtp.port", Integer.toString(smtpPort));
        props.put("mail.smtp.connectiontimeout", "5000");
        props.put("mail.smtp.timeout", "10000");
        MimeMessage message = new MimeMessage(Session.getInstance(props));
        message.setFrom(new InternetAddress("it@fabrikam.example"));
        message.setRecipients(Message.RecipientType.TO, "support@contoso.example");
        message.setSubject(subject);
        message.setText("sent by SandboxIT");
        message.setSentDate(new Date());
        Transport.send(message);
    }

    private static HttpResponse<String> get(String url) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
