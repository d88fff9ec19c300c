package org.imapra.bench;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.imapra.config.FileDefinitionStore;
import org.imapra.config.MailboxDefinition;
import org.imapra.sandbox.MicroProcess;
import org.imapra.standin.LocalM365;

/**
 * P1 inside Payara Micro: the stand-in runs here, Payara Micro in a child JVM with {@code imapra.rar} (first) and
 * the benchmark application ({@code integration-tests/bench-app}), whose servlet times its EJB in a loop: the
 * container's pool of imapra connections against the hand-written connect-per-call peer in the same EJB. Payara
 * Micro and what it deploys come from {@code target/deploy} next to the benchmarks' jar.
 */
final class P1InContainer {

    private static final String TRUST_STORE_PASSWORD = "changeit";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(240);
    /** Payara Micro's log of the last run, kept (the work directory is deleted). */
    private static final Path KEPT_LOG = Path.of(System.getProperty("java.io.tmpdir"), "imapra-bench-p1-micro.log");

    private P1InContainer() {
    }

    /** One variant's figures, as the servlet answers them. */
    record Figures(long ops, double meanMicros, double p50Micros, double p99Micros) {
        double opsPerSecond() {
            return 1e6 / meanMicros;
        }
    }

    /**
     * Runs both variants and adds the section and a summary row. {@code standaloneMeanMicros}: the mean of the
     * standalone P1's pooled checkout (NaN if P1 did not run), for the container's share.
     */
    static void run(Scale scale, Report report, Path work, Map<String, Double> standaloneMeans,
                    List<BenchServer> servers, LocalM365 m365, P3Inbound.Results p3, boolean checkout, boolean mdb)
            throws Exception {
        run(scale, report, work, standaloneMeans, servers, m365, p3, checkout, mdb, P3Inbound.MdbVariant.DEFAULTS);
    }

