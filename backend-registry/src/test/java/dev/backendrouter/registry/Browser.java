package dev.backendrouter.registry;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's headless Chromium driven by its chromedriver, with a fresh profile in a temporary
 * folder. Without the two packages the tests using it are skipped, naming them; under CI (where
 * {@code .ci/run} installs them) they fail instead. Selenium Manager is never asked for a driver:
 * both programs are given.
 */
final class Browser implements AutoCloseable {
    static final String PACKAGES = "chromium chromium-driver";
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path DRIVER = Path.of("/usr/bin/chromedriver");

    /** The tests use no DevTools protocol, so a Chromium newer than Selenium's CDP bindings is only noise. */
    private static final List<Logger> QUIET = List.of(Logger.getLogger("org.openqa.selenium.devtools.CdpVersionFinder"),
            Logger.getLogger("org.openqa.selenium.chromium.ChromiumDriver"));

    final ChromeDriver driver;
    private final ChromeDriverService service;

    private Browser(ChromeDriverService service, ChromeDriver driver) {
        this.service = service;
        this.driver = driver;
    }

    static Browser start(Path profile) {
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(DRIVER)) {
            String message = "Chromium is not installed: apt-get install -y " + PACKAGES + " (the project's .ci/run installs them)";
            if ("true".equals(System.getenv("CI"))) {
                throw new IllegalStateException(message);
            }
            assumeTrue(false, message);
        }
        QUIET.forEach(logger -> logger.setLevel(Level.SEVERE));
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
                "--no-first-run", "--no-default-browser-check", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--disable-extensions", "--window-size=1280,900", "--user-data-dir=" + profile.toAbsolutePath());
        options.setCapability("goog:loggingPrefs", java.util.Map.of("browser", "ALL"));
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile()).usingAnyFreePort()
                .withSilent(true).build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(20));
        return new Browser(service, driver);
    }

    void open(String url) {
        driver.get(url);
    }

    WebElement find(String css) {
        return until(d -> {
            List<WebElement> found = d.findElements(By.cssSelector(css));
            return found.isEmpty() || !found.get(0).isDisplayed() ? null : found.get(0);
        }, "a visible " + css);
    }

    List<WebElement> all(String css) {
        return driver.findElements(By.cssSelector(css));
    }

    boolean present(String css) {
        return !driver.findElements(By.cssSelector(css)).isEmpty();
    }

    /** Waits (10 s at most) until the condition gives something other than null or false. */
    <T> T until(Function<WebDriver, T> condition, String what) {
        try {
            return new WebDriverWait(driver, Duration.ofSeconds(10)).ignoring(StaleElementReferenceException.class)
                    .withMessage("waited 10 s for " + what).until(condition);
        } catch (TimeoutException e) {
            // what the page showed instead, for the report: its text here, its look in a screenshot
            Path shot = Path.of("target", "screenshots", "failed-" + System.nanoTime() + ".png");
            screenshot(shot);
            throw new TimeoutException(e.getMessage() + "\nat " + driver.getCurrentUrl() + " the page shows (screenshot " + shot + "):\n"
                    + driver.findElement(By.tagName("body")).getText() + "\nconsole: " + scriptErrors(), e);
        }
    }

    void untilGone(String css) {
        // asked in the page: an element found here could go stale before it is looked at
        until(d -> (Boolean) script("const e = document.querySelector(arguments[0]);"
                + " return !e || (e.tagName === 'DIALOG' ? !e.open : e.offsetParent === null);", css), css + " to go");
    }

    WebElement focused() {
        return driver.switchTo().activeElement();
    }

    Object script(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    /** Runs a script whose last argument is its callback; for calls that return a promise. */
    Object async(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeAsyncScript(script, args);
    }

    /**
     * What the page's scripts reported as errors since the last call: an exception, a refused
     * script or style (the page's CSP). Answers the tests provoke (401, 403, 404) are not errors of the page.
     */
    List<String> scriptErrors() {
        return driver.manage().logs().get(org.openqa.selenium.logging.LogType.BROWSER).getAll().stream()
                .filter(entry -> entry.getLevel().intValue() >= Level.SEVERE.intValue())
                .map(org.openqa.selenium.logging.LogEntry::getMessage)
                .filter(message -> !message.contains("Failed to load resource: the server responded with a status of 4"))
                .toList();
    }

    void screenshot(Path file) {
        try {
            Files.createDirectories(file.getParent());
            Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            service.stop();
        }
    }
}
