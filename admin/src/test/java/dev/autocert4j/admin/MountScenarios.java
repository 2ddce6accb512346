package dev.autocert4j.admin;

import dev.autocert4j.AutoCert;
import dev.autocert4j.CertificateAuthority;
import dev.autocert4j.http.Http01Listener;
import dev.autocert4j.http.Http01Responder;
import dev.autocert4j.testkit.Chromium;
import dev.autocert4j.testkit.InMemoryCertificateStore;
import dev.autocert4j.testkit.PebbleExtension;
import dev.autocert4j.testkit.Ports;
import dev.autocert4j.testkit.RawHttp;
import dev.autocert4j.testkit.RecordingBindingProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What every mount of the admin page must do on its real server, against a real Pebble: in a real
 * Chromium, the admin logs in with the token, sees the bindings, registers and watches the progress,
 * sees last renewed and expiry, renews, revokes with a reason (Pebble then reports the certificate
 * revoked) and stops managing, on the one certificate the scenario obtains; in raw HTTP, a request
 * without a login, with a foreign {@code Host} or from another origin gets nothing. A subclass starts
 * its server with the console mounted. One Pebble, one server and one browser per class.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class MountScenarios {

    @RegisterExtension
    static final PebbleExtension PEBBLE = PebbleExtension.withDefaults();

    private Http01Listener challenges;
    private AutoCert autoCert;
    private AdminConsole console;
    private Chromium browser;
    private String page;
    private int port;
    private Path tokenFile;

    /**
     * Starts the server with the console mounted at its mount path, on 127.0.0.1.
     *
     * @return the port it listens on
     */
    abstract int start(AdminConsole console) throws Exception;

    /** Stops the server. */
    abstract void stop() throws Exception;

    /** @return the name the test's binding has, such as {@code jetty} */
    abstract String name();

    @BeforeAll
    void startEverything(@TempDir Path folder) throws Exception {
        Http01Responder responder = Http01Responder.checkingHost();
        challenges = Http01Listener.start(responder, new InetSocketAddress(InetAddress.getLoopbackAddress(),
                PEBBLE.httpChallengePort()));
        AdminProgress progress = new AdminProgress();
        autoCert = AutoCert.builder()
                .certificateAuthority(CertificateAuthority.at(PEBBLE.directoryUri()).trusting(PEBBLE.trustFile()).named("Pebble"))
                .bindingProvider(new RecordingBindingProvider(binding()))
                .challengeSolver(responder)
                .certificateStore(new InMemoryCertificateStore())
                .listener(progress)
                .build();
        AdminTokenLogin login = AdminTokenLogin.readOrCreate(folder.resolve("state"));
        tokenFile = login.file();
        console = AdminConsole.builder(autoCert).authenticator(login).progress(progress).build();
        port = start(console);
        page = "http://127.0.0.1:" + port + console.mountPath();
        browser = Chromium.start(folder.resolve("chromium-profile"));
    }

    @AfterAll
    void stopEverything() throws Exception {
        if (browser != null) {
            browser.close();
        }
        stop();
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
    void anAdminLogsInRegistersWatchesTheProgressRenewsRevokesAndStopsManaging() throws Exception {
        String domain = name() + ".autocert4j.test";
        browser.open(page + "/");
        assertThat(browser.heading()).isEqualTo("Log in to the admin page");
        browser.find(By.id("token")).sendKeys(Files.readString(tokenFile).strip());
        browser.find(By.id("login")).click();
        assertThat(browser.waitForText(By.tagName("h1"), "Certificates")).isEqualTo("Certificates");
        assertThat(browser.find(By.id("bindings")).getText()).contains(domain);

        browser.find(By.id("nav-configure")).click();
        browser.find(By.cssSelector("input[name='binding'][value='" + binding() + "']")).click();
        browser.find(By.id("httpsPort")).clear();
        browser.find(By.id("httpsPort")).sendKeys(String.valueOf(Ports.free()));
        browser.find(By.id("tos")).click();
        browser.find(By.id("email")).sendKeys("admin@autocert4j.test");
        browser.find(By.id("register")).click();
        browser.waitForText(By.id("https-url"), domain);
        assertThat(field("Last renewed")).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");
        assertThat(field("Expires")).matches("\\d{4}-\\d\\d-\\d\\dT.*Z \\(\\d+ days left\\)");
        String first = field("Serial");

        browser.find(By.id("renew-" + domain)).click();
        browser.waitForText(By.id("progress"), "Renewed " + domain + ".");
        String renewed = field("Serial");
        assertThat(renewed).isNotEqualTo(first);

        // the revoke form found by its button, not by its action: the mount path differs between mounts
        browser.find(By.xpath("//form[.//button[@id='revoke-" + domain + "']]//option[@value='key-compromise']")).click();
        browser.find(By.id("revoke-" + domain)).click();
        browser.waitForText(By.id("progress"), "Revoked the previous certificate of " + domain);
        assertThat(PEBBLE.server().certificateStatus(new BigInteger(renewed, 16))).as("Pebble's word for the revoked serial")
                .isEqualTo("Revoked");
        assertThat(field("Serial")).as("a new certificate in place").isNotEqualTo(renewed);

        browser.find(By.id("unmanage-" + domain)).click();
        browser.waitForText(By.id("progress"), "Stopped managing " + domain + ".");
        assertThat(browser.driver().findElements(By.cssSelector("table[data-domain='" + domain + "']"))).as("gone from the view")
                .isEmpty();
        assertThat(autoCert.managedDomains()).doesNotContain(domain);
    }

    @Test
    void withoutALoginWithAForeignHostOrFromAnotherOriginTheMountGivesNothing() throws Exception {
        String state = RawHttp.plain(port, "GET " + console.mountPath() + "/api/v1/state HTTP/1.1\r\nHost: 127.0.0.1:" + port
                + "\r\n\r\n");
        assertThat(state).startsWith("HTTP/1.1 401").containsIgnoringCase("X-Frame-Options: DENY")
                .containsPattern("(?i)Content-Security-Policy: [^\r]*frame-ancestors 'none'").doesNotContain("csrfToken");

        String rebound = RawHttp.plain(port, "GET " + console.mountPath() + "/ HTTP/1.1\r\nHost: rebind.attacker.example:"
                + port + "\r\n\r\n");
        assertThat(rebound).startsWith("HTTP/1.1 421").doesNotContain("Log in");

        String form = "token=" + Files.readString(tokenFile).strip();
        String crossOrigin = RawHttp.plain(port, "POST " + console.mountPath() + "/login HTTP/1.1\r\nHost: 127.0.0.1:" + port
                + "\r\nOrigin: http://evil.example\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: "
                + form.length() + "\r\n\r\n" + form);
        assertThat(crossOrigin).startsWith("HTTP/1.1 403").doesNotContainIgnoringCase("Set-Cookie");
    }

    private String binding() {
        return "http://" + name() + ".autocert4j.test:" + PEBBLE.httpChallengePort();
    }

    private String field(String field) {
        return browser.find(By.cssSelector("table[data-domain='" + name() + ".autocert4j.test'] td[data-field='" + field + "']"))
                .getText();
    }
}
