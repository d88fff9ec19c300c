package org.imapra.console.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import java.io.File;
import java.io.StringReader;
import java.net.URL;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.imapra.standin.LocalM365;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * MicroProfile Health and Metrics of the console WAR on Payara Micro with imapra.rar only (plus a test MDB on the
 * definition 'support', stored before Micro starts): {@code /health/ready} lists the mailbox UP; {@code /metrics}
 * counts a mail sent over SMTP to the stand-in; a wrong secret saved in the console turns the mailbox DOWN with the
 * AADSTS code; the console's badge and chart show both. One deployment (one Micro); the tests build on each other.
 */
@ExtendWith(ConsoleExtension.class) // the stand-in
@ExtendWith(HealthExtension.class) // the definition 'support' in the store, before Micro starts
@ExtendWith(ArquillianExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HealthIT {

    private static final String CHECK = "imapra-mailbox-support";
    private static final String WRONG_SECRET = "wrong~Secret.Value-0816";
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final Pattern DELIVERIES = Pattern.compile(
            "(?m)^imapra_deliveries_total\\{[^}]*mailbox=\"support\"[^}]*\\}\\s+([0-9.eE+]+)");

    private static Browser browser;

    @Deployment(testable = false)
    static WebArchive consoleWar() {
        return ShrinkWrap.createFromZipFile(WebArchive.class, new File(ConsoleExtension.required("it.war")))
                .addClass(HealthMail.class);
    }

    @ArquillianResource
    private URL base;

    @BeforeAll
    static void startBrowser() throws Exception {
        browser = new Browser("health");
        browser.neverShow(LocalM365.DEFAULT_CLIENT_SECRET);
        browser.neverShow(WRONG_SECRET);
    }

    @AfterAll
    static void closeBrowser() {
        if (browser != null) {
            browser.close();
        }
    }

    private Http server() throws Exception {
        return new Http(new URL(base, "/"));
    }

    private JsonObject ready() throws Exception {
        HttpResponse<String> r = server().get("health/ready");
        try (JsonReader reader = Json.createReader(new StringReader(r.body()))) {
            return reader.readObject();
        }
    }

    private static Optional<JsonObject> check(JsonObject health, String name) {
        return health.getJsonArray("checks").stream().map(v -> (JsonObject) v)
                .filter(c -> name.equals(c.getString("name"))).findFirst();
    }

    private long deliveries() throws Exception {
        String metrics = server().get("metrics").body();
        Matcher m = DELIVERIES.matcher(metrics);
        return m.find() ? (long) Double.parseDouble(m.group(1)) : 0;
    }

    /** Polls until {@code condition} holds (within {@link #WAIT}), then returns; else fails with {@code what}. */
    private void await(String what, Callable<Boolean> condition) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.call()) {
            if (System.nanoTime() > deadline) {
                fail("not within " + WAIT + ": " + what + "; /health/ready: " + server().get("health/ready").body());
            }
            Thread.sleep(250);
        }
    }

    @Test
    @Order(1)
    void readinessListsTheMailboxUp() throws Exception {
        await("/health/ready has " + CHECK + " UP", () -> check(ready(), CHECK)
                .map(c -> "UP".equals(c.getString("status"))).orElse(false));
        JsonObject health = ready();
        JsonObject c = check(health, CHECK).orElseThrow();
        assertEquals("support", c.getJsonObject("data").getString("mailbox", null), c.toString());
        assertTrue(c.getJsonObject("data").containsKey("lastDeliveryAgeSeconds"), c.toString());
        JsonObject all = check(health, "imapra-mailboxes").orElseThrow(() -> new AssertionError(health.toString()));
        assertEquals("UP", all.getJsonObject("data").getString("support"), all.toString());
        HttpResponse<String> live = server().get("health/live");
        assertEquals(200, live.statusCode(), live.body());
        assertTrue(live.body().contains("imapra-adapter"), live.body());
    }

    @Test
    @Order(2)
    void theConsoleShowsTheBadgeAndAnEmptyChart() {
        Console c = new Console(browser, base);
        c.signIn(Console.ADMIN, Console.ADMIN_PASSWORD, "#definitions");
        assertEquals("UP", browser.text("tr.definition[data-name='support'] td.health .badge"));
        assertEquals("0", browser.find("tr.definition[data-name='support'] svg.chart").getAttribute("data-deliveries"));
        assertTrue(c.row("support").get("health").contains("credential expires: unknown"), c.row("support").toString());
    }

    @Test
    @Order(3)
    void metricsCountAMailSentOverSmtp() throws Exception {
        long before = deliveries();
        java.util.Properties p = new java.util.Properties();
        p.setProperty("mail.smtp.host", "127.0.0.1");
        p.setProperty("mail.smtp.port", Integer.toString(ConsoleExtension.m365().smtpPort()));
        jakarta.mail.internet.MimeMessage m = new jakarta.mail.internet.MimeMessage(jakarta.mail.Session.getInstance(p));
        m.setFrom("customer@fabrikam.example");
        m.setRecipients(jakarta.mail.Message.RecipientType.TO, LocalM365.DEFAULT_MAILBOX);
        m.setSubject("[health] parcel 7");
        m.setText("Where is parcel 7?");
        jakarta.mail.Transport.send(m);
        await("imapra_deliveries_total of support grows from " + before, () -> deliveries() > before);
        assertEquals(before + 1, deliveries());
        String metrics = server().get("metrics").body();
        for (String name : new String[] {"imapra_token_requests_total", "imapra_mailbox_up",
                "imapra_delivery_latency_seconds_bucket", "imapra_imap_commands_total", "imapra_pool_connections_idle",
                "imapra_mailbox_connection_budget", "imapra_throttled_seconds_total"}) {
            assertTrue(metrics.contains(name), name + " in /metrics");
        }
    }

    @Test
    @Order(4)
    void theChartShowsTheDelivery() {
        Console c = new Console(browser, base);
        c.open("index.xhtml").await("#definitions");
        assertEquals("1", browser.find("tr.definition[data-name='support'] svg.chart").getAttribute("data-deliveries"));
        assertTrue(browser.findAll("tr.definition[data-name='support'] svg.chart rect.delivered").size() >= 1);
        assertTrue(c.row("support").get("health").contains("last delivery: 20"), c.row("support").toString());
    }

    @Test
    @Order(5)
    void aWrongSecretTurnsTheMailboxDownWithItsAadstsCode() throws Exception {
        Console c = new Console(browser, base);
        c.open("edit.xhtml?name=support").await("form#definition");
        c.submitDefinition(Map.of("clientSecret", WRONG_SECRET), "#definitions");
        await("/health/ready has " + CHECK + " and imapra-mailboxes DOWN", () -> {
            JsonObject h = ready();
            return check(h, CHECK).map(x -> "DOWN".equals(x.getString("status"))).orElse(false)
                    && check(h, "imapra-mailboxes").map(x -> "DOWN".equals(x.getString("status"))).orElse(false);
        });
        JsonObject health = ready();
        assertEquals("DOWN", health.getString("status"));
        JsonObject data = check(health, CHECK).orElseThrow().getJsonObject("data");
        assertEquals("AADSTS7000215", data.getString("aadsts", null), data.toString());
        assertTrue(data.getString("reason").contains("AADSTS7000215"), data.toString());
        JsonObject all = check(health, "imapra-mailboxes").orElseThrow().getJsonObject("data");
        assertEquals("AADSTS7000215", all.getString("support.aadsts", null), all.toString());
        assertEquals(503, server().get("health/ready").statusCode());
        assertEquals(200, server().get("health/live").statusCode(), "a mailbox's state is not the adapter's liveness");
        Pattern failures = Pattern.compile(
                "(?m)^imapra_token_failures_total\\{[^}]*code=\"AADSTS7000215\"[^}]*\\}\\s+[1-9]");
        await("imapra_token_failures_total{code=AADSTS7000215} in /metrics (a new code's gauge: within 10 s)",
                () -> failures.matcher(server().get("metrics").body()).find());

        c.open("index.xhtml").await("#definitions");
        assertEquals("DOWN", browser.text("tr.definition[data-name='support'] td.health .badge"));
        assertTrue(browser.text("tr.definition[data-name='support'] td.health .reason").contains("AADSTS7000215"));
    }
}
