package dev.autocert4j.examples;

import dev.autocert4j.testkit.Ports;
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
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An admin logs in and configures Let's Encrypt in a real Chromium on the demo portal's
 * Certificates page, against a real Pebble, and sees the certificate appear; a browser without the
 * admin token gets only the login form. Needs Debian's chromium and chromium-driver (installed by
 * .ci/run); a screenshot goes to target/screenshots.
 */
class AdminPageBrowserIT {

    @RegisterExtension
    static final PebbleExtension PEBBLE = PebbleExtension.withDefaults();

    private static final Duration PATIENCE = Duration.ofSeconds(30);

    @TempDir
    Path folder;

    private DemoProcess portal;
    private WebDriver browser;
    private int adminPort;
    private int httpsPort;

    @BeforeEach
    void startPortalAndBrowser() throws Exception {
        adminPort = Ports.free();
        httpsPort = Ports.free();
        String binding = "http://browser.autocert4j.test:" + PEBBLE.httpChallengePort();
        portal = DemoProcess.start(folder,
                "--acme", PEBBLE.directoryUri().toString(), "--acme-trust", PEBBLE.trustFile().toString(),
                "--acme-name", "Pebble", "--listen", binding, "--listen", "http://other.autocert4j.test:" + Ports.free(),
                "--bind-address", "127.0.0.1", "--admin-port", String.valueOf(adminPort),
                "--state", folder.resolve("state").toString());
        portal.awaitPort(adminPort);
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
            portal.close();
        }
    }

    @Test
    void withoutTheTokenTheBrowserSeesOnlyTheLoginFormAndCannotEnrollThenLogsInWithTheTokenFromTheFile() throws Exception {
        browser.get("http://127.0.0.1:" + adminPort + "/admin");
        assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("Log in to the admin page");
        assertThat(browser.findElements(By.tagName("form"))).singleElement()
                .satisfies(form -> assertThat(form.getAttribute("action")).endsWith("/admin/login"));
        assertThat(browser.getPageSource()).doesNotContain("Configure Let's Encrypt").doesNotContain("csrf");
        saveScreenshot("admin-page-login.png");

        ((org.openqa.selenium.JavascriptExecutor) browser).executeScript("var f = document.createElement('form');"
                + "f.method = 'post'; f.action = '/admin/configure';"
                + "[['binding', arguments[0]], ['httpsPort', arguments[1]], ['tos', 'on'], ['email', 'a@evil.example'],"
                + " ['csrf', 'guessed']].forEach(function (p) { var i = document.createElement('input');"
                + " i.name = p[0]; i.value = p[1]; f.appendChild(i); });"
                + "document.body.appendChild(f); f.submit();",
                "http://browser.autocert4j.test:" + PEBBLE.httpChallengePort(), String.valueOf(httpsPort));
        assertThat(waitForText(By.tagName("body"), "Log in first")).doesNotContain("Certificates");

        browser.get("http://127.0.0.1:" + adminPort + "/admin");
        logIn("not-the-token-but-long-enough");
        assertThat(waitForText(By.id("error"), "not the admin token")).isNotBlank();
        // the right token is refused until the one-second lockout ends (AdminLoginTest shows it on a
        // clock of its own); here the browser may be slower than that second, so either page may come
        waitUntilUnlocked();

        assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("Certificates");
        assertThat(browser.findElements(By.id("certificate"))).as("nothing was enrolled before the login").isEmpty();
        assertThat(portal.log()).doesNotContain("Ordering a certificate").doesNotContain("a@evil.example")
                .contains("log in with the admin token in " + tokenFile().toAbsolutePath())
                .doesNotContain(Files.readString(tokenFile()).strip());
        fillForm("browser.autocert4j.test", true);
        browser.findElement(By.id("register")).click();
        assertThat(waitForText(By.id("https-url"))).isEqualTo("https://browser.autocert4j.test:" + httpsPort + "/");

        browser.findElement(By.id("logout")).click();
        assertThat(waitForText(By.tagName("h1"), "Log in")).isNotBlank();
        browser.get("http://127.0.0.1:" + adminPort + "/admin");
        assertThat(browser.findElements(By.id("certificate"))).as("logged out").isEmpty();
    }

    @Test
    void configuresLetsEncryptAndSeesTheCertificateDetails() throws Exception {
        logIn();
        assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("Certificates");
        assertThat(browser.findElements(By.id("tos-link"))).as("Pebble's data: link is not made clickable").isEmpty();
        assertThat(browser.findElement(By.tagName("form")).getText())
                .contains("Pebble Terms of Service (the CA's link is not a web address: data:");
        assertThat(browser.findElement(By.id("account")).getText()).isEqualTo("No account is registered at the CA yet.");

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
        assertThat(waitForText(By.id("account"), "admin@autocert4j.test")).as("what is registered, read back")
                .contains("/my-account/").contains("Terms of Service accepted: data:");
        saveScreenshot("admin-page-configured.png");
    }

    @Test
    void theAdminRenewsRevokesRollsTheAccountKeyOverAndStopsManaging() throws Exception {
        logIn();
        fillForm("browser.autocert4j.test", true);
        browser.findElement(By.id("register")).click();
        waitForText(By.id("https-url"));
        String first = field("Serial");

        browser.findElement(By.id("renew-browser.autocert4j.test")).click();
        assertThat(waitForText(By.id("progress"), "Renewed browser.autocert4j.test.")).isNotBlank();
        String renewed = field("Serial");
        assertThat(renewed).isNotEqualTo(first);

        browser.findElement(By.xpath("//form[@action='/admin/revoke']//option[@value='key-compromise']")).click();
        browser.findElement(By.id("revoke-browser.autocert4j.test")).click();
        waitForText(By.id("progress"), "Revoked the previous certificate of browser.autocert4j.test");
        assertThat(field("Serial")).isNotEqualTo(renewed);
        assertThat(PEBBLE.server().certificateStatus(new java.math.BigInteger(renewed, 16))).isEqualTo("Revoked");

        browser.findElement(By.id("rollover")).click();
        assertThat(waitForText(By.id("progress"), "has a new key.")).contains("/my-account/");

        browser.findElement(By.id("unmanage-browser.autocert4j.test")).click();
        waitForText(By.id("progress"), "Stopped managing browser.autocert4j.test.");
        assertThat(browser.findElements(By.id("certificate"))).isEmpty();
        saveScreenshot("admin-page-after-actions.png");
    }

    @Test
    void aPageOnAnotherOriginCannotMakeTheAdminPageOrderAnything() throws Exception {
        logIn(); // the admin is logged in while visiting the attacker's page
        String target = "http://127.0.0.1:" + adminPort + "/admin/configure";
        String evil = "<!doctype html><html><body><form id=\"f\" method=\"post\" action=\"" + target + "\">"
                + "<input name=\"binding\" value=\"http://browser.autocert4j.test:" + PEBBLE.httpChallengePort() + "\">"
                + "<input name=\"httpsPort\" value=\"" + httpsPort + "\"><input name=\"tos\" value=\"on\">"
                + "<input name=\"email\" value=\"attacker@evil.example\"><input name=\"csrf\" value=\"guessed\">"
                + "</form><script>document.getElementById('f').submit();</script></body></html>";
        com.sun.net.httpserver.HttpServer attacker = com.sun.net.httpserver.HttpServer.create(
                new InetSocketAddress(InetAddress.getByName("127.0.0.2"), 0), 4);
        attacker.createContext("/", exchange -> {
            byte[] body = evil.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/html");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        attacker.start();
        try {
            browser.get("http://127.0.0.2:" + attacker.getAddress().getPort() + "/evil.html");
            assertThat(waitForText(By.tagName("body"), "admin page")).as("the browser landed on the refusal")
                    .contains("can only be sent from the admin page itself");
        } finally {
            attacker.stop(0);
        }

        String state = AdminClient.loggedIn(adminPort, tokenFile()).get("/admin/state.json");
        assertThat(state).contains("\"running\":false").contains("\"stage\":null");
        assertThat(portal.log()).doesNotContain("Ordering a certificate").doesNotContain("attacker@evil.example");
        browser.get("http://127.0.0.1:" + adminPort + "/admin");
        assertThat(browser.findElements(By.id("certificate"))).as("nothing was enrolled").isEmpty();
    }

    @Test
    void aWrongHostGetsNoPageAndEveryAnswerForbidsFraming() throws Exception {
        String rebound = rawRequest("GET /admin HTTP/1.1\r\nHost: rebind.attacker.example:" + adminPort + "\r\n\r\n");
        assertThat(rebound).startsWith("HTTP/1.1 421").doesNotContain("Certificates");

        String login = rawRequest("GET /admin HTTP/1.1\r\nHost: 127.0.0.1:" + adminPort + "\r\n\r\n");
        assertThat(login).startsWith("HTTP/1.1 401").containsIgnoringCase("x-frame-options: DENY")
                .containsPattern("(?i)content-security-policy: [^\r]*frame-ancestors 'none'").contains("name=\"token\"");

        AdminClient admin = AdminClient.loggedIn(adminPort, tokenFile());
        String page = admin.get("/admin");
        assertThat(page).startsWith("HTTP/1.1 200").containsIgnoringCase("x-frame-options: DENY")
                .containsPattern("(?i)content-security-policy: [^\r]*frame-ancestors 'none'");

        String noToken = admin.post("/admin/rollover", "");
        assertThat(noToken).startsWith("HTTP/1.1 403");

        String malformed = admin.post("/admin/configure", "email=%zz");
        assertThat(malformed).startsWith("HTTP/1.1 400").contains("not properly encoded");
    }

    private String rawRequest(String request) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), adminPort)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(request.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            socket.shutdownOutput();
            return new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    private Path tokenFile() {
        return folder.resolve("state").resolve(AdminToken.FILE_NAME);
    }

    /** Logs in through the login form with the token from the file the portal made. */
    private void logIn() throws IOException {
        browser.get("http://127.0.0.1:" + adminPort + "/admin");
        logIn(Files.readString(tokenFile()).strip());
        assertThat(waitForText(By.tagName("h1"), "Certificates")).isEqualTo("Certificates");
    }

    private void logIn(String token) {
        browser.findElement(By.id("token")).clear();
        browser.findElement(By.id("token")).sendKeys(token);
        browser.findElement(By.id("login")).click();
    }

    /** Tries the right token until the lockout of this address ends (the portal's clock, at most a few seconds). */
    private void waitUntilUnlocked() throws IOException {
        String token = Files.readString(tokenFile()).strip();
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (System.nanoTime() < deadline) {
            logIn(token);
            if (waitForText(By.tagName("h1")).equals("Certificates")) {
                return;
            }
            assertThat(browser.findElement(By.id("error")).getText()).contains("try again in");
            ((org.openqa.selenium.JavascriptExecutor) browser).executeAsyncScript(
                    "var done = arguments[arguments.length - 1]; setTimeout(done, 500);");
        }
        throw new AssertionError("still locked out after " + PATIENCE);
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
        return waitForText(locator, "");
    }

    /** Polls the page until the element's text contains the expected part. */
    private String waitForText(By locator, String expected) {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                List<org.openqa.selenium.WebElement> found = browser.findElements(locator);
                if (!found.isEmpty() && !found.get(0).getText().isBlank() && found.get(0).getText().contains(expected)) {
                    return found.get(0).getText();
                }
            } catch (org.openqa.selenium.StaleElementReferenceException reloaded) {
                // the page reloaded itself when the job ended: look again
            }
            try {
                ((org.openqa.selenium.JavascriptExecutor) browser).executeAsyncScript(
                        "var done = arguments[arguments.length - 1]; setTimeout(done, 100);");
            } catch (org.openqa.selenium.ScriptTimeoutException | org.openqa.selenium.JavascriptException reloaded) {
                // the page reloaded itself during the pause, which ends the script: look again
            }
        }
        throw new AssertionError("no text in " + locator + " within " + PATIENCE + "; page:\n" + browser.getPageSource());
    }

    private void saveScreenshot(String name) throws IOException {
        Path target = Path.of("target", "screenshots", name);
        Files.createDirectories(target.getParent());
        File shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
        Files.copy(shot.toPath(), target, StandardCopyOption.REPLACE_EXISTING);
    }

}
