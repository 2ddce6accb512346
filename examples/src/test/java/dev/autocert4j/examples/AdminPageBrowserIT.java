package dev.autocert4j.examples;

import dev.autocert4j.testkit.AdminClient;
import dev.autocert4j.testkit.Chromium;
import dev.autocert4j.testkit.Ports;
import dev.autocert4j.testkit.PebbleExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The demo portal's admin page (the admin module's console on {@code --admin-port}) in a real
 * Chromium, against a real Pebble: a browser without the admin token gets only the login form; the
 * token from the file the demo made and named in its log opens the page, where the admin configures
 * Let's Encrypt. The page itself (every action, accessibility, other origins) is tested in the
 * admin module's JdkMountBrowserIT. Needs Debian's chromium and chromium-driver (installed by
 * .ci/run); a screenshot goes to target/screenshots.
 */
class AdminPageBrowserIT {

    @RegisterExtension
    static final PebbleExtension PEBBLE = PebbleExtension.withDefaults();

    private static final Duration PATIENCE = Duration.ofSeconds(30);

    @TempDir
    Path folder;

    private DemoProcess portal;
    private Chromium browser;
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
        browser = Chromium.builder(folder.resolve("chromium-profile")).windowSize(1200, 1400).patience(PATIENCE).start();
    }

    @AfterEach
    void stop() throws Exception {
        if (browser != null) {
            browser.close();
        }
        if (portal != null) {
            portal.close();
        }
    }

    @Test
    void withoutTheTokenTheBrowserSeesOnlyTheLoginFormAndCannotEnrollThenLogsInWithTheTokenFromTheFile() throws Exception {
        browser.open("http://127.0.0.1:" + adminPort + "/admin");
        assertThat(browser.find(By.tagName("h1")).getText()).isEqualTo("Log in to the admin page");
        assertThat(browser.driver().findElements(By.tagName("form"))).singleElement()
                .satisfies(form -> assertThat(form.getAttribute("action")).endsWith("/admin/login"));
        assertThat(browser.driver().getPageSource()).doesNotContain("Configure Let's Encrypt").doesNotContain("csrf");
        saveScreenshot("admin-page-login.png");

        ((org.openqa.selenium.JavascriptExecutor) browser.driver()).executeScript("var f = document.createElement('form');"
                + "f.method = 'post'; f.action = '/admin/configure';"
                + "[['binding', arguments[0]], ['httpsPort', arguments[1]], ['tos', 'on'], ['email', 'a@evil.example'],"
                + " ['csrf', 'guessed']].forEach(function (p) { var i = document.createElement('input');"
                + " i.name = p[0]; i.value = p[1]; f.appendChild(i); });"
                + "document.body.appendChild(f); f.submit();",
                "http://browser.autocert4j.test:" + PEBBLE.httpChallengePort(), String.valueOf(httpsPort));
        assertThat(browser.waitForText(By.tagName("body"), "Log in first")).doesNotContain("Certificates");

        browser.open("http://127.0.0.1:" + adminPort + "/admin");
        logIn("not-the-token-but-long-enough");
        assertThat(browser.waitForText(By.id("error"), "not the admin token")).isNotBlank();
        // the right token is refused until the one-second lockout ends (AdminLoginTest shows it on a
        // clock of its own); here the browser may be slower than that second, so either page may come
        waitUntilUnlocked();

        assertThat(browser.find(By.tagName("h1")).getText()).isEqualTo("Certificates");
        assertThat(browser.driver().findElements(By.className("certificate"))).as("nothing was enrolled before the login").isEmpty();
        assertThat(portal.log()).doesNotContain("Ordering a certificate").doesNotContain("a@evil.example")
                .contains("log in with the admin token in " + tokenFile().toAbsolutePath())
                .doesNotContain(Files.readString(tokenFile()).strip());
        browser.open("http://127.0.0.1:" + adminPort + "/admin/configure");
        fillForm("browser.autocert4j.test", true);
        browser.find(By.id("register")).click();
        assertThat(browser.waitForText(By.id("https-url"))).isEqualTo("https://browser.autocert4j.test:" + httpsPort + "/");

        browser.find(By.id("logout")).click();
        assertThat(browser.waitForText(By.tagName("h1"), "Log in")).isNotBlank();
        browser.open("http://127.0.0.1:" + adminPort + "/admin");
        assertThat(browser.driver().findElements(By.className("certificate"))).as("logged out").isEmpty();
    }

    @Test
    void aWrongHostGetsNoPageAndEveryAnswerForbidsFraming() throws Exception {
        String rebound = rawRequest("GET /admin HTTP/1.1\r\nHost: rebind.attacker.example:" + adminPort + "\r\n\r\n");
        assertThat(rebound).startsWith("HTTP/1.1 421").doesNotContain("Certificates");

        String login = rawRequest("GET /admin HTTP/1.1\r\nHost: 127.0.0.1:" + adminPort + "\r\n\r\n");
        assertThat(login).startsWith("HTTP/1.1 401").containsIgnoringCase("x-frame-options: DENY")
                .containsPattern("(?i)content-security-policy: [^\r]*frame-ancestors 'none'").contains("name=\"token\"");

        AdminClient admin = AdminClient.loggedIn(adminPort, "/admin", tokenFile());
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
        return folder.resolve("state").resolve("admin.token");
    }

    private void logIn(String token) {
        browser.find(By.id("token")).clear();
        browser.find(By.id("token")).sendKeys(token);
        browser.find(By.id("login")).click();
    }

    /** Tries the right token until the lockout of this address ends (the portal's clock, at most a few seconds). */
    private void waitUntilUnlocked() throws IOException {
        String token = Files.readString(tokenFile()).strip();
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (System.nanoTime() < deadline) {
            logIn(token);
            if (browser.waitForText(By.tagName("h1")).equals("Certificates")) {
                return;
            }
            assertThat(browser.find(By.id("error")).getText()).contains("try again in");
            browser.pause(500);
        }
        throw new AssertionError("still locked out after " + PATIENCE);
    }

    private void fillForm(String host, boolean acceptTerms) {
        browser.find(By.cssSelector("input[name='binding'][value='http://" + host + ":"
                + PEBBLE.httpChallengePort() + "']")).click();
        browser.find(By.id("httpsPort")).clear();
        browser.find(By.id("httpsPort")).sendKeys(String.valueOf(httpsPort));
        if (acceptTerms != browser.find(By.id("tos")).isSelected()) {
            browser.find(By.id("tos")).click();
        }
        browser.find(By.id("email")).clear();
        browser.find(By.id("email")).sendKeys("admin@autocert4j.test");
    }

    private void saveScreenshot(String name) throws IOException {
        browser.screenshot(Path.of("target", "screenshots", name));
    }
}
