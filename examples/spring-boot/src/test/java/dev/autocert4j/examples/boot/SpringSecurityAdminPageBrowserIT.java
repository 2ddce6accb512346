package dev.autocert4j.examples.boot;

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
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The admin page as Spring Boot mounts it when the application has Spring Security, in a real
 * Chromium: the application's own login decides, and only a user holding {@code autocert4j.admin.authority}
 * ({@code ROLE_AUTOCERT4J_ADMIN}) gets in; a user Spring Security let in without it is refused, and no
 * admin token file is made. Runs in its own failsafe execution, the only one with Spring Security on
 * the class path. One Spring Boot start and one browser for the class.
 */
@SpringBootTest(classes = {PortalApplication.class, SpringSecurityAdminPageBrowserIT.Security.class},
        webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT)
@DirtiesContext
class SpringSecurityAdminPageBrowserIT {

    private static final String DOMAIN = "portal.example.com";
    private static final String PASSWORD = "a-test-password";

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

    /** The application's security: a form login for two users, the admin page exempt from Spring's CSRF check (it has its own). */
    @TestConfiguration
    static class Security {
        @Bean
        SecurityFilterChain security(HttpSecurity http) throws Exception {
            return http.authorizeHttpRequests(requests -> requests.requestMatchers("/").permitAll().anyRequest().authenticated())
                    .formLogin(Customizer.withDefaults())
                    .csrf(csrf -> csrf.ignoringRequestMatchers("/autocert4j/**"))
                    .build();
        }

        @Bean
        UserDetailsService users() {
            return new InMemoryUserDetailsManager(
                    User.withUsername("operator").password("{noop}" + PASSWORD).roles("AUTOCERT4J_ADMIN").build(),
                    User.withUsername("viewer").password("{noop}" + PASSWORD).roles("USER").build());
        }

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

    @TempDir
    Path profile;

    @Test
    void aUserWithoutTheAuthorityIsRefusedAndOneWithItGetsIn() throws Exception {
        IssuedCertificate startup = INSTALLED.poll(60, TimeUnit.SECONDS);
        assertThat(startup).as("the certificate the starter enrolls at startup, within a minute").isNotNull();
        List<X509Certificate> chain = startup.chain();
        String page = "https://" + DOMAIN + ":" + context.getWebServer().getPort() + "/autocert4j/";
        try (Chromium browser = Chromium.builder(profile).resolvingToLoopback(DOMAIN).trustingKeyOf(chain.get(chain.size() - 1))
                .start()) {
            logIn(browser, page, "viewer");
            assertThat(browser.heading()).isEqualTo("Log in first");
            assertThat(browser.driver().findElements(By.id("bindings"))).as("nothing of the state shown").isEmpty();
            browser.open(page + "api/v1/state");
            assertThat(browser.waitForText(By.tagName("body"), "Log in first")).doesNotContain("csrfToken").doesNotContain(DOMAIN);

            browser.driver().manage().deleteAllCookies(); // a new session
            logIn(browser, page, "operator");
            assertThat(browser.waitForText(By.tagName("h1"), "Certificates")).isEqualTo("Certificates");
            assertThat(browser.find(By.id("bindings")).getText()).contains(DOMAIN);
        }
        assertThat(Files.exists(state.resolve("admin.token"))).as("no token login beside Spring Security's").isFalse();
    }

    /** Opens the page, which sends the browser to Spring Security's login form, and logs in there. */
    private static void logIn(Chromium browser, String page, String user) {
        browser.open(page);
        browser.waitForText(By.tagName("body"), "Username");
        browser.find(By.id("username")).sendKeys(user);
        browser.find(By.id("password")).sendKeys(PASSWORD);
        browser.find(By.cssSelector("button[type='submit']")).click();
        browser.heading();
    }
}
