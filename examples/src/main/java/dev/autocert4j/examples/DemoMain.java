package dev.autocert4j.examples;

import com.sun.net.httpserver.HttpServer;
import dev.autocert4j.AccountRegistration;
import dev.autocert4j.AutoCert;
import dev.autocert4j.AutoCertException;
import dev.autocert4j.AutoCertListener;
import dev.autocert4j.Binding;
import dev.autocert4j.CertificateAuthority;
import dev.autocert4j.CertificateMetadata;
import dev.autocert4j.CertificateStatus;
import dev.autocert4j.CertificateStore;
import dev.autocert4j.ChallengeType;
import dev.autocert4j.admin.AdminConsole;
import dev.autocert4j.admin.AdminHttpHandler;
import dev.autocert4j.admin.AdminProgress;
import dev.autocert4j.admin.AdminTokenLogin;
import dev.autocert4j.CheckResult;
import dev.autocert4j.dns.Dns01SolverFactory;
import dev.autocert4j.dns.Rfc2136ResponderFactory;
import dev.autocert4j.tls.SniKeyManager;
import dev.autocert4j.tls.TlsAlpn01Listener;
import dev.autocert4j.tls.TlsAlpn01SolverFactory;
import dev.autocert4j.ChallengeSelfCheck;
import dev.autocert4j.EnrollmentRequest;
import dev.autocert4j.InstallResult;
import dev.autocert4j.IssuedCertificate;
import dev.autocert4j.OnDemandGuard;
import dev.autocert4j.OnDemandIssuance;
import dev.autocert4j.RenewalLock;
import dev.autocert4j.dns.Dns01Responder;
import dev.autocert4j.dns.Rfc2136Provider;
import dev.autocert4j.dns.TsigKey;
import dev.autocert4j.http.Http01Listener;
import dev.autocert4j.http.Http01Responder;
import dev.autocert4j.spi.BindingProvider;
import dev.autocert4j.spi.RenewalPolicy;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

/**
 * The demo's command line: the commands {@code once}, {@code status}, {@code revoke},
 * {@code rollover-account-key} and {@code unmanage} for scripts (also as the flags {@code --once}
 * and the rest, as before), otherwise the portal ({@code run}).
 * Exit codes: 0 done, 1 the CA or the store failed, 2 bad options.
 */
public final class DemoMain {

    private final PrintStream out;
    private final PrintStream err;

    DemoMain(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    /**
     * Runs the demo.
     *
     * @param args the command line; {@code --help} lists the commands and options, {@code COMMAND --help} a command's
     */
    public static void main(String[] args) {
        int code = new DemoMain(System.out, System.err).run(args);
        wakeIdleHttpClientSelectors();
        if (code != 0) {
            System.exit(code);
        }
    }

    /**
     * At exit a JDK 17 JVM waits up to 300 ms for threads still in native code, and the selector
     * thread of the ACME client's {@code java.net.http.HttpClient} idles in native {@code epoll}
     * until that client is collected (JDK 17 has no {@code HttpClient.close()}). Interrupting it
     * makes it leave: a third of a second off every one-shot command.
     */
    private static void wakeIdleHttpClientSelectors() {
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            if (thread.getName().startsWith("HttpClient-") && thread.getName().endsWith("-SelectorManager")) {
                thread.interrupt();
            }
        }
    }

    int run(String[] args) {
        DemoOptions options;
        try {
            options = DemoOptions.parse(args);
        } catch (UsageException e) {
            err.println("autocert4j-demo: " + e.getMessage());
            err.println(e.whereTheOptionsAre());
            return 2;
        }
        if (options.text != null) {
            out.print(options.text);
            out.flush();
            return 0;
        }
        try {
            return switch (options.command) {
                case STATUS -> printStatus(options);
                case ONCE -> once(options);
                case REVOKE -> revoke(options);
                case ROLLOVER_ACCOUNT_KEY -> rolloverAccountKey(options);
                case UNMANAGE -> unmanage(options);
                case RUN -> runPortal(options);
            };
        } catch (AutoCertException | IOException e) {
            err.println("autocert4j-demo: " + e.getMessage().replace('\n', ' '));
            return 1;
        }
    }

