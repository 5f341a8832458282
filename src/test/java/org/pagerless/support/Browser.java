package org.pagerless.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A real headless Chromium (Debian's {@code chromium}, driven through Debian's {@code chromedriver}),
 * signed in as one member of the demo hospital, with its own fresh profile. One per person: each
 * browser has its own sign-in, as each phone or ward PC would. Without Chromium the test fails and
 * says how to install it; it never skips.
 */
public final class Browser implements AutoCloseable {
    public static final Path CHROMIUM = Path.of(System.getProperty("pagerless.chromium", "/usr/bin/chromium"));
    public static final Path CHROMEDRIVER = Path.of(System.getProperty("pagerless.chromedriver", "/usr/bin/chromedriver"));
    public static final Path SCREENSHOTS = Path.of("target", "screenshots");

    static {
        // Selenium looks for a CDP binding matching the browser on every start and warns when its
        // table is older than Debian's Chromium; we use plain WebDriver, so the warning is noise.
        java.util.logging.Logger.getLogger("org.openqa.selenium.devtools.CdpVersionFinder")
                .setLevel(java.util.logging.Level.SEVERE);
    }

    private final ChromeDriver driver;
    private final Path profile;
    private final String base;
    private final String user;

    private Browser(int port, String user, int width, int height, boolean phone) {
        requireChromium();
        try {
            this.profile = Files.createTempDirectory("pagerless-chromium-");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        this.base = "http://localhost:" + port;
        this.user = user;
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--no-first-run",
                "--no-default-browser-check", "--disable-extensions", "--lang=en-GB",
                "--user-data-dir=" + profile, "--window-size=" + width + "," + height);
        if (phone) {
            // Headless windows are at least 500 px wide: emulate the narrowest phone we support instead.
            options.setExperimentalOption("mobileEmulation", Map.of("deviceMetrics",
                    Map.of("width", width, "height", height, "pixelRatio", 2.0, "touch", true)));
        }
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, java.util.logging.Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .build();
        this.driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
        signIn();
    }

    /** A phone: 360 × 780 CSS px, the narrowest screen the doctor's app is made for. */
    public static Browser phone(int port, String user) {
        return new Browser(port, user, 360, 780, true);
    }

    /** A ward PC or switchboard desk. */
    public static Browser desktop(int port, String user) {
        return new Browser(port, user, 1400, 1000, false);
    }

