package org.imapra.console.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.net.URL;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
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
 * The console as built (imapra-admin.war) on Payara Micro with imapra.rar, driven in headless Chromium against the
 * local Microsoft 365 stand-in: sign-in and roles, create, ping, edit, wrong secret, delete. One deployment (one
 * Micro), one browser; the tests build on each other in order. No page may ever contain a client secret.
 */
@ExtendWith(ConsoleExtension.class) // first: stand-in, trust store and an empty store directory before Micro starts
@ExtendWith(ArquillianExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleIT {

    private static final String NAME = "support";
    private static final String SECRET = LocalM365.DEFAULT_CLIENT_SECRET;
    private static final String WRONG_SECRET = "wrong~Secret.Value-0815";
    private static final List<String> STAGES = List.of("Definition", "Authority", "Token", "Token claims",
            "TLS connection", "Capabilities", "Authenticate", "Mailbox");

    private static Browser browser;

    @Deployment(testable = false)
    static WebArchive consoleWar() {
        return ShrinkWrap.createFromZipFile(WebArchive.class, new File(ConsoleExtension.required("it.war")))
                .addClass(InboxServlet.class); // test only: an application reading INBOX through the adapter
    }

    @ArquillianResource
    private URL base;

    @BeforeAll
    static void startBrowser() throws Exception {
        browser = new Browser("console");
        browser.neverShow(SECRET);
        browser.neverShow(WRONG_SECRET);
    }

    @AfterAll
    static void closeBrowser() {
        if (browser != null) {
            browser.close();
        }
    }

    private Console console() {
        return new Console(browser, base);
    }

    @Test
    @Order(1)
    void anonymousUsersGetTheSignInPageOnEveryPage() throws Exception {
        Console c = console();
        for (String page : List.of("index.xhtml", "", "edit.xhtml", "ping.xhtml?name=" + NAME,
                "delete.xhtml?name=" + NAME)) {
            c.open(page).await("#login");
            assertEquals("Sign in · imapra console", browser.title(), page);
            assertFalse(browser.exists("#definitions, #no-definitions, form#definition"), page);
        }
        Http anonymous = new Http(base);
        HttpResponse<String> post = anonymous.post("edit.xhtml", "definition", "definition", "definition:name",
                "x", "definition:save", "Create");
        assertTrue(post.body().contains("j_security_check"), "a POST gets the sign-in page too");
        assertFalse(post.body().contains("definition:save"));
        Http.assertSecurityHeaders(anonymous.get("index.xhtml"), true);
    }

    @Test
    @Order(2)
    void aWrongPasswordIsRefused() {
        console().signIn(Console.ADMIN, "not-the-password", "#login-error");
        assertTrue(browser.text("#login-error").contains("wrong"));
    }

    @Test
    @Order(3)
    void usersWithoutTheRoleAreRefused() throws Exception {
        Console c = console();
        c.signIn(Console.STAFF, Console.STAFF_PASSWORD, "#error-text");
        assertTrue(browser.text("#error-text").contains("imapra-admin"), browser.text("#error-text"));
        c.open("edit.xhtml").await("#error-text");
        assertFalse(browser.exists("form#definition"));
        Http staff = new Http(base);
        staff.signIn(Console.STAFF, Console.STAFF_PASSWORD);
        assertEquals(403, staff.get("index.xhtml").statusCode());
        assertEquals(403, staff.get("edit.xhtml").statusCode());
        c.signOut();
    }

    @Test
    @Order(4)
    void theAdminSignsInAndSeesNoDefinitionsYet() throws Exception {
        console().signIn(Console.ADMIN, Console.ADMIN_PASSWORD, "#no-definitions");
        assertEquals(Console.ADMIN, browser.text("#signed-in-user"));
        Http admin = new Http(base);
        admin.signIn(Console.ADMIN, Console.ADMIN_PASSWORD);
        HttpResponse<String> list = admin.get("index.xhtml");
        assertEquals(200, list.statusCode());
        assertTrue(list.body().contains("id=\"no-definitions\""), list.body());
        Http.assertSecurityHeaders(list, true);
        Http.assertSecurityHeaders(admin.get("static/console.css"), false);
    }

    @Test
    @Order(5)
    void invalidInputIsShownAtTheFieldsAndUserDataIsEscaped() {
        Console c = console();
        c.open("edit.xhtml").await("form#definition");
        Map<String, String> form = Console.standinDefinition(NAME, SECRET);
        form.put("name", "<script>alert(1)</script>");
        form.put("clientId", "not-a-guid");
        c.submitDefinition(form, "#messages li");
        assertTrue(c.fieldError("name").contains("'<script>alert(1)</script>' may only contain"),
                "shown as text: " + c.fieldError("name"));
        assertTrue(c.fieldError("clientId").contains("is not a GUID"), c.fieldError("clientId"));
        assertEquals("", c.fieldError("userName"));
        assertEquals("", browser.byId("definition:clientSecret").getAttribute("value"), "secrets are not shown again");
        assertTrue(browser.text("#messages li.warn").contains("secrets you typed are not shown again"),
                "the notice is a warning, not a success: " + c.messages());
        assertFalse(browser.exists("#messages li.info"), "no success notice after a refused save: " + c.messages());
        assertNoScriptRan();
        // A name from the URL is shown back (no such definition) as text too
        c.open("ping.xhtml?name=%3Cscript%3Ealert(1)%3C/script%3E").await("#messages li");
        assertEquals("There is no definition named '<script>alert(1)</script>'.", c.messages());
        assertNoScriptRan();
    }

    private static void assertNoScriptRan() {
        assertFalse(browser.alertShown());
        assertTrue(browser.findAll("script").stream().noneMatch(s -> s.getAttribute("innerHTML").contains("alert")));
    }

    @Test
    @Order(6)
    void createADefinition() {
        Console c = console();
        c.open("edit.xhtml").await("form#definition");
        c.submitDefinition(Console.standinDefinition(NAME, SECRET), "#definitions");
        assertTrue(c.messages().contains("Definition 'support' created."), c.messages());
        Map<String, String> row = c.row(NAME);
        assertEquals(LocalM365.DEFAULT_MAILBOX, row.get("mailbox"));
        assertEquals(LocalM365.DEFAULT_TENANT_ID, row.get("tenant"));
        assertEquals("GLOBAL", row.get("cloud"));
        assertEquals("never", row.get("last-ping"));
        assertEquals("0 in use, 0 idle", row.get("pool"));
        assertEquals("none", row.get("inbound"));
    }

    @Test
    @Order(7)
    void pingShowsEveryStage() throws Exception {
        Console c = console();
        browser.clickLink("tr.definition[data-name='support'] a.ping", "form#pinger");
        // The progress script: shown and no second submission (this one is kept from leaving the page)
        assertFalse(browser.byId("progress").isDisplayed());
        browser.submitAndStay("pinger", "pinger:run");
        assertTrue(browser.byId("progress").isDisplayed());
        assertTrue(browser.text("#progress").startsWith("Pinging"));

        c.open("ping.xhtml?name=" + NAME).await("form#pinger");
        browser.click("pinger:run", "#report");
        Map<String, String[]> stages = c.stages();
        assertEquals(STAGES, List.copyOf(stages.keySet()));
        stages.forEach((stage, s) -> assertEquals("OK", s[0], stage + ": " + s[1]));
        assertEquals("OK", browser.text("#outcome"));
        assertTrue(Files.size(browser.screenshot("ping-report")) > 10_000);

        c.open("index.xhtml").await("#definitions");
        assertTrue(c.row(NAME).get("last-ping").startsWith("OK"), c.row(NAME).get("last-ping"));
        browser.screenshot("definitions");
    }

    @Test
    @Order(8)
    void editShowsTheSecretOnlyAsSetAndKeepsItWhenLeftEmpty() throws Exception {
        Console c = console();
        browser.clickLink("tr.definition[data-name='support'] a.edit", "form#definition");
        assertEquals(NAME, browser.text("#name-shown"));
        assertTrue(browser.text("#clientSecret-state").startsWith("Set, last changed"),
                browser.text("#clientSecret-state"));
        assertEquals("", browser.byId("definition:clientSecret").getAttribute("value"));
        assertEquals("clientSecret", browser.text("#credential-in-use"), "the credential in use is shown");
        assertTrue(browser.text("#credential-expires").startsWith("Expiry not known"),
                browser.text("#credential-expires"));
        browser.screenshot("edit");
        c.submitDefinition(Map.of("readTimeoutMillis", "45000"), "#definitions");
        assertTrue(c.messages().contains("Definition 'support' saved."), c.messages());

        c.open("edit.xhtml?name=" + NAME).await("form#definition");
        c.submitDefinition(Map.of("maxConnectionsPerMailbox", "0", "tokenRenewalMarginSeconds", "7200"),
                "#messages li");
        assertTrue(c.fieldError("maxConnectionsPerMailbox").contains("at least 1"),
                c.fieldError("maxConnectionsPerMailbox"));
        assertTrue(c.fieldError("tokenRenewalMarginSeconds").contains("0 to 1800"),
                c.fieldError("tokenRenewalMarginSeconds"));
        c.submitDefinition(Map.of("maxConnectionsPerMailbox", "8", "tokenRenewalMarginSeconds", "600"),
                "#definitions");
        c.open("edit.xhtml?name=" + NAME).await("form#definition");
        assertEquals("8", browser.byId("definition:maxConnectionsPerMailbox").getAttribute("value"));
        assertEquals("600", browser.byId("definition:tokenRenewalMarginSeconds").getAttribute("value"));

        c.open("ping.xhtml?name=" + NAME).await("form#pinger");
        browser.click("pinger:run", "#report");
        assertEquals("OK", browser.text("#outcome"), "the kept secret still works");
    }

    @Test
    @Order(9)
    void aChangeBySomeoneElseMeanwhileIsNotOverwritten() {
        Console c = console();
        c.open("edit.xhtml?name=" + NAME).await("form#definition");
        String first = browser.newTab();
        c.open("edit.xhtml?name=" + NAME).await("form#definition");
        c.submitDefinition(Map.of("connectTimeoutMillis", "20000"), "#definitions");
        browser.closeTabFor(first);
        c.submitDefinition(Map.of("connectTimeoutMillis", "30000"), "#messages li");
        assertTrue(c.messages().contains("was changed by someone else"), c.messages());
        c.open("edit.xhtml?name=" + NAME).await("form#definition");
        assertEquals("20000", browser.byId("definition:connectTimeoutMillis").getAttribute("value"));
    }

    @Test
    @Order(10)
    void aWrongSecretShowsAadsts7000215AndItsHint() throws Exception {
        Console c = console();
        c.open("edit.xhtml?name=" + NAME).await("form#definition");
        c.submitDefinition(Map.of("clientSecret", WRONG_SECRET), "#definitions");
        c.open("ping.xhtml?name=" + NAME).await("form#pinger");
        browser.click("pinger:run", "#report");
        assertEquals("FAILED", browser.text("#outcome"));
        Map<String, String[]> stages = c.stages();
        String[] token = stages.get("Token");
        assertEquals("FAILED", token[0], token[1]);
        assertTrue(token[1].contains("AADSTS7000215"), token[1]);
        assertTrue(token[2].contains("The client secret is wrong: paste the secret's Value"), token[2]);
        assertEquals("OK", stages.get("Definition")[0]);
        STAGES.subList(STAGES.indexOf("Token") + 1, STAGES.size())
                .forEach(stage -> assertEquals("SKIPPED", stages.get(stage)[0], stage));
        browser.screenshot("ping-wrong-secret");
    }

    @Test
    @Order(11)
    void deleteAsksFirstAndNeedsTheViewState() throws Exception {
        Http forger = new Http(base);
        forger.signIn(Console.ADMIN, Console.ADMIN_PASSWORD);
        HttpResponse<String> forged = forger.post("delete.xhtml?name=" + NAME, "confirm", "confirm",
                "confirm:delete", "Delete", "jakarta.faces.ViewState", "-1:-1");
        assertTrue(forged.body().contains("Page expired"), forged.body());
        Console c = console();
        c.open("index.xhtml").await("#definitions");
        browser.clickLink("tr.definition[data-name='support'] a.delete", "#confirm-text");
        assertTrue(browser.text("#confirm-text").contains("Delete the mailbox definition support"));
        browser.click("cancel", "#definitions");
        assertFalse(c.row(NAME).isEmpty(), "Cancel deletes nothing");
        browser.clickLink("tr.definition[data-name='support'] a.delete", "#confirm-text");
        browser.click("confirm:delete", "#no-definitions");
        assertTrue(c.messages().contains("Definition 'support' deleted."), c.messages());
    }

    @Test
    @Order(12)
    void noSecretInTheServerLogTheStoreOrTheAuditLogAndNoPolicyViolation() throws Exception {
        Evidence.assertAudited(ConsoleExtension.store().resolve("audit.log"), Console.ADMIN,
                List.of("create", "update", "delete"), "clientSecret");
        List<String> secrets = List.of(SECRET, WRONG_SECRET);
        Evidence.assertNotIn(ConsoleExtension.store(), secrets);
        String log = Files.readString(ConsoleExtension.serverLog());
        assertTrue(log.contains("imapra-admin was successfully deployed"), "the server's log");
        Evidence.assertNotIn(ConsoleExtension.serverLog(), secrets);
        assertTrue(browser.pagesChecked() >= 30, "pages checked for secrets: " + browser.pagesChecked());
        assertTrue(browser.consoleLog().stream().noneMatch(l -> l.contains("Content Security Policy")),
                String.join("\n", browser.consoleLog()));
    }

    private static final String DELEGATED = "delegated";

    @Test
    @Order(13)
    void aDelegatedDefinitionIsConnectedThroughTheConsentPageThenPingsAndReadsInbox() throws Exception {
        Console c = console();
        c.open("edit.xhtml").await("form#definition");
        Map<String, String> form = Console.standinDefinition(DELEGATED, SECRET);
        form.put("authMode", "DELEGATED");
        c.submitDefinition(form, "#definitions");
        assertTrue(c.row(DELEGATED).get("sign-in").contains("needs sign-in again"), c.row(DELEGATED).toString());

        c.open("edit.xhtml?name=" + DELEGATED).await("#sign-in");
        assertEquals("true", browser.find("#sign-in-state").getAttribute("data-needs-sign-in"));
        String redirectUri = browser.text("#redirect-uri");
        assertTrue(redirectUri.endsWith("/connect-callback"), redirectUri);
        ConsoleExtension.m365().addRedirectUri(LocalM365.DEFAULT_CLIENT_ID, redirectUri);
        browser.screenshot("connect-before");

        browser.click("connect:start", "#connect-result");
        assertEquals("OK", browser.find("#connect-result").getAttribute("data-outcome"),
                browser.text("#connect-result"));
        assertTrue(browser.text("#connect-result").contains("signed in as " + LocalM365.DEFAULT_MAILBOX),
                browser.text("#connect-result"));
        assertFalse(browser.currentUrl().contains("code="), "the code leaves the address bar");
        browser.screenshot("connect-done");

        c.open("ping.xhtml?name=" + DELEGATED).await("form#pinger");
        browser.click("pinger:run", "#report");
        c.stages().forEach((stage, st) -> assertEquals("OK", st[0], stage + ": " + st[1]));
        assertTrue(c.stages().get("Token")[1].contains("refresh_token"), c.stages().get("Token")[1]);

        ConsoleExtension.m365().mailServer().deliver(LocalM365.DEFAULT_MAILBOX, "delegated", "read me");
        Http admin = new Http(base);
        admin.signIn(Console.ADMIN, Console.ADMIN_PASSWORD);
        String inbox = admin.get("it-inbox?name=" + DELEGATED).body();
        assertTrue(inbox.startsWith("messages=") && !inbox.equals("messages=0"), inbox);

        c.open("index.xhtml").await("#definitions");
        assertTrue(c.row(DELEGATED).get("sign-in").contains("signed in as " + LocalM365.DEFAULT_MAILBOX),
                c.row(DELEGATED).toString());
    }

    @Test
    @Order(14)
    void aForgedOrReplayedStateIsRefused() throws Exception {
        Console c = console();
        c.open("connect-callback?state=forged-state&code=forged-code").await("#connect-result");
        assertEquals("FAILED", browser.find("#connect-result").getAttribute("data-outcome"));
        assertTrue(browser.text("#connect-result").contains("forged or replayed state"),
                browser.text("#connect-result"));
        // the state of the completed sign-in (seen by the authorize endpoint), used again
        String query = ConsoleExtension.m365().tokens().requests().stream()
                .filter(r -> r.path().endsWith("/oauth2/v2.0/authorize")).reduce((a, b) -> b).orElseThrow().query();
        String state = java.util.Arrays.stream(query.split("&")).filter(p -> p.startsWith("state="))
                .findFirst().orElseThrow().substring(6);
        c.open("connect-callback?state=" + state + "&code=replayed-code").await("#connect-result");
        assertEquals("FAILED", browser.find("#connect-result").getAttribute("data-outcome"));
        assertTrue(browser.text("#connect-result").contains("already used"), browser.text("#connect-result"));
    }

    @Test
    @Order(15)
    void aRevokedRefreshTokenShowsNeedsSignInAgain() throws Exception {
        ConsoleExtension.m365().tokens().revokeRefreshTokens(LocalM365.DEFAULT_MAILBOX);
        Console c = console();
        c.open("ping.xhtml?name=" + DELEGATED).await("form#pinger");
        browser.click("pinger:run", "#report");
        String[] token = c.stages().get("Token");
        assertEquals("FAILED", token[0], token[1]);
        assertTrue(token[1].contains("Needs sign-in again") && token[1].contains("AADSTS700082"), token[1]);
        assertTrue(token[2].contains("Connect mailbox"), token[2]);
        c.open("index.xhtml").await("#definitions");
        assertTrue(c.row(DELEGATED).get("sign-in").contains("needs sign-in again"), c.row(DELEGATED).toString());
        c.open("edit.xhtml?name=" + DELEGATED).await("#sign-in");
        assertEquals("true", browser.find("#sign-in-state").getAttribute("data-needs-sign-in"));
        assertTrue(browser.text("#sign-in-state").contains("Needs sign-in again"), browser.text("#sign-in-state"));
        browser.screenshot("needs-sign-in");
        assertTrue(browser.consoleLog().stream().noneMatch(l -> l.contains("Content Security Policy")),
                String.join("\n", browser.consoleLog()));
    }
}