    private int printStatus(DemoOptions options) throws IOException {
        try (DemoStore opened = DemoStore.open(options, out)) {
            CertificateStore store = opened.store();
            String domain = options.binding != null ? options.binding.host() : singleDomain(store);
            CertificateStatus status = store.loadMetadata(domain)
                    .map(CertificateStatus::of)
                    .orElseGet(() -> CertificateStatus.none(domain));
            RenewalLock.Holder holder = store.renewalLock().flatMap(lock -> lock.holder(domain)).orElse(null);
            status = status.toBuilder().renewalLockHolder(holder).build();
            out.println(StatusJson.of(withSavedAttempt(options, status)));
            return 0;
        }
    }

    private static String singleDomain(CertificateStore store) throws IOException {
        List<String> domains = store.domains();
        if (domains.size() != 1) {
            throw new IOException("the store holds " + domains.size() + " certificates " + domains + "; say which with --binding");
        }
        return domains.get(0);
    }

    /**
     * Checks every stored certificate (with --binding: that one, enrolled first if new) once: what
     * is missing is obtained, what is due or expired renewed. Prints each status as a JSON line;
     * exits 0 only when all are valid and not due afterwards.
     */
    private int once(DemoOptions options) throws IOException {
        List<Binding> bindings = new ArrayList<>(options.listen);
        Set<Integer> tlsPorts = new LinkedHashSet<>();
        List<AutoCloseable> listeners = new ArrayList<>();
        SniKeyManager validations = new SniKeyManager();
        try (DemoStore opened = DemoStore.open(options, out)) {
            if (options.binding == null) {
                addStoredEnrollments(opened.store(), bindings, tlsPorts);
            } else if (validatesOverTls(options)) {
                tlsPorts.add(options.httpsPort);
            }
            try (AutoCert autoCert = autoCert(options, opened.store(), new StoreOnlyHost(bindings), opened.responder(),
                    validations, List.of())) {
                for (int port : ports(bindings)) {
                    listeners.add(Http01Listener.start(opened.responder(), new InetSocketAddress(options.bindAddress, port)));
                }
                for (int port : tlsPorts) {
                    listeners.add(TlsAlpn01Listener.start(validations, new InetSocketAddress(options.bindAddress, port)));
                }
                if (options.binding != null) {
                    manageTheBinding(options, autoCert);
                } else if (autoCert.resume().isEmpty()) {
                    err.println("autocert4j-demo: no certificate is managed in " + (options.store != null ? "the --store"
                            : options.state.toAbsolutePath()) + "; enroll one with " + options.commandWord + " --binding URL --email ADDR"
                            + " --accept-tos");
                    return 1;
                }
                return report(options, autoCert.checkAll());
            } finally {
                closeAll(listeners);
            }
        }
    }

    /**
     * With --binding: the enrollment the options describe is managed (saved; checked before any
     * call to the CA), then the account of --email registered where it is not yet.
     */
    private static void manageTheBinding(DemoOptions options, AutoCert autoCert) {
        autoCert.manage(request(options, autoCert));
        registerTheAccount(options, autoCert);
    }

    /**
     * --email with --accept-tos set up the account: registered, or its contact changed, where the
     * stored account has another contact (a call to the CA); otherwise nothing is asked of the CA.
     * The consent is recorded as the Terms of Service link the CA's directory shows now. With several
     * --acme, nothing is asked here: each CA registers the account with its first order, so a CA that is
     * down does not stop the enrollment.
     */
    private static void registerTheAccount(DemoOptions options, AutoCert autoCert) {
        if (options.email == null || !options.acceptTos || options.acme.size() > 1) {
            return; // with several CAs, each has the account of --email, registered with its first order
        }
        String email = options.email.strip();
        if (autoCert.account().map(account -> account.contacts().equals(List.of(email))).orElse(false)) {
            return;
        }
        AccountRegistration.Builder account = AccountRegistration.builder().email(email);
        Optional<URI> terms = autoCert.termsOfService();
        autoCert.register((terms.isPresent() ? account.termsOfServiceAccepted(terms.get()) : account.noTermsOfService())
                .build());
    }

