package io.stockade.server.console;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's headless Chromium driven through its chromedriver, at a laptop's 1366x768. The driver
 * and browser paths are given, so Selenium Manager never looks for (or downloads) anything.
 */
final class Browser implements AutoCloseable {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    static final Path SCREENSHOTS = Path.of("target", "screenshots");

    final ChromeDriver driver;
    private final Path profile;
    private final URI base;

    Browser(URI base) throws IOException {
        assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "browser tests need Debian's chromium and chromium-driver (/usr/bin/chromium, /usr/bin/chromedriver)");
        System.setProperty("webdriver.chrome.driver", CHROMEDRIVER.toString());
        this.base = base;
        this.profile = Files.createTempDirectory("stockade-chromium");
        ChromeOptions o = new ChromeOptions();
        o.setBinary(CHROMIUM.toFile());
        o.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run", "--window-size=1366,768", "--lang=en-US",
                "--user-data-dir=" + profile.toAbsolutePath());
        o.setCapability("goog:loggingPrefs", java.util.Map.of("browser", "ALL"));
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(new File(CHROMEDRIVER.toString()))
                .usingAnyFreePort().build();
        this.driver = new ChromeDriver(service, o);
        driver.manage().window().setSize(new Dimension(1366, 768));
        Files.createDirectories(SCREENSHOTS);
    }

    void open(String hashPath) {
        driver.get(base.resolve("/") + hashPath);
    }

    /** Waits (bounded) until the condition holds; the waiting is not what is tested. */
    <T> T until(Function<WebDriver, T> condition) {
        return new WebDriverWait(driver, Duration.ofSeconds(20)).until(condition);
    }

    WebElement visible(By by) {
        return until(ExpectedConditions.visibilityOfElementLocated(by));
    }

    /** The text of an element, read again if the page replaced the element meanwhile. */
    String text(By by) {
        return new WebDriverWait(driver, Duration.ofSeconds(20)).ignoring(org.openqa.selenium.StaleElementReferenceException.class)
                .until(d -> {
                    WebElement e = ExpectedConditions.visibilityOfElementLocated(by).apply(d);
                    return e == null ? null : e.getText();
                });
    }

    void heading(String text) {
        until(ExpectedConditions.textToBe(By.cssSelector("main h1"), text));
    }

    /**
     * Does something to the element found by {@code by}, finding it again if the page re-rendered
     * it meanwhile (pages follow changes made elsewhere, so an element can be replaced at any time).
     */
    private void act(By by, java.util.function.Consumer<WebElement> action) {
        new WebDriverWait(driver, Duration.ofSeconds(20)).ignoring(org.openqa.selenium.StaleElementReferenceException.class)
                // Covered, or focused and then replaced by a re-render before the keys arrived: found and tried again.
                .ignoring(org.openqa.selenium.ElementNotInteractableException.class).until(d -> {
                    WebElement e = ExpectedConditions.elementToBeClickable(by).apply(d);
                    if (e == null) {
                        return false;
                    }
                    action.accept(e);
                    return true;
                });
    }

    void type(By by, String text) {
        act(by, e -> {
            e.clear();
            e.sendKeys(text);
        });
    }

    void select(By by, String visibleText) {
        act(by, e -> new Select(e).selectByVisibleText(visibleText));
    }

    void selectValue(By by, String value) {
        act(by, e -> new Select(e).selectByValue(value));
    }

    void click(By by) {
        act(by, WebElement::click);
    }

    /** Focuses the element found by {@code by} and presses Enter on it, as a keyboard user does. */
    void pressEnter(By by) {
        act(by, e -> {
            js("arguments[0].focus()", e);
            driver.switchTo().activeElement().sendKeys(Keys.ENTER);
        });
    }

    List<WebElement> all(By by) {
        return driver.findElements(by);
    }

    Object js(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    void signIn(String token) {
        open("");
        type(By.name("token"), token);
        click(By.cssSelector("form.signin button[type=submit]"));
        heading("Security groups");
    }

    void signOut() {
        click(By.xpath("//button[normalize-space()='Sign out']"));
        visible(By.name("token"));
    }

    /**
     * A PNG of what a person sees now (the 1366x768 window) under target/screenshots/, after
     * checking the page's basics: every control has a label, every button a name, every image an
     * alt text, every dialog a title, no id is used twice, and the browser logged no error.
     */
    void screenshot(String name) throws IOException {
        @SuppressWarnings("unchecked")
        List<String> problems = (List<String>) js(ACCESSIBILITY);
        org.assertj.core.api.Assertions.assertThat(problems).as("accessibility of page %s", name).isEmpty();
        // Script errors and refused content (CSP) show in the browser's console; answers with 4xx are expected there.
        List<String> errors = driver.manage().logs().get(org.openqa.selenium.logging.LogType.BROWSER).getAll().stream()
                .filter(e -> e.getLevel().intValue() >= java.util.logging.Level.SEVERE.intValue())
                .map(org.openqa.selenium.logging.LogEntry::getMessage).filter(m -> !m.contains("Failed to load resource")).toList();
        org.assertj.core.api.Assertions.assertThat(errors).as("browser console errors up to page %s", name).isEmpty();
        File f = driver.getScreenshotAs(OutputType.FILE);
        Files.copy(f.toPath(), SCREENSHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
    }

    private static final String ACCESSIBILITY = """
            const out = [];
            const named = (el) => (el.labels && el.labels.length) || el.getAttribute('aria-label') || el.getAttribute('aria-labelledby');
            document.querySelectorAll('input:not([type=hidden]), select, textarea').forEach((el) => {
              if (!named(el)) out.push('unlabelled ' + el.tagName.toLowerCase() + ' ' + (el.name || el.id));
            });
            document.querySelectorAll('button, a.button').forEach((el) => {
              if (!el.textContent.trim() && !el.getAttribute('aria-label')) out.push('button without a name: ' + el.outerHTML.slice(0, 80));
            });
            document.querySelectorAll('img').forEach((el) => { if (!el.hasAttribute('alt')) out.push('img without alt: ' + el.src); });
            document.querySelectorAll('dialog').forEach((el) => {
              const t = el.getAttribute('aria-labelledby');
              if (!t || !document.getElementById(t)) out.push('dialog without a title');
            });
            const seen = new Set();
            document.querySelectorAll('[id]').forEach((el) => { if (seen.has(el.id)) out.push('duplicate id ' + el.id); seen.add(el.id); });
            if (!document.querySelector('main h1')) out.push('no h1 in main');
            return out;
            """;

    @Override
    public void close() throws IOException {
        driver.quit();
        try (Stream<Path> files = Files.walk(profile)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
