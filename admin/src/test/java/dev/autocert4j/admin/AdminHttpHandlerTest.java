package dev.autocert4j.admin;

import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.autocert4j.AutoCert;
import dev.autocert4j.CertificateAuthority;
import dev.autocert4j.testkit.AdminClient;
import dev.autocert4j.testkit.InMemoryCertificateStore;
import dev.autocert4j.testkit.InMemoryChallengeSolver;
import dev.autocert4j.testkit.MutableClock;
import dev.autocert4j.testkit.Ports;
import dev.autocert4j.testkit.RawHttp;
import dev.autocert4j.testkit.RecordingBindingProvider;
import dev.autocert4j.testkit.TestCertificateAuthority;
import dev.autocert4j.testkit.TlsClient;
import dev.autocert4j.tls.SniKeyManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The admin page on the JDK server ({@link AdminHttpHandler}) with the token login, played by an
 * attacker on the same machine: the page served in process on loopback, requests sent in raw HTTP
 * from other loopback addresses, the clock moved by hand.
 */
class AdminHttpHandlerTest {

    private static final Pattern SET_COOKIE = Pattern.compile("(?im)^Set-Cookie: ([^\r\n]*)");

    @TempDir
    Path folder;

    private final MutableClock clock = new MutableClock(Instant.parse("2030-01-01T00:00:00Z"));
    private static final List<String> GET_ROUTES = List.of("/admin", "/admin/", "/admin/configure", "/admin/api/v1/state");
    private static final List<String> POST_ROUTES = List.of("/admin/configure", "/admin/renew", "/admin/revoke",
            "/admin/unmanage", "/admin/rollover", "/admin/logout", "/admin/api/v1/enroll", "/admin/api/v1/renew",
            "/admin/api/v1/revoke", "/admin/api/v1/unmanage", "/admin/api/v1/rollover");

    private AdminConsole console;
    private AutoCert autoCert;
    private HttpServer server;
    private int port;
    private String token;

    @BeforeEach
    void startThePage() throws Exception {
        AdminTokenLogin login = AdminTokenLogin.readOrCreate(folder.resolve("state"), clock);
        token = Files.readString(login.file()).strip();
        autoCert = AutoCert.builder()
                .certificateAuthority(CertificateAuthority.at(URI.create("https://127.0.0.1:" + Ports.free() + "/dir")))
                .bindingProvider(new RecordingBindingProvider("http://portal.example.com:80"))
                .challengeSolver(new InMemoryChallengeSolver())
                .certificateStore(new InMemoryCertificateStore())
                .build();
        console = AdminConsole.builder(autoCert).mountPath("/admin").authenticator(login).clock(clock).build();
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        port = server.getAddress().getPort();
        server.createContext("/admin", new AdminHttpHandler(console));
        server.setExecutor(Executors.newFixedThreadPool(2, new NamedThreads("admin-http-handler-test")));
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
        console.close();
        autoCert.close();
    }

    @Test
    void everyRouteOfThePageRefusesAClientWithoutASessionEvenWithAStolenCsrfToken() throws Exception {
        AdminClient admin = AdminClient.loggedIn(port, "/admin", folder.resolve("state").resolve(AdminTokenLogin.FILE_NAME));
        AdminClient attacker = new AdminClient(port, "127.0.0.2", "/admin");
        Set<String> refused = new HashSet<>();

        for (String path : GET_ROUTES) {
            String answer = attacker.get(path);
            assertThat(answer).as("GET " + path).startsWith("HTTP/1.1 401")
                    .doesNotContain(admin.csrf()).doesNotContain("Renew now").doesNotContain("\"running\"");
            refused.add("GET " + path);
        }
        for (String path : POST_ROUTES) {
            String answer = attacker.post(path, "csrf=" + admin.csrf() + "&domain=portal.example.com&binding="
                    + "http%3A%2F%2Fportal.example.com%3A80&tos=on&email=attacker%40evil.example");
            assertThat(answer).as("POST " + path).startsWith("HTTP/1.1 401")
                    .doesNotContain(admin.csrf()).doesNotContain("Renew now").doesNotContain("\"running\"");
            refused.add("POST " + path);
        }

        assertThat(refused).hasSize(GET_ROUTES.size() + POST_ROUTES.size());
        assertThat(attacker.get("/admin")).as("a page load without a session shows only the login form")
                .contains("name=\"token\"").doesNotContain("Configure Let's Encrypt");
        assertThat(attacker.get("/admin/no-such-page")).as("unknown paths do not tell what exists").startsWith("HTTP/1.1 401");
        attacker.useCookie(AdminTokenLogin.COOKIE + "=" + admin.csrf());
        assertThat(attacker.get("/admin")).as("a made-up session id").startsWith("HTTP/1.1 401");
        assertThatNothingWasStarted(admin);
    }

