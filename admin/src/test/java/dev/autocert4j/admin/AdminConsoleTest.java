package dev.autocert4j.admin;

import dev.autocert4j.AutoCert;
import dev.autocert4j.CertificateAuthority;
import dev.autocert4j.testkit.InMemoryCertificateStore;
import dev.autocert4j.testkit.InMemoryChallengeSolver;
import dev.autocert4j.testkit.MutableClock;
import dev.autocert4j.testkit.Ports;
import dev.autocert4j.testkit.RecordingBindingProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The console played by an attacker, in process (request in, answer out): no login, a page on
 * another site, a rebound host name, a forged or missing CSRF token, framing, and the log read for
 * the token.
 */
class AdminConsoleTest {

    private static final List<String> GET_ROUTES = List.of("/autocert4j", "/autocert4j/", "/autocert4j/configure",
            "/autocert4j/api/v1/state");
    private static final List<String> POST_ROUTES = List.of("/autocert4j/configure", "/autocert4j/renew",
            "/autocert4j/revoke", "/autocert4j/unmanage", "/autocert4j/rollover", "/autocert4j/logout",
            "/autocert4j/api/v1/enroll", "/autocert4j/api/v1/renew", "/autocert4j/api/v1/revoke",
            "/autocert4j/api/v1/unmanage", "/autocert4j/api/v1/rollover");

    @TempDir
    Path folder;

    private final MutableClock clock = new MutableClock(Instant.parse("2030-01-01T00:00:00Z"));
    private AutoCert autoCert;
    private AdminTokenLogin login;
    private AdminConsole console;
    private String token;

    @BeforeEach
    void startConsole() throws Exception {
        autoCert = AutoCert.builder()
                .certificateAuthority(CertificateAuthority.at(URI.create("https://127.0.0.1:" + Ports.free() + "/dir")))
                .bindingProvider(new RecordingBindingProvider("http://portal.example.com:80"))
                .challengeSolver(new InMemoryChallengeSolver())
                .certificateStore(new InMemoryCertificateStore())
                .build();
        login = AdminTokenLogin.readOrCreate(folder.resolve("state"), clock);
        token = Files.readString(login.file()).strip();
        console = AdminConsole.builder(autoCert).authenticator(login).clock(clock).build();
    }

    @AfterEach
    void stop() {
        console.close();
        autoCert.close();
    }

    @Test
    void withoutALoginEveryRouteIsRefusedAndShowsNoState() {
        ConsoleClient stranger = new ConsoleClient(console);
        for (String path : GET_ROUTES) {
            AdminResponse answer = stranger.get(path);
            assertThat(answer.status()).as(path).isEqualTo(401);
            assertThat(answer.bodyText()).as(path).doesNotContain("portal.example.com").doesNotContain("csrf");
        }
        for (String path : POST_ROUTES) {
            AdminResponse answer = stranger.post(path, "csrf=x&domain=portal.example.com&tos=on&email=a@b.example");
            assertThat(answer.status()).as(path).isEqualTo(401);
        }
        assertThat(stranger.send(AdminRequest.builder("HEAD", "/autocert4j/api/v1/state").header("Host", "127.0.0.1")).status())
                .isEqualTo(401);
    }

    @Test
    void aSessionCookieTheServerNeverGaveOpensNothing() {
        ConsoleClient forger = new ConsoleClient(console);
        forger.cookies().put(AdminTokenLogin.COOKIE, "made-up-session");
        assertThat(forger.get("/autocert4j/api/v1/state").status()).isEqualTo(401);
    }

    @Test
    void theRightTokenOpensTheCertificatesViewTheConfigureDialogAndTheState() {
        ConsoleClient admin = new ConsoleClient(console);
        AdminResponse loggedIn = admin.logIn(token);
        assertThat(loggedIn.status()).isEqualTo(303);
        assertThat(loggedIn.headers("Set-Cookie")).singleElement().asString()
                .startsWith(AdminTokenLogin.COOKIE + "=").contains("HttpOnly").contains("SameSite=Strict")
                .contains("Path=/autocert4j");

        assertThat(admin.get("/autocert4j/").bodyText()).contains("<h1>Certificates</h1>").contains("portal.example.com");
        assertThat(admin.get("/autocert4j/configure").bodyText()).contains("Configure Let&#39;s Encrypt")
                .contains("value=\"http://portal.example.com:80\"");
        assertThat(admin.get("/autocert4j/api/v1/state").bodyText()).startsWith("{\"apiVersion\":1,")
                .contains("\"host\":\"portal.example.com\"").contains("\"csrfToken\":\"");
    }

