package dev.autocert4j.testkit;

import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptException;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.ScriptTimeoutException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static java.util.Objects.requireNonNull;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A headless Debian Chromium ({@code /usr/bin/chromium} with {@code /usr/bin/chromedriver}, never a
 * downloaded driver) driven by Selenium, for browser tests of pages such as the admin page: it waits
 * on the browser's own clock, checks accessibility with axe-core and takes screenshots. For HTTPS with
 * a test CA, it can map a host name to 127.0.0.1 and trust one certificate's key in chains it cannot
 * otherwise validate, rather than ignore every certificate error.
 * <p>
 * The test kit declares Selenium ({@code org.seleniumhq.selenium:selenium-chrome-driver}) and axe-core
 * ({@code com.deque.html.axe-core:selenium}, whose script {@link #assertAccessible()} runs) optional:
 * a test that uses this class adds them to its own test dependencies.
 *
 * @since 0.2.0
 */
public final class Chromium implements AutoCloseable {

    private final WebDriver driver;
    private final Duration patience;

    private Chromium(Builder builder) {
        List<String> arguments = new ArrayList<>(List.of("--headless", "--no-sandbox", "--disable-gpu",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--disable-dev-shm-usage", "--window-size=" + builder.width + "," + builder.height,
                "--user-data-dir=" + builder.profile));
        if (builder.hostName != null) {
            arguments.add("--host-resolver-rules=MAP " + builder.hostName + " 127.0.0.1");
        }
        if (builder.trustedIssuer != null) {
            arguments.add("--ignore-certificate-errors-spki-list=" + spkiHash(builder.trustedIssuer));
        }
        ChromeOptions options = new ChromeOptions().setBinary(new File("/usr/bin/chromium")).addArguments(arguments);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File("/usr/bin/chromedriver")).usingAnyFreePort().build();
        driver = new ChromeDriver(service, options);
        patience = builder.patience;
    }

    /**
     * Starts a browser with the defaults: a 1000 × 1200 window, names resolved as usual, the usual
     * certificate checks, and 60 seconds of patience.
     *
     * @param profile a fresh folder for the browser's profile
     * @return the started browser
     */
    public static Chromium start(Path profile) {
        return builder(profile).start();
    }

    /**
     * Begins the settings of a browser.
     *
     * @param profile a fresh folder for the browser's profile
     * @return the builder
     */
    public static Builder builder(Path profile) {
        return new Builder(profile);
    }

    /**
     * The Selenium driver, for what this class does not wrap.
     *
     * @return the driver
     */
    public WebDriver driver() {
        return driver;
    }

    /**
     * Loads a page.
     *
     * @param url the page's address
     */
    public void open(String url) {
        driver.get(url);
    }

    /**
     * Finds an element of the current page.
     *
     * @param locator how to find it
     * @return the element
     * @throws org.openqa.selenium.NoSuchElementException if the page has none
     */
    public WebElement find(By locator) {
        return driver.findElement(locator);
    }

    /**
     * The page's {@code h1}, once it has text.
     *
     * @return the heading's text
     */
    public String heading() {
        return waitForText(By.tagName("h1"));
    }

    /**
     * Polls the page (on the browser's own clock, not the test's) until the element has text.
     *
     * @param locator how to find the element
     * @return its text
     * @throws AssertionError with the page's source if no such element has text within the patience
     */
    public String waitForText(By locator) {
        return waitForText(locator, "");
    }

    /**
     * Polls the page until the element's text contains the expected part; the page may reload itself meanwhile.
     *
     * @param locator  how to find the element
     * @param expected the part its text must contain
     * @return its text
     * @throws AssertionError with the page's source if the text does not come within the patience
     */
    public String waitForText(By locator, String expected) {
        long deadline = System.nanoTime() + patience.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                List<WebElement> found = driver.findElements(locator);
                if (!found.isEmpty() && !found.get(0).getText().isBlank() && found.get(0).getText().contains(expected)) {
                    return found.get(0).getText();
                }
            } catch (WebDriverException reloaded) {
                // the page reloaded itself while being read (stale element, or a node no longer in the document): look again
            }
            pause(100);
        }
        throw new AssertionError("no text '" + expected + "' in " + locator + " within " + patience + "; page:\n"
                + driver.getPageSource());
    }

    /**
     * Waits on the browser's clock (a script's timer), not the test's; a page that reloads itself ends the wait early.
     *
     * @param millis how long
     */
    public void pause(int millis) {
        try {
            ((JavascriptExecutor) driver).executeAsyncScript(
                    "var done = arguments[arguments.length - 1]; setTimeout(done, " + millis + ");");
        } catch (ScriptTimeoutException | JavascriptException reloaded) {
            // the page reloaded itself during the pause, which ends the script
        }
    }

    /**
     * Fails on any serious or critical accessibility violation axe-core finds on the current page, or
     * if axe-core could not run or checked nothing. Runs the {@code axe.min.js} that axe-core's
     * Selenium jar ({@code com.deque.html.axe-core:selenium}) carries, which must be on the class path.
     *
     * @throws AssertionError naming each violation and the elements it concerns
     */
    public void assertAccessible() {
        JavascriptExecutor page = (JavascriptExecutor) driver;
        page.executeScript(axeScript());
        Object answer = page.executeAsyncScript("var done = arguments[arguments.length - 1];"
                + "axe.run(document).then(function (results) { done({"
                + "  passes: results.passes.length,"
                + "  severe: results.violations.filter(function (rule) {"
                + "    return rule.impact === 'serious' || rule.impact === 'critical'; })"
                + "    .map(function (rule) { return rule.impact + ' ' + rule.id + ': ' + rule.help + ' '"
                + "      + rule.nodes.map(function (node) { return JSON.stringify(node.target); }).join(', '); })"
                + "}); }, function (error) { done({error: String(error)}); });");
        assertThat(answer).as("axe-core's answer").isInstanceOf(Map.class);
        Map<?, ?> results = (Map<?, ?>) answer;
        assertThat(results.get("error")).as("axe-core ran").isNull();
        assertThat((List<?>) results.get("severe")).as("serious or critical violations on " + driver.getCurrentUrl())
                .isEmpty();
        assertThat(((Number) results.get("passes")).intValue()).as("axe-core checked something").isPositive();
    }

    /**
     * Saves a screenshot of the window as PNG, replacing the file.
     *
     * @param target the file; its folders are created
     * @throws IOException if it cannot be written
     */
    public void screenshot(Path target) throws IOException {
        Files.createDirectories(target.toAbsolutePath().getParent());
        File shot = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE);
        Files.copy(shot.toPath(), target, StandardCopyOption.REPLACE_EXISTING);
    }

    /** Quits the browser and its driver. */
    @Override
    public void close() {
        driver.quit();
    }

    /** The base64 SHA-256 of the certificate's SubjectPublicKeyInfo, as Chromium's SPKI list takes it. */
    private static String spkiHash(X509Certificate certificate) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(certificate.getPublicKey().getEncoded());
            return Base64.getEncoder().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** axe-core's script, from the jar of its Selenium binding. */
    private static String axeScript() {
        try (InputStream in = Chromium.class.getClassLoader().getResourceAsStream("axe.min.js")) {
            if (in == null) {
                throw new IllegalStateException("axe.min.js is not on the class path: add com.deque.html.axe-core:selenium"
                        + " to the test dependencies");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The settings of a browser to start.
     *
     * @since 0.2.0
     */
    public static final class Builder {

        private final Path profile;
        private int width = 1000;
        private int height = 1200;
        private String hostName;
        private X509Certificate trustedIssuer;
        private Duration patience = Duration.ofSeconds(60);

        private Builder(Path profile) {
            this.profile = requireNonNull(profile, "profile");
        }

        /**
         * Sets the window's size (1000 × 1200 unless set).
         *
         * @param width  in pixels
         * @param height in pixels
         * @return this builder
         */
        public Builder windowSize(int width, int height) {
            this.width = width;
            this.height = height;
            return this;
        }

        /**
         * Makes the browser resolve a host name to 127.0.0.1, such as the name a test certificate is for.
         *
         * @param hostName the name
         * @return this builder
         */
        public Builder resolvingToLoopback(String hostName) {
            this.hostName = requireNonNull(hostName, "hostName");
            return this;
        }

        /**
         * Makes the browser accept a chain it cannot validate if one of its certificates has this
         * certificate's key, such as a test CA's intermediate; every other certificate error still stops it.
         *
         * @param issuer the certificate whose key is trusted
         * @return this builder
         */
        public Builder trustingKeyOf(X509Certificate issuer) {
            this.trustedIssuer = requireNonNull(issuer, "issuer");
            return this;
        }

        /**
         * Sets how long {@link Chromium#waitForText(By, String)} waits (60 seconds unless set).
         *
         * @param patience the longest wait
         * @return this builder
         */
        public Builder patience(Duration patience) {
            this.patience = requireNonNull(patience, "patience");
            return this;
        }

        /**
         * Starts the browser.
         *
         * @return the browser, to close when done
         */
        public Chromium start() {
            return new Chromium(this);
        }
    }
}
