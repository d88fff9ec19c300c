package org.imapra.sandbox;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.imapra.config.FileDefinitionStore;
import org.imapra.config.MailboxDefinition;
import org.imapra.config.StoreException;
import org.imapra.config.StoredDefinition;
import org.imapra.standin.LocalM365;

/**
 * {@code ./run}: the local Microsoft 365 stand-in, the definition {@value #DEFINITION} pointing at it, and Payara
 * Micro with {@code imapra.rar} (first), the admin console and the example application. Prints what to open, then
 * waits; Ctrl-C (SIGINT) or SIGTERM stops Payara Micro (its whole process tree) and the stand-in.
 *
 * <p>Layout (next to {@code imapra-sandbox.jar}, i.e. {@code sandbox/target}): {@code lib/} (this
 * launcher's class path), {@code deploy/} (Payara Micro and what it deploys), {@code sandbox/} (this run's state:
 * definitions store, trust store, command file, Payara's root directory and log).
 *
 * <p>Options: {@code --port N} (HTTP port; default 8080, or a free one if 8080 is taken). The HTTP listener is
 * bound to 127.0.0.1 only.
 */
public final class Sandbox {

    /** The definition the console shows, {@code getConnection("sandbox")} and the example's MDB use. */
    public static final String DEFINITION = "sandbox";
    /** The console's role; the file-realm group of the user this launcher creates. */
    public static final String ADMIN_GROUP = "imapra-admin";
    public static final String ADMIN_USER = "admin";
    public static final String TRUST_STORE_PASSWORD = "changeit";
    /** The line printed once everything answers; {@code SandboxIT} waits for it. */
    public static final String READY = "imapra sandbox is ready.";

    private static final Duration START_TIMEOUT = Duration.ofSeconds(Long.getLong("imapra.sandbox.startTimeoutSeconds", 240));
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(40);
    private static final int PREFERRED_PORT = 8080;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final PrintStream out = System.out;
    private final Path home;
    private final Path deploy;
    private final Path state;
    private volatile LocalM365 m365;
    private volatile MicroProcess micro;
    private volatile boolean stopping;

    private Sandbox(Path home) {
        this.home = home;
        this.deploy = home.resolve("deploy");
        this.state = home.resolve("sandbox");
    }