    /** The same, in a Payara Micro started for {@code variant} (its JVM option added) in a work directory of its own. */
    static void run(Scale scale, Report report, Path parent, Map<String, Double> standaloneMeans,
                    List<BenchServer> servers, LocalM365 m365, P3Inbound.Results p3, boolean checkout, boolean mdb,
                    P3Inbound.MdbVariant variant) throws Exception {
        Path work = Files.createDirectories(parent.resolve("micro-" + variant.name()));
        Path deploy = deployDirectory();
        for (String f : List.of("payara-micro.jar", "imapra.rar", "imapra-bench.war")) {
            if (!Files.isRegularFile(deploy.resolve(f))) {
                throw new IllegalStateException("Missing " + deploy.resolve(f) + ": build the benchmarks module "
                        + "(./mvnw -pl integration-tests/benchmarks -am package -DskipTests)");
            }
        }
        BenchServer mdbServer = servers.get(0); // Dovecot when it runs
        MicroProcess micro = null;
        Path log = work.resolve("payara.log");
        try {
            for (BenchServer s : servers) {
                s.purge();
                s.fill(Bench.MAILBOX, 1, i -> message("p1"));
            }
            Path store = work.resolve("store");
            FileDefinitionStore.open(store).save(MailboxDefinition.builder().name("bench-mdb")
                    .userName(BenchServer.MDB_MAILBOX).tenantId(LocalM365.DEFAULT_TENANT_ID)
                    .clientId(LocalM365.DEFAULT_CLIENT_ID).clientSecret(LocalM365.DEFAULT_CLIENT_SECRET)
                    .authorityHost(m365.authorityHost()).imapHost(mdbServer.imapHost())
                    .imapPort(mdbServer.imapsPort()).readTimeoutMillis(60_000).build(), 0, true, "benchmarks");
            Path trustStore = m365.certificates().writeServerTrustStore(work.resolve("truststore.p12"),
                    TRUST_STORE_PASSWORD.toCharArray());
            Path preBoot = Files.writeString(work.resolve("preboot.txt"), MicroProcess.HTTP_ON_LOOPBACK + "\n"
                    + "create-resource-adapter-config --property storeDirectory=" + asadminValue(store)
                    + " imapra\n");
            Path postBoot = Files.writeString(work.resolve("postboot.txt"),
                    "deploy --name imapra " + deploy.resolve("imapra.rar") + "\n"
                            + "deploy --name imapra-bench --contextroot /imapra-bench "
                            + deploy.resolve("imapra-bench.war") + "\n");
            int port = MicroProcess.freePort();
            Bench.progress("P1 in container: starting Payara Micro on port " + port + " (log kept in " + KEPT_LOG
                    + ")");
            long t0 = System.nanoTime();
            MicroProcess.Options options = MicroProcess.options(deploy.resolve("payara-micro.jar"),
                            work.resolve("micro"), log)
                    .jvmOption("-Xmx1g") // as the JMH forks of the standalone P1
                    .jvmOptions(System.getProperty("imapra.bench.microJvmOptions", "")) // e.g. a JFR recording
                    .jvmOptions(variant.jvmOption())
                    .trustStore(trustStore, TRUST_STORE_PASSWORD)
                    .systemProperty(CHECKOUT_AUTHORITY, m365.authorityHost());
            for (String name : List.of("dovecot", "greenmail")) {
                BenchServer s = servers.stream().filter(x -> x.name().equals(name)).findFirst().orElse(mdbServer);
                options.systemProperty("imapra.bench." + name + ".imapHost", s.imapHost())
                        .systemProperty("imapra.bench." + name + ".imapsPort", Integer.toString(s.imapsPort()));
            }
            micro = options.port(port)
                    .clusterName("imapra-bench-" + ProcessHandle.current().pid())
                    .preBootCommands(preBoot)
                    .postBootCommands(postBoot)
                    .start();
            String base = "http://127.0.0.1:" + port + "/imapra-bench";
            micro.awaitReady(START_TIMEOUT, () -> ready(base + "/checkout"));
            Bench.progress("P1 in container: Payara Micro ready after "
                    + Report.f1((System.nanoTime() - t0) / 1e9) + " s");

            // at least 6 s: Payara's code paths need that to be compiled, even for --quick
            double warmup = Math.max(6, scale.p1WarmupIterations * scale.p1WarmupSeconds);
            double measure = scale.p1MeasurementIterations * scale.p1MeasurementSeconds;
            List<List<String>> rows = new ArrayList<>();
            if (mdb) {
                P3Mdb.run(scale, mdbServer, base + "/mdb", p3, variant);
            }
            if (!checkout) {
                return;
            }
            String token = HandWritten.msal(m365.authorityHost()).token(); // held, as in the standalone P1
            for (BenchServer s : servers) {
                Figures pooled = measure(base + "/checkout", s.name(), "pooled", null, warmup, measure);
                Figures perCall = measure(base + "/checkout", s.name(), "perCall", token, warmup, measure);
                report(report, rows, s.title(), pooled, perCall, standaloneMeans.getOrDefault(s.title(), Double.NaN));
            }
            report.section("## P1 in Payara Micro: the same checkout through an EJB\n\n"
                    + "Payara Micro " + Env.version("payara-micro") + " in a child JVM (-Xmx1g) with imapra.rar and "
                    + "the benchmark application (`integration-tests/bench-app`). Its servlet calls a stateless EJB in "
                    + "a loop on one thread: the EJB takes a connection from the pool Payara keeps for a "
                    + "`@ConnectionFactoryDefinition` (min 1, max 8; one per server), or runs the hand-written peer, "
                    + "against the same servers as above (stand-in in the harness' JVM, Dovecot in its own processes, "
                    + "on loopback). Warm-up " + Report.f0(warmup) + " s, then " + Report.f0(measure) + " s timed, "
                    + "every call; ops/s = 1 / mean. Against the standalone P1, the container adds Payara's "
                    + "connection pool instead of imapra's small one, the EJB call and its interceptors (no "
                    + "transaction: NOT_SUPPORTED); and the client runs in another JVM than the stand-in, sharing "
                    + "the 2 cores.\n\n"
                    + Report.table(List.of("server", "variant", "ops/s", "mean", "p50", "p99", "samples",
                    "time / imapra's", "time / standalone P1's"), rows));
        } finally {
            if (micro != null) {
                micro.stop(Duration.ofSeconds(30));
            }
            if (Files.exists(log)) {
                Files.copy(log, KEPT_LOG, StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    private static final String CHECKOUT_AUTHORITY = "imapra.bench.authorityHost";

    static jakarta.mail.internet.MimeMessage message(String subject) {
        try {
            return Mails.small(subject);
        } catch (jakarta.mail.MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Escapes what asadmin's property syntax gives a meaning to ({@code : = \}). */
    private static String asadminValue(Path p) {
        return p.toString().replace("\\", "\\\\").replace(":", "\\:").replace("=", "\\=");
    }

    private static void report(Report report, List<List<String>> rows, String server, Figures pooled,
                               Figures perCall, double standaloneMeanMicros) {
        rows.add(row(server, "imapra: EJB → getConnection() from Payara's pool + STATUS + close()", pooled, pooled,
                standaloneMeanMicros));
        rows.add(row(server, "hand-written in the same EJB: connect per call (token held, new Session, TLS, "
                + "XOAUTH2, STATUS, LOGOUT)", perCall, pooled, Double.NaN));
        report.row("P1 checkout in Payara Micro, through an EJB, " + server, "ops/s (p50 / p99)",
                opsAndPercentiles(pooled), opsAndPercentiles(perCall) + " connect-per-call in the same EJB",
                Report.x(perCall.meanMicros() / pooled.meanMicros()) + " faster; " + Report.x(pooled.meanMicros()
                        / standaloneMeanMicros) + " the standalone checkout's time");
    }

    private static List<String> row(String server, String name, Figures f, Figures pooled, double standalone) {
        return List.of(server, name, Report.f0(f.opsPerSecond()), Report.us(f.meanMicros()), Report.us(f.p50Micros()),
                Report.us(f.p99Micros()), Long.toString(f.ops()),
                f == pooled ? "—" : Report.x(f.meanMicros() / pooled.meanMicros()),
                Double.isNaN(standalone) ? "" : Report.x(f.meanMicros() / standalone));
    }

    private static String opsAndPercentiles(Figures f) {
        return Report.f0(f.opsPerSecond()) + " (" + Report.us(f.p50Micros()) + " / " + Report.us(f.p99Micros()) + ")";
    }

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    /** {@code null} once a pooled checkout through the EJB answers (the pool is then warm), else the answer. */
    private static String ready(String url) {
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60))
                    .GET().build(), HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? null : "HTTP " + r.statusCode() + " " + firstLine(r.body());
        } catch (IOException e) {
            return e.toString();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    private static Figures measure(String url, String server, String variant, String token, double warmup,
                                   double seconds) throws IOException, InterruptedException {
        Bench.progress("P1 in container, " + server + ": " + variant + ", warm-up " + Report.f0(warmup) + " s, measurement "
                + Report.f0(seconds) + " s");
        String form = "server=" + server + "&variant=" + variant + "&warmupSeconds=" + warmup + "&seconds=" + seconds
                + (token == null ? "" : "&token=" + URLEncoder.encode(token, StandardCharsets.UTF_8));
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds((long) (warmup + seconds) + 120))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("P1 in container, " + variant + ": HTTP " + r.statusCode() + ": "
                    + r.body());
        }
        Map<String, String> v = new HashMap<>();
        for (String line : r.body().split("\\R")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                v.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        return new Figures(Long.parseLong(v.get("ops")), Double.parseDouble(v.get("meanMicros")),
                Double.parseDouble(v.get("p50Micros")), Double.parseDouble(v.get("p99Micros")));
    }

    private static String firstLine(String s) {
        String line = s.strip().lines().findFirst().orElse("");
        return line.length() > 200 ? line.substring(0, 200) + " ..." : line;
    }

    /** {@code target/deploy} next to the benchmarks' jar (or {@code -Dimapra.bench.deploy}). */
    private static Path deployDirectory() throws URISyntaxException {
        String configured = System.getProperty("imapra.bench.deploy");
        if (configured != null) {
            return Path.of(configured);
        }
        Path code = Path.of(P1InContainer.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        return code.getParent().resolve("deploy"); // target/imapra-benchmarks.jar or target/classes -> target
    }
}
