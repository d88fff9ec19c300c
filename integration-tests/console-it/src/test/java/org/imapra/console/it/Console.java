package org.imapra.console.it;

import java.net.URL;
import java.util.LinkedHashMap;
import java.util.Map;
import org.openqa.selenium.WebElement;

/** What a user does in the console, in the browser (ids and classes of the console's pages). */
final class Console {

    static final String ADMIN = ConsoleExtension.required("it.admin.user");
    static final String ADMIN_PASSWORD = ConsoleExtension.required("it.admin.password");
    static final String STAFF = ConsoleExtension.required("it.staff.user");
    static final String STAFF_PASSWORD = ConsoleExtension.required("it.staff.password");

    private final Browser browser;
    private final URL base;

    Console(Browser browser, URL base) {
        this.browser = browser;
        this.base = base;
    }

    /** Opens a page of the console (relative to the context root) and returns the browser. */
    Browser open(String path) {
        return browser.open(base, path);
    }

    /** Opens the start page, which asks for sign-in, signs in and waits for {@code expectCss}. */
    Browser signIn(String user, String password, String expectCss) {
        open("index.xhtml").await("#login");
        browser.type("j_username", user).type("j_password", password);
        return browser.click("sign-in", expectCss);
    }

    Browser signOut() {
        return browser.click("sign-out", "#login");
    }

    /** Fills the definition form with {@code values} (field id → value; null clears) and presses Create/Save. */
    Browser submitDefinition(Map<String, String> values, String expectCss) {
        values.forEach((field, value) -> {
            WebElement e = browser.byId("definition:" + field);
            if ("select".equals(e.getTagName())) {
                new org.openqa.selenium.support.ui.Select(e).selectByValue(value);
            } else {
                browser.type("definition:" + field, value);
            }
        });
        return browser.click("definition:save", expectCss);
    }

    /** The field's message ("" when none). */
    String fieldError(String field) {
        var errors = browser.findAll("#definition\\:" + field + " ~ .field-error");
        return errors.isEmpty() ? "" : errors.get(0).getText();
    }

    /** The row of a definition in the list: cell class → text. */
    Map<String, String> row(String name) {
        Map<String, String> cells = new LinkedHashMap<>();
        for (WebElement td : browser.findAll("tr.definition[data-name='" + name + "'] td")) {
            cells.put(td.getAttribute("class"), td.getText());
        }
        return cells;
    }

    /** The ping report's stages: name → [status, details with hint]. */
    Map<String, String[]> stages() {
        Map<String, String[]> out = new LinkedHashMap<>();
        for (WebElement tr : browser.findAll("#stages tr.stage")) {
            String hint = tr.findElements(org.openqa.selenium.By.cssSelector(".hint")).stream()
                    .map(WebElement::getText).findFirst().orElse("");
            out.put(tr.getAttribute("data-stage"), new String[] {
                tr.findElement(org.openqa.selenium.By.cssSelector(".stage-status")).getText(),
                tr.findElement(org.openqa.selenium.By.cssSelector(".details")).getText(), hint});
        }
        return out;
    }

    /** The top messages (info and errors) of the page. */
    String messages() {
        return browser.findAll("#messages li").stream().map(WebElement::getText).reduce("", (a, b) -> a + "\n" + b)
                .strip();
    }

    /** The definition form for the stand-in's app and mailbox. */
    static Map<String, String> standinDefinition(String name, String secret) {
        org.imapra.standin.LocalM365 m365 = ConsoleExtension.m365();
        Map<String, String> form = new LinkedHashMap<>();
        form.put("name", name);
        form.put("userName", org.imapra.standin.LocalM365.DEFAULT_MAILBOX);
        form.put("cloud", "GLOBAL");
        form.put("tenantId", org.imapra.standin.LocalM365.DEFAULT_TENANT_ID);
        form.put("clientId", org.imapra.standin.LocalM365.DEFAULT_CLIENT_ID);
        form.put("clientSecret", secret);
        form.put("authorityHost", m365.authorityHost());
        form.put("imapHost", m365.imapHost());
        form.put("imapPort", Integer.toString(m365.imapsPort()));
        return form;
    }
}