    /**
     * Without --binding: the stored enrollments' bindings are the host's, their HTTP ports get
     * HTTP-01 listeners and the HTTPS ports of TLS-ALPN-01 enrollments a validation listener.
     */
    private static void addStoredEnrollments(CertificateStore store, List<Binding> bindings, Set<Integer> tlsPorts) {
        store.loadEnrollments().values().forEach(choices -> {
            Binding binding;
            try {
                binding = Binding.parse(choices.getOrDefault("binding", ""));
            } catch (AutoCertException e) {
                return; // resume() reports the enrollment it cannot read
            }
            if (!binding.isHttps() && !bindings.contains(binding)) {
                bindings.add(binding);
            }
            String httpsPort = choices.get("httpsPort");
            if ("tls-alpn-01".equals(choices.get("challenge"))) {
                tlsPorts.add(httpsPort != null && httpsPort.matches("\\d{1,5}") ? Integer.parseInt(httpsPort) : binding.port());
            }
        });
    }

    /** Prints and saves each certificate's outcome; every problem is said on stderr too. */
    private int report(DemoOptions options, CheckResult result) throws IOException {
        for (CheckResult.Outcome outcome : result.outcomes()) {
            saveStatus(options, outcome.status());
            out.println(StatusJson.of(outcome));
        }
        for (CheckResult.Outcome problem : result.problems()) {
            String reason = problem.reason().replace('\n', ' ');
            err.println("autocert4j-demo: " + (problem.action() == CheckResult.Action.FAILED ? reason
                    : "the certificate for " + problem.domain() + " is " + problem.condition().name().toLowerCase(Locale.ROOT)
                    + ": " + reason));
        }
        return result.succeeded() ? 0 : 1;
    }

    private static void closeAll(List<AutoCloseable> resources) {
        for (AutoCloseable resource : resources) {
            try {
                resource.close();
            } catch (Exception e) {
                // closing a listener at exit: nothing left to do about it
            }
        }
    }

    private int revoke(DemoOptions options) throws IOException {
        return withChallengeListeners(options, (store, autoCert) -> {
            autoCert.resume();
            if (options.email != null && options.acceptTos) {
                autoCert.manage(request(options, autoCert));
                registerTheAccount(options, autoCert);
            }
            return autoCert.revoke(options.binding.host(), options.reason);
        });
    }

    private int rolloverAccountKey(DemoOptions options) throws IOException {
        try (DemoStore opened = DemoStore.open(options, out);
             AutoCert autoCert = autoCert(options, opened.store(), new StoreOnlyHost(options.listen),
                     opened.responder(), null, List.of())) {
            URI account = autoCert.rolloverAccountKey();
            out.println(StatusJson.keyRolledOver(account));
            return 0;
        }
    }

    private int unmanage(DemoOptions options) throws IOException {
        try (DemoStore opened = DemoStore.open(options, out);
             AutoCert autoCert = autoCert(options, opened.store(), new StoreOnlyHost(options.listen),
                     opened.responder(), null, List.of())) {
            autoCert.unmanage(options.binding.host());
            out.println(StatusJson.unmanaged(options.binding.host()));
            return 0;
        }
    }

    /** What a one-shot command does with the library while the challenge listeners run. */
    @FunctionalInterface
    private interface OneShot {
        CertificateStatus run(CertificateStore store, AutoCert autoCert) throws IOException;
    }