    @Test
    void onlyTheLoginFormIsOpenWithoutASession() throws Exception {
        AdminClient visitor = new AdminClient(port, "127.0.0.2", "/admin");

        assertThat(visitor.get("/admin/login")).startsWith("HTTP/1.1 200").contains("name=\"token\"")
                .doesNotContain("csrf").doesNotContain(token);
    }

    @Test
    void aWrongTokenOpensNoSession() throws Exception {
        for (String wrong : new String[]{"", "guess", token.substring(0, token.length() - 1), token + "x",
                token.toUpperCase(java.util.Locale.ROOT).equals(token) ? token.toLowerCase(java.util.Locale.ROOT)
                        : token.toUpperCase(java.util.Locale.ROOT)}) {
            AdminClient attacker = new AdminClient(port, "127.0.0.2", "/admin");
            String answer = attacker.logIn(wrong);
            assertThat(answer).as("token '" + wrong + "'").startsWith("HTTP/1.1 401").contains("That is not the admin token")
                    .doesNotContainIgnoringCase("Set-Cookie");
            assertThat(attacker.cookie()).isNull();
            clock.advance(Duration.ofMinutes(10)); // past the lockout, so each try is judged on its token
        }
    }

    @Test
    void failedLoginsLockTheAddressOutForAGrowingWindowThatOnlyTheClockEnds() throws Exception {
        AdminClient attacker = new AdminClient(port, "127.0.0.2", "/admin");

        assertThat(attacker.logIn("guess-1")).startsWith("HTTP/1.1 401");
        String locked = attacker.logIn(token);
        assertThat(locked).as("even the right token is not looked at while locked out").startsWith("HTTP/1.1 429")
                .contains("try again in 1 s").containsPattern("(?i)\nRetry-After: 1\r\n").doesNotContainIgnoringCase("Set-Cookie");
        clock.advance(Duration.ofMillis(999));
        assertThat(attacker.logIn(token)).startsWith("HTTP/1.1 429");
        clock.advance(Duration.ofMillis(1));

        assertThat(attacker.logIn("guess-2")).as("the second failure in a row").startsWith("HTTP/1.1 401");
        assertThat(attacker.logIn("guess-3")).startsWith("HTTP/1.1 429").contains("try again in 2 s");
        clock.advance(Duration.ofSeconds(2));
        assertThat(attacker.logIn("guess-4")).startsWith("HTTP/1.1 401");
        assertThat(attacker.logIn(token)).startsWith("HTTP/1.1 429").contains("try again in 4 s");
        clock.advance(Duration.ofMillis(3_500));
        assertThat(attacker.logIn(token)).as("rounded up to whole seconds").contains("try again in 1 s");

        AdminClient admin = new AdminClient(port, "127.0.0.3", "/admin");
        assertThat(admin.logIn(token)).as("another address is not locked out").startsWith("HTTP/1.1 303");
        clock.advance(Duration.ofMillis(500));
        assertThat(attacker.logIn(token)).as("once the window has passed").startsWith("HTTP/1.1 303");
    }