    public static void main(String[] args) throws Exception {
        int port = 0;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--port") && i + 1 < args.length) {
                port = Integer.parseInt(args[++i]);
            } else if (args[i].equals("--help") || args[i].equals("-h")) {
                System.out.println("Usage: ./run [--port N]   (HTTP port of Payara Micro; default 8080, or a free "
                        + "port when 8080 is taken)");
                return;
            } else {
                System.err.println("Unknown option " + args[i] + " (try --help)");
                System.exit(2);
            }
        }
        Sandbox sandbox = new Sandbox(home());
        System.exit(sandbox.run(port));
    }

    /** The directory holding this launcher's jar (or {@code -Dimapra.sandbox.home}). */
    private static Path home() throws URISyntaxException {
        String configured = System.getProperty("imapra.sandbox.home");
        if (configured != null) {
            return Path.of(configured).toAbsolutePath();
        }
        Path code = Path.of(Sandbox.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        return code.getParent().toAbsolutePath(); // target/imapra-sandbox.jar (or target/classes) -> target
    }

    private int run(int requestedPort) throws Exception {
        for (String f : List.of("payara-micro.jar", "imapra.rar", "imapra-admin.war", "imapra-example.war")) {
            if (!Files.isRegularFile(deploy.resolve(f))) {
                System.err.println("Missing " + deploy.resolve(f) + ": build first (./run does)");
                return 1;
            }
        }
        Runtime.getRuntime().addShutdownHook(new Thread(this::stop, "imapra-sandbox-stop"));
        try {
            Files.createDirectories(state);
            out.println("Starting the local Microsoft 365 stand-in ...");
            m365 = LocalM365.startDefault();
            Path trustStore = m365.certificates().writeServerTrustStore(state.resolve("truststore.p12"),
                    TRUST_STORE_PASSWORD.toCharArray());
            MailboxDefinition definition = saveDefinition(state.resolve("store"));

            int port = requestedPort > 0 ? requestedPort
                    : (isFree(PREFERRED_PORT) ? PREFERRED_PORT : MicroProcess.freePort());
            if (!isFree(port)) {
                System.err.println("Port " + port + " is in use: choose another with ./run --port N");
                return 1;
            }
            String password = randomPassword();
            Path passwordFile = writeOwnerOnly(state.resolve("admin-password.txt"),
                    "AS_ADMIN_USERPASSWORD=" + password + "\n");
            Path preBoot = Files.writeString(state.resolve("preboot.txt"), preBootCommands(passwordFile));
            Path postBoot = Files.writeString(state.resolve("postboot.txt"), postBootCommands());
            Path log = state.resolve("payara.log");
            out.println("Starting Payara Micro on port " + port + " (log: " + shown(log) + ") ...");
            micro = MicroProcess.options(deploy.resolve("payara-micro.jar"), state.resolve("micro"), log)
                    .jvmOption("-Xmx512m").jvmOption("-XX:+UseSerialGC")
                    .trustStore(trustStore, TRUST_STORE_PASSWORD)
                    .systemProperty("imapra.sandbox.smtpHost", "127.0.0.1")
                    .systemProperty("imapra.sandbox.smtpPort", Integer.toString(m365.smtpPort()))
                    .port(port)
                    .clusterName("imapra-sandbox-" + ProcessHandle.current().pid())
                    .preBootCommands(preBoot)
                    .postBootCommands(postBoot)
                    .start();

            String base = "http://localhost:" + port;
            try {
                micro.awaitReady(START_TIMEOUT, () -> missing(base));
            } catch (MicroProcess.NotReady e) {
                System.err.println(e.getMessage());
                return 1;
            }
            Files.deleteIfExists(passwordFile); // read by the pre-boot command; the realm keeps only its hash
            printReady(base, password, definition);
            int exit = micro.waitFor();
            if (!stopping) {
                System.err.println("Payara Micro exited (" + exit + "); see " + log);
                return 1;
            }
            return 0;
        } catch (Exception e) {
            if (!stopping) {
                System.err.println("The sandbox could not start: " + e);
                e.printStackTrace();
            }
            return 1;
        }
    }

    /**
     * The definition {@value #DEFINITION}: the stand-in's mailbox, app (client secret) and endpoints. The sandbox and
     * the server tests save it to the store their console and example app read.
     */
    public static MailboxDefinition definition(LocalM365 m365) {
        return MailboxDefinition.builder()
                .name(DEFINITION)
                .userName(LocalM365.DEFAULT_MAILBOX)
                .tenantId(LocalM365.DEFAULT_TENANT_ID)
                .clientId(LocalM365.DEFAULT_CLIENT_ID)
                .clientSecret(LocalM365.DEFAULT_CLIENT_SECRET)
                .authorityHost(m365.authorityHost())
                .imapHost(m365.imapHost())
                .imapPort(m365.imapsPort())
                .build();
    }

    /**
     * Creates or updates the definition {@value #DEFINITION}: the stand-in's ports change with every run. The store
     * makes its own master key ({@code master.key}) unless IMAPRA_MASTER_KEY is set.
     */
    private MailboxDefinition saveDefinition(Path dir) throws IOException, StoreException {
        MailboxDefinition d = definition(m365);
        FileDefinitionStore store = FileDefinitionStore.open(dir);
        Optional<StoredDefinition> existing;
        try {
            existing = store.get(DEFINITION);
        } catch (StoreException unreadable) {
            // e.g. written with another master key: the sandbox owns this definition, start it afresh
            out.println("Replacing the unreadable definition '" + DEFINITION + "': " + unreadable.getMessage());
            Files.deleteIfExists(dir.resolve(DEFINITION + ".json"));
            existing = Optional.empty();
        }
        boolean secretChanged = existing.map(s -> !d.clientSecret().equals(s.definition().clientSecret()))
                .orElse(true);
        store.save(d, existing.map(StoredDefinition::version).orElse(0L), secretChanged, "sandbox");
        return d;
    }

    /**
     * Run before Payara boots: the resource adapter's store directory (applied when imapra.rar is deployed), the
     * console's user in the file realm, and HTTP on loopback only.
     */
    private String preBootCommands(Path passwordFile) {
        return String.join("\n",
                "create-resource-adapter-config --property storeDirectory=" + asadminValue(state.resolve("store")) + " imapra",
                "create-file-user --groups " + ADMIN_GROUP + " --passwordfile " + passwordFile + " " + ADMIN_USER,
                MicroProcess.HTTP_ON_LOOPBACK,
                "");
    }

    /** Run after Payara booted, in this order: the resource adapter first, then what uses it. */
    private String postBootCommands() {
        return String.join("\n",
                "deploy --name imapra " + deploy.resolve("imapra.rar"),
                "deploy --name imapra-admin --contextroot /imapra-admin " + deploy.resolve("imapra-admin.war"),
                "deploy --name imapra-example --contextroot /imapra-example " + deploy.resolve("imapra-example.war"),
                "");
    }

    /** Escapes what asadmin's property syntax gives a meaning to ({@code : = \}). */
    private static String asadminValue(Path p) {
        return p.toString().replace("\\", "\\\\").replace(":", "\\:").replace("=", "\\=");
    }

    /** {@code null} once the example application's ping answers OK and the console answers, else what is not. */
    private static String missing(String base) {
        Answer ping = get(base + "/imapra-example/ping");
        Answer console = get(base + "/imapra-admin/");
        // the console answers its start page, or asks to sign in
        if (ping.status == 200 && (console.status == 200 || console.status == 302 || console.status == 401)) {
            return null;
        }
        return "example ping: " + ping + "; console: " + console;
    }

    private void printReady(String base, String password, MailboxDefinition d) {
        String to = d.userName();
        int smtp = m365.smtpPort();
        out.println();
        out.println(READY);
        out.println();
        out.println("  Admin console:  " + base + "/imapra-admin/");
        out.println("  Sign in:        " + ADMIN_USER + " / " + password);
        out.println("  Example app:    " + base + "/imapra-example/");
        out.println();
        out.println("  Definition '" + DEFINITION + "': mailbox " + to + " at the local Microsoft 365 stand-in");
        out.println("    token endpoint " + d.tokenEndpoint());
        out.println("    IMAPS          " + d.imapHost() + ":" + d.imapPort() + " (XOAUTH2)");
        out.println("    store          " + state.resolve("store"));
        out.println();
        out.println("  Send a test mail: the example app's \"Send a test mail\" button, or SMTP to 127.0.0.1:" + smtp
                + ", e.g.");
        out.println("    printf 'From: you@fabrikam.example\\r\\nSubject: Hello\\r\\n\\r\\nHello imapra\\r\\n' | curl -sS smtp://127.0.0.1:" + smtp
                + " --mail-from you@fabrikam.example --mail-rcpt " + to + " -T -");
        out.println("  The example's MDB receives it within seconds (example app, \"Received by the MDB\"; "
                + "log: " + shown(state.resolve("payara.log")) + ").");
        out.println();
        out.println("Press Ctrl-C to stop.");
        out.flush();
    }

    /** The path relative to the working directory (the repository root for ./run), when below it. */
    private static Path shown(Path p) {
        Path cwd = Path.of("").toAbsolutePath();
        return p.startsWith(cwd) ? cwd.relativize(p) : p;
    }

    /** Stops Payara Micro (SIGTERM to it, then its whole process tree by force if needed) and the stand-in. */
    private synchronized void stop() {
        if (stopping) {
            return;
        }
        stopping = true;
        MicroProcess p = micro;
        if (p != null && p.isAlive()) {
            out.println("Stopping Payara Micro ...");
            if (!p.stop(STOP_TIMEOUT)) {
                out.println("Payara Micro did not stop within " + STOP_TIMEOUT.toSeconds() + " s: killed it");
            }
        }
        LocalM365 standin = m365;
        if (standin != null) {
            out.println("Stopping the local Microsoft 365 stand-in ...");
            standin.close();
        }
        out.println("Stopped.");
        out.flush();
    }

    private static Path writeOwnerOnly(Path file, String content) throws IOException {
        Files.deleteIfExists(file);
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException noPosix) {
            Files.createFile(file);
        }
        return Files.writeString(file, content);
    }

    private static String randomPassword() {
        String alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 16; i++) {
            b.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
        }
        return b.toString();
    }

    private static boolean isFree(int port) {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private record Answer(int status, String body) {
        @Override
        public String toString() {
            return status < 0 ? body : "HTTP " + status + (body.isBlank() ? "" : " " + body.strip());
        }
    }

    private static Answer get(String url) {
        try {
            HttpURLConnection c = (HttpURLConnection) URI.create(url).toURL().openConnection();
            c.setConnectTimeout(2000);
            c.setReadTimeout(30000);
            c.setInstanceFollowRedirects(false);
            int status = c.getResponseCode();
            InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream();
            String body = in == null ? "" : new String(in.readNBytes(2000), StandardCharsets.UTF_8);
            c.disconnect();
            return new Answer(status, body.length() > 300 ? body.substring(0, 300) + " ..." : body);
        } catch (IOException e) {
            return new Answer(-1, e.toString());
        }
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            List<Path> all = new ArrayList<>(paths.sorted(Comparator.reverseOrder()).toList());
            for (Path p : all) {
                Files.deleteIfExists(p);
            }
        }
    }
}