    /** Runs a one-shot command with challenge listeners on the --listen ports; saves and prints the status. */
    private int withChallengeListeners(DemoOptions options, OneShot command) throws IOException {
        List<Http01Listener> listeners = new ArrayList<>();
        String domain = options.binding.host();
        try (DemoStore opened = DemoStore.open(options, out);
             AutoCert autoCert = autoCert(options, opened.store(), new StoreOnlyHost(options.listen),
                     opened.responder(), null, List.of())) {
            for (int port : ports(options.listen)) {
                listeners.add(Http01Listener.start(opened.responder(), new InetSocketAddress(options.bindAddress, port)));
            }
            CertificateStatus status;
            try {
                status = command.run(opened.store(), autoCert);
            } catch (AutoCertException e) {
                saveStatus(options, autoCert.status(domain));
                throw e;
            }
            saveStatus(options, status);
            out.println(StatusJson.of(status));
            return 0;
        } finally {
            listeners.forEach(Http01Listener::close);
        }
    }

    private int runPortal(DemoOptions options) throws IOException {
        DemoStore opened = DemoStore.open(options, out);
        Http01Responder responder = opened.responder();
        DemoPortal portal = new DemoPortal(options.listen, options.bindAddress, responder, options.forceHttps, options.hsts);
        AdminProgress adminProgress = new AdminProgress();
        AutoCertListener console = new AutoCertListener() {
            @Override
            public void installed(CertificateMetadata metadata, Binding httpsBinding, InstallResult result) {
                out.println("HTTPS is live on " + httpsBinding + " (certificate serial " + metadata.serialNumber()
                        + ", expires " + metadata.notAfter() + ")");
            }
        };
        AutoCert autoCert = autoCert(options, opened.store(), portal, responder, portal.keys(),
                List.of(console, adminProgress));
        if (options.onDemandAsk != null && options.binding == null) {
            try {
                registerTheAccount(options, autoCert); // before HTTPS opens: new names are ordered with it
            } catch (AutoCertException e) {
                err.println("autocert4j-demo: " + e.getMessage());
            }
        }
        portal.start();
        if (validatesOverTls(options) || options.onDemandAsk != null) {
            portal.openHttps(options.httpsPort); // TLS-ALPN-01 validates, and new names arrive, before a certificate
        }
        AdminServer admin = startAdmin(options, adminProgress, autoCert, out);
        out.println("Portal listening on " + options.listen + " (address " + options.bindAddress + ")");
        if (options.binding != null && options.email != null && options.acceptTos) {
            try {
                autoCert.manage(request(options, autoCert));
                registerTheAccount(options, autoCert);
            } catch (AutoCertException e) {
                err.println("autocert4j-demo: " + e.getMessage());
            }
        }
        autoCert.start();
        out.println("Press Ctrl-C to stop.");
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            autoCert.close();
            if (admin != null) {
                admin.close();
            }
            portal.close();
            opened.close();
            stopped.countDown();
        }, "autocert4j-demo-shutdown"));
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    /**
     * Opens the admin page (the admin module's console, at {@code /admin}) on loopback, behind the
     * admin token's login; says where the token is (never what).
     *
     * @return the page and its server, or null with {@code --admin-port 0}
     */
    private static AdminServer startAdmin(DemoOptions options, AdminProgress progress, AutoCert autoCert, PrintStream out)
            throws IOException {
        if (options.adminPort == 0) {
            return null;
        }
        AdminTokenLogin login = options.adminTokenFile != null ? AdminTokenLogin.readFrom(options.adminTokenFile)
                : AdminTokenLogin.readOrCreate(options.state);
        AdminConsole console = AdminConsole.builder(autoCert).mountPath("/admin").authenticator(login).progress(progress)
                .allowedHost("127.0.0.1").allowedHost("localhost").allowedHost("[::1]").build();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", options.adminPort), 16);
        server.createContext(console.mountPath(), new AdminHttpHandler(console));
        server.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(2, DemoPortal.daemon("autocert4j-demo-admin")));
        server.start();
        out.println("Admin page: http://127.0.0.1:" + server.getAddress().getPort() + "/admin (loopback only; log in"
                + " with the admin token in " + login.file() + ")");
        return new AdminServer(console, server);
    }

    /** The admin page and the loopback server it is mounted on. */
    private record AdminServer(AdminConsole console, HttpServer server) {
        void close() {
            server.stop(0);
            console.close();
        }
    }

    private AutoCert autoCert(DemoOptions options, CertificateStore store, BindingProvider host,
                              Http01Responder responder, SniKeyManager validations, List<AutoCertListener> listeners)
            throws IOException {
        List<CertificateAuthority> authorities = DemoAuthorities.of(options);
        AutoCert.Builder builder = AutoCert.builder()
                .certificateAuthorities(authorities.get(0),
                        authorities.subList(1, authorities.size()).toArray(new CertificateAuthority[0]))
                .bindingProvider(host)
                .challengeSolver(responder)
                .certificateStore(store)
                .renewalPolicy(RenewalPolicy.of(options.checkEvery, options.renewWithin));
        if (validations != null) {
            builder.challengeSolver(validations.tlsAlpn01Responder());
        }
        Map<String, String> plugins = challengePlugins(options, validations == null);
        if (!plugins.isEmpty()) {
            builder.plugins(DemoMain.class.getClassLoader(), plugins);
        }
        if (options.challenge.equals("auto")) {
            builder.selfCheck(ChallengeSelfCheck.standard().withPort(options.validationHttpPort)
                    .withTlsPort(options.validationTlsPort));
        }
        listeners.forEach(builder::listener);
        if (options.onDemandAsk != null && host instanceof DemoPortal portal) {
            builder.onDemand(onDemand(options, portal));
        }
        return builder.build();
    }

    /** Certificates for new names at their first handshake on the HTTPS port, when the ask endpoint allows them. */
    private static OnDemandIssuance onDemand(DemoOptions options, DemoPortal portal) {
        OnDemandIssuance.Builder onDemand = OnDemandIssuance.builder()
                .guard(OnDemandGuard.ask(options.onDemandAsk))
                .keyManager(portal.keys())
                .httpsPort(options.httpsPort)
                .challenge(options.challenge.equals("tls-alpn-01") ? ChallengeType.TLS_ALPN_01 : ChallengeType.HTTP_01);
        if (options.onDemandLimit != null) {
            onDemand.newNames(options.onDemandLimit);
        }
        return onDemand.build();
    }

    /** Whether the CA may validate on the HTTPS port, which must then listen before the first certificate. */
    private static boolean validatesOverTls(DemoOptions options) {
        return options.httpsPort != null && (options.challenge.equals("tls-alpn-01") || options.challenge.equals("auto"));
    }

    /**
     * The challenge solvers chosen by name, through their factories: DNS-01 over RFC 2136 where
     * --dns-rfc2136 is given, and for one-shot commands (no HTTPS listener of the demo's own)
     * TLS-ALPN-01 answered on the HTTPS port while a challenge is pending.
     */
    static Map<String, String> challengePlugins(DemoOptions options, boolean tlsAlpnOnItsOwnListener) throws IOException {
        Map<String, String> settings = new java.util.LinkedHashMap<>();
        List<String> names = new ArrayList<>();
        if (tlsAlpnOnItsOwnListener && validatesOverTls(options)) {
            names.add(TlsAlpn01SolverFactory.NAME);
            settings.put(TlsAlpn01SolverFactory.NAME + ".listen", hostAndPort(options.bindAddress, options.httpsPort));
        }
        String resolvers = String.join(",", options.dnsResolvers.stream()
                .map(resolver -> hostAndPort(resolver.getHostString(), resolver.getPort())).toList());
        if (options.dnsRfc2136 != null) {
            SecretFiles.requireOwnerOnly(options.dnsTsigFile, "TSIG key file");
            names.add(Rfc2136ResponderFactory.NAME);
            settings.put(Rfc2136ResponderFactory.NAME + ".server",
                    hostAndPort(options.dnsRfc2136.getHostString(), options.dnsRfc2136.getPort()));
            settings.put(Rfc2136ResponderFactory.NAME + ".tsig-file", options.dnsTsigFile.toString());
            if (!resolvers.isEmpty()) {
                settings.put(Rfc2136ResponderFactory.NAME + ".resolver", resolvers);
            }
        }
        if (options.dnsProvider != null) {
            names.add(Dns01SolverFactory.NAME);
            settings.put(Dns01SolverFactory.NAME + ".provider", options.dnsProvider);
            try {
                DnsConfigFile.read(options.dnsConfig).forEach((key, value) -> settings.put(Dns01SolverFactory.NAME + "."
                        + key, value));
            } catch (UsageException e) {
                throw new IOException(e.getMessage(), e);
            }
            if (!resolvers.isEmpty()) {
                settings.put(Dns01SolverFactory.NAME + ".resolver", resolvers);
            }
        }
        if (!names.isEmpty()) {
            settings.put("challenge", String.join(",", names));
        }
        return settings;
    }

    private static String hostAndPort(String host, int port) {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }

    /**
     * The enrollment the options describe: one certificate for every --binding's name and every
     * --extra-name, validated as --challenge says (auto: the first type whose try works).
     */
    private static EnrollmentRequest request(DemoOptions options, AutoCert autoCert) {
        List<String> extraNames = new ArrayList<>();
        options.bindings.stream().skip(1).map(Binding::host).forEach(extraNames::add);
        extraNames.addAll(options.extraNames);
        ChallengeType challenge;
        if (options.challenge.equals("auto")) {
            List<String> names = new ArrayList<>(List.of(options.binding.host()));
            names.addAll(extraNames);
            challenge = autoCert.chooseChallenge(names);
        } else {
            challenge = ChallengeType.fromAcmeName(options.challenge);
        }
        EnrollmentRequest.Builder builder = EnrollmentRequest.builder()
                .binding(options.binding)
                .extraNames(extraNames)
                .challenge(challenge);
        if (options.httpsPort != null) {
            builder.httpsPort(options.httpsPort);
        }
        return builder.build();
    }

    private static Set<Integer> ports(List<Binding> bindings) {
        Set<Integer> ports = new LinkedHashSet<>();
        bindings.forEach(b -> ports.add(b.port()));
        return ports;
    }

    /** The demo keeps the last attempt per domain beside the store, so --status can show it later. */
    private static Path statusFile(DemoOptions options, String domain) {
        return options.state.resolve("status-" + domain + ".json");
    }

    private static void saveStatus(DemoOptions options, CertificateStatus status) throws IOException {
        writePrivately(statusFile(options, status.domain()), StatusJson.of(status));
    }

    /** The status with the last attempt saved beside the store; one that cannot be read is left out, and said so. */
    private CertificateStatus withSavedAttempt(DemoOptions options, CertificateStatus status) throws IOException {
        Path file = statusFile(options, status.domain());
        if (!Files.exists(file)) {
            return status;
        }
        Map<String, String> saved;
        try {
            saved = StatusJson.read(Files.readString(file, StandardCharsets.UTF_8));
            List.of("nextCheck", "lastAttempt", "pausedUntil").forEach(name -> StatusJson.instant(saved.get(name)));
        } catch (IOException | java.time.format.DateTimeParseException e) {
            err.println("autocert4j-demo: the last attempt saved in " + file + " cannot be read (" + e.getMessage()
                    .replace('\n', ' ') + "); showing the status without it");
            return status;
        }
        return status.toBuilder().nextCheck(StatusJson.instant(saved.get("nextCheck")))
                .lastAttempt(StatusJson.instant(saved.get("lastAttempt"))).lastError(saved.get("lastError"))
                .pausedUntil(StatusJson.instant(saved.get("pausedUntil"))).build();
    }

    private static void writePrivately(Path file, String text) throws IOException {
        Path folder = file.toAbsolutePath().getParent();
        if (!Files.isDirectory(folder)) {
            Files.createDirectories(folder, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
        Path temp = Files.createTempFile(folder, ".tmp-", ".part",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(temp, text, StandardCharsets.UTF_8);
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** In one-shot modes nothing serves HTTPS: the certificate is stored for the portal to load when it starts. */
    private record StoreOnlyHost(List<Binding> bindings) implements BindingProvider {
        @Override
        public InstallResult install(Binding httpsBinding, IssuedCertificate certificate) {
            return InstallResult.RESTART_REQUIRED;
        }
    }
}