    @Test
    void aWrongTokenIsRefusedAndLocksTheAddressOutEvenForTheRightOne() {
        ConsoleClient guesser = new ConsoleClient(console);
        assertThat(guesser.logIn("not-the-token-but-long-enough").status()).isEqualTo(401);
        AdminResponse locked = guesser.logIn(token);
        assertThat(locked.status()).isEqualTo(429);
        assertThat(locked.headers("Retry-After")).containsExactly("1");
        clock.advance(Duration.ofSeconds(1));
        assertThat(guesser.logIn(token).status()).isEqualTo(303);
    }

    @Test
    void aStateChangeWithoutOrWithAWrongCsrfTokenIsRefused() {
        ConsoleClient admin = loggedIn();
        String csrf = admin.csrf();
        for (String path : POST_ROUTES) {
            assertThat(admin.post(path, "domain=portal.example.com").status()).as(path + " without a token").isEqualTo(403);
            assertThat(admin.post(path, "csrf=" + csrf + "x&domain=portal.example.com").status()).as(path + " wrong").isEqualTo(403);
        }
        ConsoleClient other = loggedIn();
        assertThat(other.post("/autocert4j/renew", "csrf=" + csrf + "&domain=portal.example.com").status())
                .as("another browser's token").isEqualTo(403);
        assertThat(admin.post("/autocert4j/renew", "csrf=" + csrf + "&domain=portal.example.com").status())
                .as("the page's own token passes (the unmanaged domain is then refused as input)").isEqualTo(303);
    }

    @Test
    void theApiTakesTheCsrfTokenFromTheStateInAHeader() {
        ConsoleClient script = loggedIn();
        String state = script.get("/autocert4j/api/v1/state").bodyText();
        String csrf = state.replaceAll("(?s).*\"csrfToken\":\"([^\"]+)\".*", "$1");
        AdminResponse refused = script.send(AdminRequest.builder("POST", "/autocert4j/api/v1/renew").header("Host", "127.0.0.1")
                .header(Csrf.HEADER, csrf + "x").body("domain=portal.example.com".getBytes(StandardCharsets.UTF_8)));
        assertThat(refused.status()).isEqualTo(403);
        AdminResponse accepted = script.send(AdminRequest.builder("POST", "/autocert4j/api/v1/renew").header("Host", "127.0.0.1")
                .header(Csrf.HEADER, csrf).body("domain=portal.example.com".getBytes(StandardCharsets.UTF_8)));
        assertThat(accepted.status()).isEqualTo(400);
        assertThat(accepted.bodyText()).contains("is not a domain this server manages");
    }

    @Test
    void aFormFromAnotherOriginIsRefusedEvenWithTheRightToken() {
        ConsoleClient admin = loggedIn();
        String csrf = admin.csrf();
        for (String origin : List.of("http://evil.example", "null", "http://127.0.0.1:9999", "http://127.0.0.1:8081/path")) {
            AdminResponse answer = admin.send(AdminRequest.builder("POST", "/autocert4j/renew").header("Host", "127.0.0.1:8081")
                    .header("Origin", origin).body(("csrf=" + csrf + "&domain=portal.example.com").getBytes(StandardCharsets.UTF_8)));
            assertThat(answer.status()).as(origin).isEqualTo(403);
            assertThat(answer.bodyText()).contains("only be sent from the admin page itself");
        }
        AdminResponse crossSite = admin.send(AdminRequest.builder("POST", "/autocert4j/renew").header("Host", "127.0.0.1:8081")
                .header("Sec-Fetch-Site", "cross-site").body(("csrf=" + csrf + "&domain=x").getBytes(StandardCharsets.UTF_8)));
        assertThat(crossSite.status()).as("no Origin, but the browser says cross-site").isEqualTo(403);
        assertThat(admin.post("/autocert4j/login", "token=" + token).status()).as("same origin passes").isEqualTo(303);
    }

    @Test
    void aWrongHostIsRefusedBeforeAnythingElse() {
        ConsoleClient admin = loggedIn();
        for (String host : List.of("rebind.attacker.example:8081", "127.0.0.1.attacker.example", "user@127.0.0.1", "")) {
            AdminResponse answer = admin.send(AdminRequest.builder("GET", "/autocert4j/").header("Host", host));
            assertThat(answer.status()).as(host).isEqualTo(421);
            assertThat(answer.bodyText()).doesNotContain("portal.example.com");
        }
        assertThat(admin.send(AdminRequest.builder("GET", "/autocert4j/")).status()).as("no Host").isEqualTo(421);
        assertThat(admin.send(AdminRequest.builder("GET", "/autocert4j/").header("Host", "127.0.0.1")
                .header("Host", "evil.example")).status()).as("two Hosts").isEqualTo(421);
        assertThat(admin.send(AdminRequest.builder("GET", "/autocert4j/").header("Host", "PORTAL.example.com:8443")).status())
                .as("a binding's host").isEqualTo(200);
    }

