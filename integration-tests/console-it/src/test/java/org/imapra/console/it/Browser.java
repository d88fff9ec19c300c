package org.imapra.console.it;

import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.File;
import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Headless Chromium of the machine ({@code it.chromium}, {@code it.chromedriver}: explicit, so Selenium Manager never
 * downloads anything), with a fresh profile under target/. Every page it shows is checked for the secrets it was
 * told about: {@link #page()} fails when the page's source contains one.
 */
final class Browser implements AutoCloseable {

    private final WebDriver driver;
    private final List<String> secrets = new ArrayList<>();
    private final List<String> browserLog = new ArrayList<>();
    private int pagesChecked;

    Browser(String profile) throws IOException {
        String chromedriver = ConsoleExtension.required("it.chromedriver");
        String chromium = ConsoleExtension.required("it.chromium");
        for (String exe : List.of(chromium, chromedriver)) {
            if (!Files.isExecutable(Path.of(exe))) {
                throw new IllegalStateException(exe + " is missing: the browser tests need Chromium and its driver "
                        + "(Debian: apt-get install -y chromium chromium-driver)");
            }
        }
        System.setProperty("webdriver.chrome.driver", chromedriver);
        Path profiles = Path.of(ConsoleExtension.required("it.browser.profiles"));
        Files.createDirectories(profiles);
        Path userData = Files.createTempDirectory(profiles, profile + "-");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium);
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
                "--window-size=1280,1000", "--user-data-dir=" + userData);
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        // the local Microsoft 365 stand-in's sign-in pages (delegated sign-in) use the test CA, unknown to Chromium
        options.setAcceptInsecureCerts(true);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(chromedriver)).usingAnyFreePort().build();
        driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(120));
    }

    /** From now on no page may contain {@code secret}. */
    void neverShow(String secret) {
        secrets.add(secret);
    }

    Browser open(URL base, String path) {
        driver.get(base + path);
        return page();
    }

    /** Checks the page now shown (call after every navigation). */
    Browser page() {
        String source = driver.getPageSource();
        for (String s : secrets) {
            assertFalse(source.contains(s), "a secret is in the page " + driver.getCurrentUrl());
        }
        pagesChecked++;
        collectLog();
        return this;
    }

    int pagesChecked() {
        return pagesChecked;
    }

    String currentUrl() {
        return driver.getCurrentUrl();
    }

    WebElement find(String css) {
        return driver.findElement(By.cssSelector(css));
    }

    List<WebElement> findAll(String css) {
        return driver.findElements(By.cssSelector(css));
    }

    WebElement byId(String id) {
        return driver.findElement(By.id(id));
    }

    String text(String css) {
        return find(css).getText();
    }

    boolean exists(String css) {
        return !findAll(css).isEmpty();
    }

    Browser type(String id, String value) {
        WebElement e = byId(id);
        e.clear();
        if (value != null) {
            e.sendKeys(value);
        }
        return this;
    }

    /** Clicks and waits until the new page has {@code expectCss}. */
    Browser click(String id, String expectCss) {
        byId(id).click();
        return await(expectCss);
    }

    Browser clickLink(String css, String expectCss) {
        find(css).click();
        return await(expectCss);
    }

    Browser await(String css) {
        new WebDriverWait(driver, Duration.ofSeconds(120)).until(ExpectedConditions.presenceOfElementLocated(
                By.cssSelector(css)));
        return page();
    }

    boolean alertShown() {
        try {
            driver.switchTo().alert();
            return true;
        } catch (org.openqa.selenium.NoAlertPresentException none) {
            return false;
        }
    }

    /**
     * Clicks the submit button {@code buttonId} of form {@code formId} but keeps the browser on the page (a listener
     * added after the page's own cancels the submission), and waits until the page's script disabled the button.
     */
    void submitAndStay(String formId, String buttonId) {
        script("document.getElementById(arguments[0]).addEventListener('submit', e => e.preventDefault());", formId);
        byId(buttonId).click();
        new WebDriverWait(driver, Duration.ofSeconds(5)).until(d -> !d.findElement(By.id(buttonId)).isEnabled());
    }

    /** Opens a new tab, shows it and returns the handle of the tab shown before. */
    String newTab() {
        String before = driver.getWindowHandle();
        driver.switchTo().newWindow(org.openqa.selenium.WindowType.TAB);
        return before;
    }

    /** Closes the tab shown and shows {@code handle}. */
    void closeTabFor(String handle) {
        driver.close();
        driver.switchTo().window(handle);
    }

    String title() {
        return driver.getTitle();
    }

    String source() {
        return driver.getPageSource();
    }

    Object script(String js, Object... args) {
        return ((org.openqa.selenium.JavascriptExecutor) driver).executeScript(js, args);
    }

    /** Saves a PNG of the window under {@code it.screenshots} and returns its path. */
    Path screenshot(String name) throws IOException {
        Path dir = Path.of(ConsoleExtension.required("it.screenshots"));
        Files.createDirectories(dir);
        File png = ((org.openqa.selenium.TakesScreenshot) driver).getScreenshotAs(OutputType.FILE);
        Path target = dir.resolve(name + ".png");
        Files.copy(png.toPath(), target, StandardCopyOption.REPLACE_EXISTING);
        return target;
    }

    /** The browser console's messages so far (CSP violations would be here). */
    List<String> consoleLog() {
        collectLog();
        return List.copyOf(browserLog);
    }

    private void collectLog() {
        for (LogEntry e : driver.manage().logs().get(LogType.BROWSER)) {
            browserLog.add(e.getLevel() + " " + e.getMessage());
        }
    }

    @Override
    public void close() {
        driver.quit();
    }
}