    @Test
    void theLockoutTableStaysBoundedWhateverTheNumberOfAddresses() throws Exception {
        LoginThrottle throttle = new LoginThrottle(clock);
        InetAddress first = InetAddress.getByName("10.0.0.1");
        throttle.failed(first);

        for (int i = 0; i < 3 * LoginThrottle.MAX_ADDRESSES; i++) {
            throttle.failed(InetAddress.getByAddress(new byte[]{10, 1, (byte) (i >> 8), (byte) i}));
        }

        assertThat(throttle.size()).isEqualTo(LoginThrottle.MAX_ADDRESSES);
        assertThat(throttle.lockedFor(first)).as("the address seen least recently was forgotten").isEmpty();
        assertThat(throttle.lockedFor(InetAddress.getByAddress(new byte[]{10, 1, 47, (byte) 255})))
                .as("the latest address is still locked out").isPresent();
        assertThat(LoginThrottle.lockFor(40)).isEqualTo(Duration.ofSeconds(LoginThrottle.MAX_LOCK_SECONDS));
    }

    @Test
    void aLoggedInSessionStillNeedsItsOwnCsrfTokenThePagesOriginAndHost() throws Exception {
        AdminClient admin = AdminClient.loggedIn(port, "/admin", folder.resolve("state").resolve(AdminTokenLogin.FILE_NAME));
        AdminClient other = AdminClient.loggedIn(port, "/admin", folder.resolve("state").resolve(AdminTokenLogin.FILE_NAME));

        assertThat(admin.post("/admin/rollover", "")).as("no CSRF token").startsWith("HTTP/1.1 403");
        assertThat(admin.post("/admin/rollover", "csrf=" + other.csrf())).as("another session's CSRF token")
                .startsWith("HTTP/1.1 403");
        assertThat(admin.post("/admin/rollover", "csrf=" + admin.csrf(), "Host: 127.0.0.1:" + port
                + "\r\nOrigin: http://evil.example\r\n")).as("cross-origin").startsWith("HTTP/1.1 403")
                .contains("can only be sent from the admin page itself");
        assertThat(admin.post("/admin/rollover", "csrf=" + admin.csrf(), "Host: evil.example:" + port + "\r\n"))
                .as("DNS rebinding").startsWith("HTTP/1.1 421");
        assertThat(admin.post("/admin/login", "token=" + token, "Host: 127.0.0.1:" + port
                + "\r\nOrigin: http://evil.example\r\n")).as("a cross-origin login").startsWith("HTTP/1.1 403");
        assertThatNothingWasStarted(admin);

        assertThat(admin.postWithCsrf("/admin/rollover", "")).as("the same request, as the page sends it")
                .startsWith("HTTP/1.1 303");
        assertThat(admin.get("/admin/api/v1/state")).contains("\"action\":\"rollover\"");
    }

    @Test
    void theSessionCookieIsHttpOnlySameSiteStrictScopedRandomAndNewAtEachLogin() throws Exception {
        AdminClient admin = new AdminClient(port, "127.0.0.1", "/admin");
        admin.useCookie(AdminTokenLogin.COOKIE + "=chosen-by-the-attacker");
        String answer = admin.logIn(token);

        String setCookie = setCookie(answer);
        assertThat(setCookie).startsWith(AdminTokenLogin.COOKIE + "=").contains("; HttpOnly").contains("; SameSite=Strict")
                .contains("; Path=/admin").doesNotContain("Secure").doesNotContain(token);
        String id = admin.cookie().substring(AdminTokenLogin.COOKIE.length() + 1);
        assertThat(id).matches("[A-Za-z0-9_-]{43}").isNotEqualTo("chosen-by-the-attacker");
        AdminClient again = AdminClient.loggedIn(port, "/admin", folder.resolve("state").resolve(AdminTokenLogin.FILE_NAME));
        assertThat(again.cookie()).isNotEqualTo(admin.cookie());
        AdminClient fixated = new AdminClient(port, "127.0.0.1", "/admin");
        fixated.useCookie(AdminTokenLogin.COOKIE + "=chosen-by-the-attacker");
        assertThat(fixated.get("/admin")).as("the id the attacker planted opens nothing").startsWith("HTTP/1.1 401");
    }

