package dev.autocert4j.examples.boot;

import com.deque.html.axecore.results.Results;
import com.deque.html.axecore.results.Rule;
import com.deque.html.axecore.selenium.AxeBuilder;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptException;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.ScriptTimeoutException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import java.io.File;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Debian's Chromium driven headless by Selenium (never a downloaded driver), for the admin page's
 * browser test on Spring Boot: a small copy of the admin module's own test helper (test classes are
 * not shared between modules), plus what HTTPS on a test CA needs: a host name mapped to the loopback
 * address, and the test CA's intermediate trusted by its key, not every certificate error ignored.
 */
final class Chromium implements AutoCloseable {

    static final Duration PATIENCE = Duration.ofSeconds(60);

    private final WebDriver driver;

    /**
     * @param profile     a fresh folder for the browser's profile
     * @param hostName    the name the browser resolves to 127.0.0.1
     * @param issuer      the certificate whose key the browser trusts in a chain it cannot validate
     */
    Chromium(Path profile, String hostName, X509Certificate issuer) {
        ChromeOptions options = new ChromeOptions()
                .setBinary(new File("/usr/bin/chromium"))
                .addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                        "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
                        "--window-size=1000,1200", "--user-data-dir=" + profile,
                        "--host-resolver-rules=MAP " + hostName + " 127.0.0.1",
                        "--ignore-certificate-errors-spki-list=" + spkiHash(issuer));
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File("/usr/bin/chromedriver")).usingAnyFreePort().build();
        driver = new ChromeDriver(service, options);
    }

    WebDriver driver() {
        return driver;
    }

    void open(String url) {
        driver.get(url);
    }

    WebElement find(By locator) {
        return driver.findElement(locator);
    }

    String heading() {
        return waitForText(By.tagName("h1"), "");
    }

    /** Polls the page (the browser's own clock, not the test's) until the element's text contains the expected part. */
    String waitForText(By locator, String expected) {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                List<WebElement> found = driver.findElements(locator);
                if (!found.isEmpty() && !found.get(0).getText().isBlank() && found.get(0).getText().contains(expected)) {
                    return found.get(0).getText();
                }
            } catch (WebDriverException reloaded) {
                // the page reloaded itself while being read: look again
            }
            pause(100);
        }
        throw new AssertionError("no text '" + expected + "' in " + locator + " within " + PATIENCE + "; page:\n"
                + driver.getPageSource());
    }

    /** Waits on the browser's clock (a script's timer), not the test's. */
    private void pause(int millis) {
        try {
            ((JavascriptExecutor) driver).executeAsyncScript(
                    "var done = arguments[arguments.length - 1]; setTimeout(done, " + millis + ");");
        } catch (ScriptTimeoutException | JavascriptException reloaded) {
            // the page reloaded itself during the pause, which ends the script
        }
    }

    /** Fails on any serious or critical accessibility violation axe-core finds on the current page. */
    void assertAccessible() {
        Results results = new AxeBuilder().analyze(driver);
        assertThat(results.isErrored()).as("axe-core ran: " + results.getErrorMessage()).isFalse();
        List<Rule> severe = results.getViolations().stream()
                .filter(rule -> "serious".equals(rule.getImpact()) || "critical".equals(rule.getImpact())).toList();
        assertThat(severe).as("serious or critical violations on " + driver.getCurrentUrl() + ":\n" + severe.stream()
                .map(rule -> rule.getImpact() + " " + rule.getId() + ": " + rule.getHelp() + " " + rule.getNodes().stream()
                        .map(node -> String.valueOf(node.getTarget())).collect(Collectors.joining(", ")))
                .collect(Collectors.joining("\n"))).isEmpty();
        assertThat(results.getPasses()).as("axe-core checked something").isNotEmpty();
    }

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
}
