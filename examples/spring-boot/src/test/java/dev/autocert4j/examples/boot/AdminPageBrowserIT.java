package dev.autocert4j.examples.boot;

import dev.autocert4j.AutoCert;
import dev.autocert4j.AutoCertListener;
import dev.autocert4j.Binding;
import dev.autocert4j.InstallResult;
import dev.autocert4j.IssuedCertificate;
import dev.autocert4j.testkit.Chromium;
import dev.autocert4j.testkit.PebbleExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The admin page as Spring Boot mounts it ({@code autocert4j.admin.enabled=true}, at {@code /autocert4j}
 * on the example's embedded server, over HTTPS with the certificate from a local Pebble), in a real
 * Chromium: the admin logs in with the token from its file, sees the bindings, registers and watches
 * the progress, sees last renewed and expiry, renews, revokes with a reason (Pebble then reports the
 * certificate revoked) and stops managing the name; axe-core finds no serious or critical violation
 * on the login page, the Configure dialog or the Certificates view. One Spring Boot start and one
 * browser for the class.
 */
@SpringBootTest(classes = {PortalApplication.class, AdminPageBrowserIT.Installed.class},
        webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT)
@DirtiesContext
class AdminPageBrowserIT {

    private static final String DOMAIN = "portal.example.com";

    @RegisterExtension
    static final PebbleExtension PEBBLE = PebbleExtension.withDefaults();

    @TempDir
    static Path state;

    static final BlockingQueue<IssuedCertificate> INSTALLED = new LinkedBlockingQueue<>();

    @DynamicPropertySource
    static void pebbleInsteadOfLetsEncrypt(DynamicPropertyRegistry registry) {
        registry.add("autocert4j.ca", () -> PEBBLE.directoryUri().toString());
        registry.add("autocert4j.ca-trust", () -> PEBBLE.trustFile().toString());
        registry.add("autocert4j.http-port", PEBBLE::httpChallengePort);
        registry.add("autocert4j.state-dir", state::toString);
        registry.add("server.port", () -> 0);
        registry.add("autocert4j.admin.enabled", () -> "true");
    }

    @TestConfiguration
    static class Installed {
        @Bean
        AutoCertListener installed() {
            return new AutoCertListener() {
                @Override
                public void installed(IssuedCertificate certificate, Binding httpsBinding, InstallResult result) {
                    INSTALLED.add(certificate);
                }
            };
        }
    }

    @Autowired
    WebServerApplicationContext context;

    @Autowired
    AutoCert autoCert;

    @TempDir
    Path profile;

    private Chromium browser;
    private String page;
    private int httpsPort;

    @Test
    void theAdminLogsInSeesTheBindingsRegistersWatchesTheProgressRenewsRevokesAndStopsManaging() throws Exception {
        IssuedCertificate startup = INSTALLED.poll(60, TimeUnit.SECONDS);
        assertThat(startup).as("the certificate the starter enrolls at startup, within a minute").isNotNull();
        List<X509Certificate> chain = startup.chain();
        httpsPort = context.getWebServer().getPort();
        page = "https://" + DOMAIN + ":" + httpsPort + "/autocert4j";
        try (Chromium chromium = Chromium.builder(profile).resolvingToLoopback(DOMAIN).trustingKeyOf(chain.get(chain.size() - 1))
                .start()) {
            browser = chromium;
            String renewed = logInRegisterAndRenew();
            revokeAndStopManaging(renewed);
        }
    }

    /** @return the serial of the renewed certificate */
    private String logInRegisterAndRenew() throws Exception {
        browser.open(page + "/");
        assertThat(browser.heading()).isEqualTo("Log in to the admin page");
        browser.assertAccessible();
        browser.find(By.id("token")).sendKeys(Files.readString(state.resolve("admin.token")).strip());
        browser.find(By.id("login")).click();
        assertThat(browser.waitForText(By.tagName("h1"), "Certificates")).isEqualTo("Certificates");
        assertThat(browser.find(By.id("bindings")).getText()).contains(DOMAIN)
                .contains(String.valueOf(PEBBLE.httpChallengePort())).contains(String.valueOf(httpsPort));

        // the example's only name, which the starter enrolled at startup: registering it from the dialog issues it again
        browser.find(By.id("nav-configure")).click();
        assertThat(browser.heading()).isEqualTo("Configure Let's Encrypt");
        browser.assertAccessible();
        browser.find(By.cssSelector("input[name='binding'][value='http://" + DOMAIN + ":" + PEBBLE.httpChallengePort() + "']"))
                .click();
        browser.find(By.id("httpsPort")).clear();
        browser.find(By.id("httpsPort")).sendKeys(String.valueOf(httpsPort));
        browser.find(By.id("tos")).click();
        browser.find(By.id("email")).sendKeys("admin@example.com");
        browser.find(By.id("register")).click();
        assertThat(browser.waitForText(By.id("progress"), "Installed.")).as("the progress, reloaded until the job ends")
                .contains("The server is now on");
        assertThat(browser.waitForText(By.id("https-url"), DOMAIN)).isEqualTo("https://" + DOMAIN + ":" + httpsPort + "/");
        assertThat(INSTALLED.poll(60, TimeUnit.SECONDS)).as("the registration installed a certificate").isNotNull();

        assertThat(browser.heading()).isEqualTo("Certificates");
        assertThat(field("Last renewed")).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");
        assertThat(field("Expires")).matches("\\d{4}-\\d\\d-\\d\\dT.*Z \\(\\d+ days left\\)");
        assertThat(field("Issuer")).contains("Pebble Intermediate CA");
        browser.assertAccessible();
        String registered = field("Serial");

        browser.find(By.id("renew-" + DOMAIN)).click();
        browser.waitForText(By.id("progress"), "Renewed " + DOMAIN + ".");
        String renewed = field("Serial");
        assertThat(renewed).isNotEqualTo(registered);
        assertThat(field("Last error")).isEqualTo("none");
        return renewed;
    }

    private void revokeAndStopManaging(String renewed) {
        browser.find(By.xpath("//form[.//button[@id='revoke-" + DOMAIN + "']]//option[@value='key-compromise']")).click();
        browser.find(By.id("revoke-" + DOMAIN)).click();
        browser.waitForText(By.id("progress"), "Revoked the previous certificate of " + DOMAIN);
        assertThat(PEBBLE.server().certificateStatus(new BigInteger(renewed, 16))).as("Pebble's word for the revoked serial")
                .isEqualTo("Revoked");
        assertThat(field("Serial")).as("a new certificate in place").isNotEqualTo(renewed);

        browser.find(By.id("unmanage-" + DOMAIN)).click();
        browser.waitForText(By.id("progress"), "Stopped managing " + DOMAIN + ".");
        assertThat(browser.driver().findElements(By.cssSelector("table[data-domain='" + DOMAIN + "']"))).as("gone from the view")
                .isEmpty();
        assertThat(autoCert.managedDomains()).doesNotContain(DOMAIN);
    }

    private String field(String field) {
        return browser.find(By.cssSelector("table[data-domain='" + DOMAIN + "'] td[data-field='" + field + "']")).getText();
    }
}
