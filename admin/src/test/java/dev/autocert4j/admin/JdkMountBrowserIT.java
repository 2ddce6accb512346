package dev.autocert4j.admin;

import com.sun.net.httpserver.HttpServer;
import dev.autocert4j.AutoCert;
import dev.autocert4j.CertificateAuthority;
import dev.autocert4j.http.Http01Listener;
import dev.autocert4j.http.Http01Responder;
import dev.autocert4j.testkit.Chromium;
import dev.autocert4j.testkit.InMemoryCertificateStore;
import dev.autocert4j.testkit.PebbleExtension;
import dev.autocert4j.testkit.Ports;
import dev.autocert4j.testkit.RecordingBindingProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The admin page on the JDK server, in a real Chromium, against a real Pebble: an admin logs in with
 * the token from its file, sees the bindings, registers, watches the progress, sees last renewed and
 * expiry, renews, revokes, rolls the account key over and stops managing; axe-core finds no serious
 * or critical violation on either view; a page on another origin cannot drive it. One Pebble, one
 * server and one browser for the class; each test enrolls a binding of its own. The screenshots of
 * both views go to docs/admin, where docs/admin.md shows them.
 */
class JdkMountBrowserIT {

    @RegisterExtension
    static final PebbleExtension PEBBLE = PebbleExtension.withDefaults();

    @TempDir
    static Path folder;

    private static Http01Listener challenges;
    private static AutoCert autoCert;
    private static AdminConsole console;
    private static HttpServer server;
    private static ExecutorService serverThreads;
    private static Chromium browser;
    private static String page;
    private static int httpsPort;
    private static Path tokenFile;