    @Test
    void overHttpsTheSessionCookieIsSecure() throws Exception {
        SniKeyManager keys = new SniKeyManager();
        keys.put(new TestCertificateAuthority("Admin HTTPS test CA").issue("localhost"));
        HttpsServer https = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 4);
        https.setHttpsConfigurator(new HttpsConfigurator(keys.sslContext()));
        int httpsPort = https.getAddress().getPort();
        AdminConsole httpsConsole = AdminConsole.builder(autoCert).mountPath("/admin")
                .authenticator(AdminTokenLogin.readOrCreate(folder.resolve("state"), clock)).build();
        https.createContext("/admin", new AdminHttpHandler(httpsConsole));
        https.start();
        try (SSLSocket socket = TlsClient.create().open(new InetSocketAddress("127.0.0.1", httpsPort), "localhost")) {
            String form = "token=" + token;
            String answer = RawHttp.exchange(socket, "POST /admin/login HTTP/1.1\r\nHost: localhost:" + httpsPort
                    + "\r\nOrigin: https://localhost:" + httpsPort + "\r\nConnection: close\r\nContent-Type:"
                    + " application/x-www-form-urlencoded\r\nContent-Length: " + form.length() + "\r\n\r\n" + form);

            assertThat(answer).startsWith("HTTP/1.1 303");
            assertThat(setCookie(answer)).contains("; Secure").contains("; HttpOnly").contains("; SameSite=Strict");
        } finally {
            https.stop(0);
            httpsConsole.close();
        }
    }

    @Test
    void logoutEndsTheSessionOnTheServerSoACopiedCookieOpensNothing() throws Exception {
        AdminClient admin = AdminClient.loggedIn(port, "/admin", folder.resolve("state").resolve(AdminTokenLogin.FILE_NAME));
        String copied = admin.cookie();

        String answer = admin.postWithCsrf("/admin/logout", "");

        assertThat(answer).startsWith("HTTP/1.1 303");
        assertThat(setCookie(answer)).startsWith(AdminTokenLogin.COOKIE + "=;").contains("Max-Age=0");
        AdminClient thief = new AdminClient(port, "127.0.0.2", "/admin");
        thief.useCookie(copied);
        assertThat(thief.get("/admin")).startsWith("HTTP/1.1 401");
        assertThat(thief.get("/admin/api/v1/state")).startsWith("HTTP/1.1 401");
    }

    @Test
    void aSessionEndsAfterHalfAnHourIdleAndTwelveHoursAfterTheLoginWhateverItsUse() throws Exception {
        Path tokenFile = folder.resolve("state").resolve(AdminTokenLogin.FILE_NAME);
        AdminClient idle = AdminClient.loggedIn(port, "/admin", tokenFile);
        clock.advance(AdminTokenLogin.IDLE_TIMEOUT.minusSeconds(1));
        assertThat(idle.get("/admin/api/v1/state")).startsWith("HTTP/1.1 200");
        clock.advance(AdminTokenLogin.IDLE_TIMEOUT);
        assertThat(idle.get("/admin/api/v1/state")).startsWith("HTTP/1.1 401");

        AdminClient busy = AdminClient.loggedIn(port, "/admin", tokenFile);
        for (Duration used = Duration.ZERO; used.compareTo(AdminTokenLogin.MAX_AGE.minusMinutes(20)) < 0; used = used.plusMinutes(20)) {
            clock.advance(Duration.ofMinutes(20));
            assertThat(busy.get("/admin/api/v1/state")).as("in use after " + used).startsWith("HTTP/1.1 200");
        }
        clock.advance(Duration.ofMinutes(20));
        assertThat(busy.get("/admin/api/v1/state")).as("twelve hours after the login").startsWith("HTTP/1.1 401");
    }

    private static String setCookie(String answer) {
        Matcher matcher = SET_COOKIE.matcher(answer);
        assertThat(matcher.find()).as("a Set-Cookie header in " + answer).isTrue();
        return matcher.group(1);
    }

    private static void assertThatNothingWasStarted(AdminClient admin) throws Exception {
        assertThat(admin.get("/admin/api/v1/state")).startsWith("HTTP/1.1 200")
                .contains("\"job\":{\"running\":false,\"action\":null,\"stage\":null,\"error\":null,\"httpsUrl\":null}");
    }
}
