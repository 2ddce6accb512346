package dev.autocert4j.examples;

import dev.autocert4j.testkit.PebbleExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An admin configures Let's Encrypt in a real Chromium on the demo portal's Certificates page,
 * against a real Pebble, and sees the certificate appear. Needs Debian's chromium and
 * chromium-driver (installed by .ci/run); a screenshot goes to target/screenshots.
 */
class AdminPageBrowserIT {

    @RegisterExtension
    static final PebbleExtension PEBBLE = PebbleExtension.withDefaults();

    private static final Duration PATIENCE = Duration.ofSeconds(30);

    @TempDir
    Path folder;

    private Process portal;
    private WebDriver browser;
    private int adminPort;
    private int httpsPort;

    @BeforeEach
    void startPortalAndBrowser() throws Exception {
        adminPort = freePort();
        httpsPort = freePort();
        String binding = "http://browser.autocert4j.test:" + PEBBLE.httpChallengePort();
        portal = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", Path.of("target", "autocert4j-demo.jar").toString(),
                "--acme", PEBBLE.directoryUri().toString(), "--acme-trust", PEBBLE.trustFile().toString(),
                "--acme-name", "Pebble", "--listen", binding, "--listen", "http://other.autocert4j.test:" + freePort(),
                "--bind-address", "127.0.0.1", "--admin-port", String.valueOf(adminPort),
                "--state", folder.resolve("state").toString())
                .redirectErrorStream(true).redirectOutput(folder.resolve("portal.log").toFile()).start();
        awaitPort(adminPort);
        browser = startChromium();
    }

    private WebDriver startChromium() {
        ChromeOptions options = new ChromeOptions()
                .setBinary(new File("/usr/bin/chromium"))
                .addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                        "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
                        "--window-size=1200,1400", "--user-data-dir=" + folder.resolve("chromium-profile"));
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File("/usr/bin/chromedriver")).usingAnyFreePort().build();
        return new ChromeDriver(service, options);
    }

    @AfterEach
    void stop() throws Exception {
        if (browser != null) {
            browser.quit();
        }
        if (portal != null) {
            portal.destroy();
            if (!portal.waitFor(10, TimeUnit.SECONDS)) {
                portal.destroyForcibly();
            }
        }
    }

    @Test
    void configuresLetsEncryptAndSeesTheCertificateDetails() throws Exception {
        browser.get("http://127.0.0.1:" + adminPort + "/admin");
        assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("Certificates");
        assertThat(browser.findElement(By.id("tos-link")).getAttribute("href"))
                .as("the ToS link comes from Pebble's directory").startsWith("data:");

        fillForm("browser.autocert4j.test", false);
        browser.findElement(By.id("register")).click();
        assertThat(waitForText(By.id("error"))).contains("termsOfServiceAccepted").contains("accept the CA's Terms of Service");

        fillForm("browser.autocert4j.test", true);
        browser.findElement(By.id("register")).click();

        String httpsUrl = waitForText(By.id("https-url"));
        assertThat(httpsUrl).isEqualTo("https://browser.autocert4j.test:" + httpsPort + "/");
        assertThat(field("Expires")).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
        assertThat(field("Last renewed")).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
        assertThat(field("Issuer")).contains("Pebble Intermediate CA");
        assertThat(field("Last error")).isEqualTo("none");
        saveScreenshot("admin-page-configured.png");
    }

    private void fillForm(String host, boolean acceptTerms) {
        browser.findElement(By.xpath("//select[@id='binding']/option[text()='http://" + host + ":"
                + PEBBLE.httpChallengePort() + "']")).click();
        browser.findElement(By.id("httpsPort")).clear();
        browser.findElement(By.id("httpsPort")).sendKeys(String.valueOf(httpsPort));
        if (acceptTerms != browser.findElement(By.id("tos")).isSelected()) {
            browser.findElement(By.id("tos")).click();
        }
        browser.findElement(By.id("email")).clear();
        browser.findElement(By.id("email")).sendKeys("admin@autocert4j.test");
    }

    private String field(String name) {
        return browser.findElement(By.cssSelector("td[data-field='" + name + "']")).getText();
    }

    /** Polls the page (the browser's own clock, not the test's) until the element has text. */
    private String waitForText(By locator) {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (System.nanoTime() < deadline) {
            List<org.openqa.selenium.WebElement> found = browser.findElements(locator);
            if (!found.isEmpty() && !found.get(0).getText().isBlank()) {
                return found.get(0).getText();
            }
            ((org.openqa.selenium.JavascriptExecutor) browser).executeAsyncScript(
                    "var done = arguments[arguments.length - 1]; setTimeout(done, 100);");
        }
        throw new AssertionError("no text in " + locator + " within " + PATIENCE + "; page:\n" + browser.getPageSource());
    }

    private void saveScreenshot(String name) throws IOException {
        Path target = Path.of("target", "screenshots", name);
        Files.createDirectories(target.getParent());
        File shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
        Files.copy(shot.toPath(), target, StandardCopyOption.REPLACE_EXISTING);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private void awaitPort(int port) throws Exception {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (System.nanoTime() < deadline) {
            assertThat(portal.isAlive()).as(() -> "portal exited: " + readLog()).isTrue();
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
                return;
            } catch (IOException e) {
                portal.waitFor(50, TimeUnit.MILLISECONDS);
            }
        }
        throw new AssertionError("the portal's admin page did not open: " + readLog());
    }

    private String readLog() {
        try {
            return Files.readString(folder.resolve("portal.log"));
        } catch (IOException e) {
            return "(no log)";
        }
    }
}