    @BeforeAll
    static void start() throws Exception {
        Http01Responder responder = Http01Responder.checkingHost();
        challenges = Http01Listener.start(responder, new InetSocketAddress(InetAddress.getLoopbackAddress(),
                PEBBLE.httpChallengePort()));
        AdminProgress progress = new AdminProgress();
        autoCert = AutoCert.builder()
                .certificateAuthority(CertificateAuthority.at(PEBBLE.directoryUri()).trusting(PEBBLE.trustFile()).named("Pebble"))
                .bindingProvider(new RecordingBindingProvider(binding("configure"), binding("actions"), binding("other")))
                .challengeSolver(responder)
                .certificateStore(new InMemoryCertificateStore())
                .listener(progress)
                .build();
        AdminTokenLogin login = AdminTokenLogin.readOrCreate(folder.resolve("state"));
        tokenFile = login.file();
        console = AdminConsole.builder(autoCert).authenticator(login).progress(progress).build();
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        server.createContext(console.mountPath(), new AdminHttpHandler(console));
        serverThreads = Executors.newFixedThreadPool(4, new NamedThreads("jdk-mount-browser-it"));
        server.setExecutor(serverThreads);
        server.start();
        page = "http://127.0.0.1:" + server.getAddress().getPort() + console.mountPath();
        httpsPort = Ports.free();
        browser = Chromium.start(folder.resolve("chromium-profile"));
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.close();
        }
        if (server != null) {
            server.stop(0);
            serverThreads.shutdownNow();
        }
        if (console != null) {
            console.close();
        }
        if (autoCert != null) {
            autoCert.close();
        }
        if (challenges != null) {
            challenges.close();
        }
    }

    @Test
    void theAdminLogsInSeesTheBindingsRegistersAndSeesLastRenewedAndExpiry() throws Exception {
        logIn();
        assertThat(browser.find(By.id("bindings")).getText()).contains("configure.autocert4j.test")
                .contains(String.valueOf(PEBBLE.httpChallengePort()));

        browser.find(By.id("nav-configure")).click();
        assertThat(browser.heading()).isEqualTo("Configure Let's Encrypt");
        assertThat(browser.find(By.cssSelector("form.dialog")).getText())
                .contains("Pebble Terms of Service (the CA's link is not a web address: data:");
        browser.assertAccessible();
        fillConfigureForm("configure", false);
        browser.find(By.id("register")).click();
        assertThat(browser.waitForText(By.id("error"), "termsOfServiceAccepted")).contains("accept the CA's Terms of Service");

        fillConfigureForm("configure", true);
        browser.screenshot(docs("configure.png"));
        browser.find(By.id("register")).click();
        assertThat(browser.waitForText(By.id("https-url"))).isEqualTo("https://configure.autocert4j.test:" + httpsPort + "/");

        assertThat(browser.heading()).isEqualTo("Certificates");
        assertThat(field("configure", "Last renewed")).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");
        assertThat(field("configure", "Expires")).matches("\\d{4}-\\d\\d-\\d\\dT.*Z \\(\\d+ days left\\)");
        assertThat(field("configure", "Issuer")).contains("Pebble Intermediate CA");
        assertThat(field("configure", "Last error")).isEqualTo("none");
        assertThat(browser.find(By.id("account")).getText()).contains("admin@autocert4j.test").contains("/my-account/");
        browser.assertAccessible();
        browser.screenshot(docs("certificates.png"));
    }

    @Test
    void theAdminRenewsRevokesRollsTheAccountKeyOverAndStopsManaging() throws Exception {
        logIn();
        browser.open(page + "/configure");
        fillConfigureForm("actions", true);
        browser.find(By.id("register")).click();
        browser.waitForText(By.id("https-url"), "actions.autocert4j.test");
        String first = field("actions", "Serial");

        browser.find(By.id("renew-actions.autocert4j.test")).click();
        browser.waitForText(By.id("progress"), "Renewed actions.autocert4j.test.");
        String renewed = field("actions", "Serial");
        assertThat(renewed).isNotEqualTo(first);

        browser.find(By.xpath("//form[.//button[@id='revoke-actions.autocert4j.test']]//option[@value='key-compromise']"))
                .click();
        browser.find(By.id("revoke-actions.autocert4j.test")).click();
        browser.waitForText(By.id("progress"), "Revoked the previous certificate of actions.autocert4j.test");
        assertThat(field("actions", "Serial")).isNotEqualTo(renewed);
        assertThat(PEBBLE.server().certificateStatus(new BigInteger(renewed, 16))).isEqualTo("Revoked");

        browser.find(By.id("rollover")).click();
        assertThat(browser.waitForText(By.id("progress"), "has a new key.")).contains("/my-account/");

        browser.find(By.id("unmanage-actions.autocert4j.test")).click();
        browser.waitForText(By.id("progress"), "Stopped managing actions.autocert4j.test.");
        assertThat(browser.driver().findElements(By.cssSelector("table[data-domain='actions.autocert4j.test']"))).isEmpty();
    }

    @Test
    void aPageOnAnotherOriginCannotMakeTheAdminPageOrderAnything() throws Exception {
        logIn(); // the admin is logged in while visiting the attacker's page
        String evil = "<!doctype html><html><body><form id=\"f\" method=\"post\" action=\"" + page + "/configure\">"
                + "<input name=\"binding\" value=\"" + binding("other") + "\">"
                + "<input name=\"httpsPort\" value=\"" + httpsPort + "\"><input name=\"tos\" value=\"on\">"
                + "<input name=\"email\" value=\"attacker@evil.example\"><input name=\"csrf\" value=\"guessed\">"
                + "</form><script>document.getElementById('f').submit();</script></body></html>";
        HttpServer attacker = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.2"), 0), 4);
        attacker.createContext("/", exchange -> {
            byte[] body = evil.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/html");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        attacker.start();
        try {
            browser.open("http://127.0.0.2:" + attacker.getAddress().getPort() + "/evil.html");
            assertThat(browser.waitForText(By.tagName("body"), "admin page")).as("the browser landed on the refusal")
                    .contains("can only be sent from the admin page itself");
        } finally {
            attacker.stop(0);
        }
        assertThat(autoCert.managedDomains()).doesNotContain("other.autocert4j.test");
        assertThat(autoCert.account().map(account -> account.contacts().toString()).orElse(""))
                .doesNotContain("attacker@evil.example");

        ((JavascriptExecutor) browser.driver()).executeScript("document.body.innerHTML = '';");
        browser.open(page + "/");
        assertThat(browser.heading()).as("still logged in, nothing changed").isEqualTo("Certificates");
    }

    /** Opens the page; logs in with the token from the file unless the browser's session is still open. */
    private static void logIn() throws Exception {
        browser.open(page + "/");
        if (browser.heading().equals("Log in to the admin page")) {
            browser.assertAccessible();
            browser.find(By.id("token")).sendKeys(Files.readString(tokenFile).strip());
            browser.find(By.id("login")).click();
        }
        assertThat(browser.waitForText(By.tagName("h1"), "Certificates")).isEqualTo("Certificates");
    }

    private static void fillConfigureForm(String name, boolean acceptTerms) {
        browser.find(By.cssSelector("input[name='binding'][value='" + binding(name) + "']")).click();
        browser.find(By.id("httpsPort")).clear();
        browser.find(By.id("httpsPort")).sendKeys(String.valueOf(httpsPort));
        if (acceptTerms != browser.find(By.id("tos")).isSelected()) {
            browser.find(By.id("tos")).click();
        }
        browser.find(By.id("email")).clear();
        browser.find(By.id("email")).sendKeys("admin@autocert4j.test");
    }

    private static String field(String name, String field) {
        return browser.find(By.cssSelector("table[data-domain='" + name + ".autocert4j.test'] td[data-field='" + field + "']"))
                .getText();
    }

    private static String binding(String name) {
        return "http://" + name + ".autocert4j.test:" + PEBBLE.httpChallengePort();
    }

    /** The project's docs/admin folder (the nearest folder up with docs beside a pom.xml). */
    private static Path docs(String file) {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("docs")) && Files.exists(dir.resolve("pom.xml")) && Files.isDirectory(dir.resolve("api"))) {
                return dir.resolve("docs").resolve("admin").resolve(file);
            }
        }
        throw new AssertionError("no docs folder above " + Path.of("").toAbsolutePath());
    }
}