    /** Fails, saying how to install it, when Debian's Chromium or its driver is missing. */
    public static void requireChromium() {
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
            throw new AssertionError("The browser tests need headless Chromium and its driver (" + CHROMIUM + ", "
                    + CHROMEDRIVER + "), which were not found. Install them with `.ci/install-browser` "
                    + "(as root: apt-get update && apt-get install -y chromium chromium-driver), or point "
                    + "-Dpagerless.chromium and -Dpagerless.chromedriver at them.");
        }
    }

    /**
     * Signs in as a person would at the browser's HTTP Basic prompt: the first protected request is
     * answered with credentials (here carried in the URL, which Chromium uses to answer the
     * challenge), and Chromium caches them for the origin's realm. Every later request to the origin,
     * the WebSocket upgrade included, is then authenticated from that cache.
     */
    private void signIn() {
        driver.get("http://" + user + ":" + Api.PASSWORD + "@localhost:" + base.substring(base.lastIndexOf(':') + 1)
                + "/api/v1/me");
        String body = driver.findElement(By.tagName("body")).getText();
        if (!body.contains("\"id\":\"" + user + "\"")) {
            throw new AssertionError("sign-in as " + user + " failed: " + body);
        }
    }

    /** Opens a page of the app, e.g. "/app", with a clean address (no credentials in it). */
    public Browser open(String path) {
        driver.get(base + path);
        return this;
    }

    public WebDriver driver() {
        return driver;
    }

    public String user() {
        return user;
    }

    public WebElement find(String css) {
        return driver.findElement(By.cssSelector(css));
    }

    public List<WebElement> findAll(String css) {
        return driver.findElements(By.cssSelector(css));
    }

    /** Waits for the condition; on timeout, the failure carries the page's address and the browser console. */
    public <T> T await(Duration timeout, String what, Function<WebDriver, T> condition) {
        try {
            return new WebDriverWait(driver, timeout, Duration.ofMillis(100)).withMessage(what).until(condition);
        } catch (org.openqa.selenium.TimeoutException e) {
            screenshot("failed-" + user);
            throw new AssertionError("timed out after " + timeout.toSeconds() + " s waiting for " + what + " (" + user
                    + " at " + driver.getCurrentUrl() + ")\nbrowser console:\n" + console(), e);
        }
    }

    /** Waits until the page's live feed is connected (the connection badge says Live). */
    public Browser awaitLive() {
        await(Duration.ofSeconds(10), "the live feed to connect", d -> "live".equals(find("#conn").getAttribute("data-state")));
        return this;
    }

    /** Waits for an element whose text contains {@code text} among those matching {@code css}. */
    public WebElement awaitText(Duration timeout, String css, String text) {
        return await(timeout, "'" + text + "' in " + css, d -> d.findElements(By.cssSelector(css)).stream()
                .filter(e -> {
                    try {
                        return e.getText().contains(text);
                    } catch (org.openqa.selenium.StaleElementReferenceException stale) {
                        return false;
                    }
                }).findFirst().orElse(null));
    }

    /**
     * Waits for an element among those matching {@code css} whose text contains {@code text}, and answers its
     * {@code attribute}, read in the same step: a list a live update redraws in between leaves no stale reference.
     */
    public String awaitAttribute(Duration timeout, String css, String text, String attribute) {
        return await(timeout, "'" + text + "' in " + css, d -> {
            for (WebElement e : d.findElements(By.cssSelector(css))) {
                try {
                    if (e.getText().contains(text)) {
                        return e.getAttribute(attribute);
                    }
                } catch (org.openqa.selenium.StaleElementReferenceException stale) {
                    return null; // redrawn meanwhile: look again
                }
            }
            return null;
        });
    }

    /**
     * The visible text of the first element matching {@code css}, or "" when there is none. Read in
     * the page in one step, so a list re-rendered by a live update cannot leave a stale reference.
     */
    public String textOf(String css) {
        Object text = script("const e = document.querySelector(arguments[0]); return e ? e.innerText : '';", css);
        return text == null ? "" : text.toString();
    }

    /** Waits until the first element matching {@code css} shows {@code text}; returns its whole text. */
    public String awaitTextOf(Duration timeout, String css, String text) {
        return await(timeout, "'" + text + "' in " + css, d -> {
            String shown = textOf(css);
            return shown.contains(text) ? shown : null;
        });
    }

    /**
     * Clicks the first element matching {@code css} once it is there, finding it afresh on each try: a list a live
     * update has just redrawn leaves no stale reference behind.
     */
    public void click(Duration timeout, String css) {
        await(timeout, "to click " + css, d -> {
            try {
                d.findElement(By.cssSelector(css)).click();
                return true;
            } catch (org.openqa.selenium.StaleElementReferenceException
                     | org.openqa.selenium.NoSuchElementException e) {
                return null;
            }
        });
    }

    public Object script(String js, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(js, args);
    }

    public Object asyncScript(String js, Object... args) {
        return ((JavascriptExecutor) driver).executeAsyncScript(js, args);
    }

    /** Saves what the browser shows to target/screenshots/{name}.png and returns the file. */
    public Path screenshot(String name) {
        try {
            Files.createDirectories(SCREENSHOTS);
            Path file = SCREENSHOTS.resolve(name + ".png");
            Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
            return file;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Runs axe-core (the engine behind most accessibility audits) on the page as it is now, against
     * WCAG 2.1 A and AA (labels, names, roles, contrast...). Returns one line per violation: rule,
     * impact, what it means and where; empty when the page passes.
     */
    @SuppressWarnings("unchecked")
    public List<String> accessibilityViolations() {
        if (!Boolean.TRUE.equals(script("return !!window.axe"))) {
            script(axeSource());
        }
        Object result = asyncScript("const done = arguments[arguments.length - 1];"
                + "axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})"
                + ".then(r => done(r.passes.length === 0 ? ['axe checked nothing: no rule passed']"
                + " : r.violations.map(v => v.id + ' (' + v.impact + '): ' + v.help + ' at '"
                + " + v.nodes.map(n => n.target.join(' ')).join(', '))), e => done(['axe failed: ' + e]));");
        return (List<String>) result;
    }

    private static String axeSource() {
        try (var in = Browser.class.getClassLoader().getResourceAsStream("axe.min.js")) {
            if (in == null) {
                throw new IllegalStateException("axe.min.js is not on the test classpath (com.deque.html.axe-core:selenium)");
            }
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The browser's console so far: for failure messages. */
    public String console() {
        return driver.manage().logs().get(LogType.BROWSER).getAll().stream().map(LogEntry::toString)
                .collect(Collectors.joining("\n"));
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            try (Stream<Path> files = Files.walk(profile)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                // a temp dir left behind is harmless
            }
        }
    }
}
