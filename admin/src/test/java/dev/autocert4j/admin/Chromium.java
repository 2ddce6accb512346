package dev.autocert4j.admin;

import com.deque.html.axecore.results.Results;
import com.deque.html.axecore.results.Rule;
import com.deque.html.axecore.selenium.AxeBuilder;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Debian's Chromium driven headless by Selenium (never a downloaded driver), for the admin page's
 * browser tests: waits on the browser's own clock, checks accessibility with axe-core, takes screenshots.
 */
final class Chromium implements AutoCloseable {

    static final Duration PATIENCE = Duration.ofSeconds(30);

    private final WebDriver driver;

    Chromium(Path profile, int width, int height) {
        ChromeOptions options = new ChromeOptions()
                .setBinary(new File("/usr/bin/chromium"))
                .addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                        "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
                        "--window-size=" + width + "," + height, "--user-data-dir=" + profile);
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
        return waitForText(By.tagName("h1"));
    }

    /** Polls the page (the browser's own clock, not the test's) until the element has text. */
    String waitForText(By locator) {
        return waitForText(locator, "");
    }

    /** Polls the page until the element's text contains the expected part; the page may reload itself meanwhile. */
    String waitForText(By locator, String expected) {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
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
        throw new AssertionError("no text '" + expected + "' in " + locator + " within " + PATIENCE + "; page:\n"
                + driver.getPageSource());
    }

    /** Waits on the browser's clock (a script's timer), not the test's. */
    void pause(int millis) {
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

    void screenshot(Path target) throws IOException {
        Files.createDirectories(target.getParent());
        File shot = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE);
        Files.copy(shot.toPath(), target, StandardCopyOption.REPLACE_EXISTING);
    }

    @Override
    public void close() {
        driver.quit();
    }
}