    @Test
    void onlyTheHostsGivenAreAnsweredOnceSomeAreGiven() throws Exception {
        AdminConsole strict = AdminConsole.builder(autoCert).authenticator(request -> java.util.Optional.of("host-user"))
                .allowedHost("admin.example.com").build();
        try {
            assertThat(strict.handle(AdminRequest.builder("GET", "/autocert4j/").header("Host", "127.0.0.1").build()).status())
                    .isEqualTo(421);
            assertThat(strict.handle(AdminRequest.builder("GET", "/autocert4j/").header("Host", "admin.example.com:443").build())
                    .status()).isEqualTo(200);
        } finally {
            strict.close();
        }
    }

    @Test
    void everyAnswerForbidsFramingCachingAndForeignScriptsWithANewNonceEachTime() {
        ConsoleClient admin = loggedIn();
        List<AdminResponse> answers = List.of(new ConsoleClient(console).get("/autocert4j/"), admin.get("/autocert4j/"),
                admin.get("/autocert4j/configure"), admin.get("/autocert4j/api/v1/state"), admin.post("/autocert4j/renew", ""),
                admin.send(AdminRequest.builder("GET", "/autocert4j/").header("Host", "evil.example")),
                admin.get("/autocert4j/nothing-here"));
        for (AdminResponse answer : answers) {
            assertThat(answer.headers("X-Frame-Options")).as("status " + answer.status()).containsExactly("DENY");
            assertThat(answer.headers("Cache-Control")).containsExactly("no-store");
            assertThat(answer.headers("Content-Security-Policy")).singleElement().asString()
                    .contains("frame-ancestors 'none'").contains("default-src 'none'").contains("script-src 'nonce-")
                    .doesNotContain("unsafe-inline");
        }
        String first = admin.get("/autocert4j/").headers("Content-Security-Policy").get(0);
        String second = admin.get("/autocert4j/").headers("Content-Security-Policy").get(0);
        assertThat(first).isNotEqualTo(second);
        String nonce = second.replaceAll(".*'nonce-([^']+)'.*", "$1");
        assertThat(admin.get("/autocert4j/").bodyText()).doesNotContain("<script").contains("<style nonce=\"");
        assertThat(nonce).hasSizeGreaterThanOrEqualTo(20);
    }

    @Test
    void theTokenFileIsMadeOwnerOnlyAndOnlyItsPathIsLogged() throws Exception {
        PrintStream original = System.err;
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
        AdminTokenLogin made;
        try {
            made = AdminTokenLogin.readOrCreate(folder.resolve("other"), clock);
        } finally {
            System.setErr(original);
        }
        String secret = Files.readString(made.file()).strip();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(made.file()))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(made.file().getParent()))).isEqualTo("rwx------");
        assertThat(secret).hasSizeGreaterThanOrEqualTo(43);
        assertThat(log.toString(StandardCharsets.UTF_8)).contains(made.file().toString()).doesNotContain(secret);
        assertThat(made.toString()).doesNotContain(secret);
    }

    @Test
    void theAuditLogNamesWhoDidWhatAndNeverTheTokenNorAForgedLine() {
        PrintStream original = System.err;
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
        try {
            ConsoleClient admin = loggedIn();
            admin.post("/autocert4j/renew", "csrf=" + admin.csrf() + "&domain=portal.example.com%0Aadmin+renew+by+root");
            new ConsoleClient(console).logIn(token + "x");
        } finally {
            System.setErr(original);
        }
        String audit = log.toString(StandardCharsets.UTF_8);
        assertThat(audit).contains("admin login by token login from 127.0.0.1 on /login: succeeded")
                .contains("admin renew by token login from 127.0.0.1 on portal.example.com?admin renew by root: refused")
                .contains("admin login by - from 127.0.0.1 on /login: failed: wrong token")
                .doesNotContain(token);
        assertThat(audit.lines().filter(line -> line.startsWith("admin renew"))).isEmpty();
    }

    private ConsoleClient loggedIn() {
        ConsoleClient admin = new ConsoleClient(console);
        assertThat(admin.logIn(token).status()).isEqualTo(303);
        return admin;
    }
}
