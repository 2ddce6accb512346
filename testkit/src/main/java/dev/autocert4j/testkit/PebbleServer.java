package dev.autocert4j.testkit;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real Pebble ACME server (Debian package {@code pebble}) on free loopback ports, with
 * {@code pebble-challtestsrv} as its DNS server answering 127.0.0.1 for every name. Pebble
 * validates HTTP-01 challenges against {@link #httpChallengePort()}, where the test's responder
 * listens. Start it with {@link #start()}; {@link #close()} stops both processes.
 */
public final class PebbleServer implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);

    private final Settings settings;
    private final Path workDir;
    private final List<Process> processes = new ArrayList<>();
    private List<String> pebbleCommand;
    private int listenPort;
    private int managementPort;
    private int httpChallengePort;
    private int tlsChallengePort;
    private Path trustFile;
    private SSLContext sslContext;

    /**
     * The knobs of one Pebble run.
     *
     * @param nonceRejectPercent  {@code PEBBLE_WFE_NONCEREJECT}: share of good nonces rejected as bad
     * @param authzReusePercent   {@code PEBBLE_AUTHZREUSE}: share of valid authorizations reused
     * @param validationNoSleep   {@code PEBBLE_VA_NOSLEEP}: validate at once instead of after a random pause
     * @param httpChallengePort   the port Pebble validates HTTP-01 on; 0 picks a free one
     * @param eabKeys             external account binding keys (key id to base64url HMAC key); empty for none
     * @param alternateRoots      {@code PEBBLE_ALTERNATE_ROOTS}: how many alternate chains to offer
     * @param certificateValidity how long issued certificates are valid, or {@code null} for Pebble's default
     * @param tlsChallengePort    the port Pebble validates TLS-ALPN-01 on; 0 picks a free one
     * @param dnsServer           the DNS server Pebble asks, or {@code null} for its own test one
     */
    public record Settings(int nonceRejectPercent, int authzReusePercent, boolean validationNoSleep,
                           int httpChallengePort, Map<String, String> eabKeys, int alternateRoots,
                           Duration certificateValidity, int tlsChallengePort, InetSocketAddress dnsServer) {
        /** @return nonce rejection off, authorization reuse off, instant validation, a free challenge port */
        public static Settings defaults() {
            return new Settings(0, 0, true, 0, Map.of(), 0, null, 0, null);
        }

        /**
         * The settings as they were before certificate validity could be chosen: Pebble's own (5 years).
         *
         * @param nonceRejectPercent  see the record
         * @param authzReusePercent   see the record
         * @param validationNoSleep   see the record
         * @param httpChallengePort   see the record
         * @param eabKeys             see the record
         * @param alternateRoots      see the record
         */
        public Settings(int nonceRejectPercent, int authzReusePercent, boolean validationNoSleep, int httpChallengePort,
                        Map<String, String> eabKeys, int alternateRoots) {
            this(nonceRejectPercent, authzReusePercent, validationNoSleep, httpChallengePort, eabKeys, alternateRoots, null, 0,
                    null);
        }

        /**
         * @param server the DNS server Pebble asks (for DNS-01's TXT records, and every name it
         *               validates), instead of its test DNS server that answers 127.0.0.1 for any name
         * @return a copy asking that server
         * @since 0.2.0
         */
        public Settings withDnsServer(InetSocketAddress server) {
            return new Settings(nonceRejectPercent, authzReusePercent, validationNoSleep, httpChallengePort, eabKeys,
                    alternateRoots, certificateValidity, tlsChallengePort, server);
        }

        /**
         * @param port the port Pebble validates TLS-ALPN-01 on (0 picks a free one)
         * @return a copy validating on that port
         * @since 0.2.0
         */
        public Settings withTlsChallengePort(int port) {
            return new Settings(nonceRejectPercent, authzReusePercent, validationNoSleep, httpChallengePort, eabKeys,
                    alternateRoots, certificateValidity, port, dnsServer);
        }

        /**
         * @param validity how long the certificates Pebble issues are valid, at least a second
         * @return a copy issuing certificates that short (or long)
         * @since 0.2.0
         */
        public Settings withCertificateValidity(Duration validity) {
            if (validity.toSeconds() < 1) {
                throw new IllegalArgumentException("certificate validity must be at least a second");
            }
            return new Settings(nonceRejectPercent, authzReusePercent, validationNoSleep, httpChallengePort, eabKeys,
                    alternateRoots, validity, tlsChallengePort, dnsServer);
        }

        /**
         * @param noSleep whether Pebble validates at once
         * @return a copy with that validation timing
         */
        public Settings withValidationNoSleep(boolean noSleep) {
            return new Settings(nonceRejectPercent, authzReusePercent, noSleep, httpChallengePort, eabKeys, alternateRoots,
                    certificateValidity, tlsChallengePort, dnsServer);
        }

        /**
         * @param count how many alternate chains Pebble offers
         * @return a copy with that many alternate roots
         */
        public Settings withAlternateRoots(int count) {
            return new Settings(nonceRejectPercent, authzReusePercent, validationNoSleep, httpChallengePort, eabKeys, count,
                    certificateValidity, tlsChallengePort, dnsServer);
        }

        /**
         * @param percent share of nonces to reject
         * @return a copy with that nonce rejection
         */
        public Settings withNonceRejectPercent(int percent) {
            return new Settings(percent, authzReusePercent, validationNoSleep, httpChallengePort, eabKeys, alternateRoots,
                    certificateValidity, tlsChallengePort, dnsServer);
        }

        /**
         * @param percent share of authorizations to reuse
         * @return a copy with that reuse
         */
        public Settings withAuthzReusePercent(int percent) {
            return new Settings(nonceRejectPercent, percent, validationNoSleep, httpChallengePort, eabKeys, alternateRoots,
                    certificateValidity, tlsChallengePort, dnsServer);
        }

        /**
         * @param port the port Pebble validates HTTP-01 on (0 picks a free one)
         * @return a copy validating on that port
         */
        public Settings withHttpChallengePort(int port) {
            return new Settings(nonceRejectPercent, authzReusePercent, validationNoSleep, port, eabKeys, alternateRoots,
                    certificateValidity, tlsChallengePort, dnsServer);
        }

        /**
         * @param keys key id to base64url HMAC key
         * @return a copy that requires external account binding with these keys
         */
        public Settings withEabKeys(Map<String, String> keys) {
            return new Settings(nonceRejectPercent, authzReusePercent, validationNoSleep, httpChallengePort, Map.copyOf(keys),
                    alternateRoots, certificateValidity, tlsChallengePort, dnsServer);
        }
    }

    /**
     * Prepares a server; nothing runs until {@link #start()}.
     *
     * @param settings how to run Pebble
     */
    public PebbleServer(Settings settings) {
        this.settings = settings;
        try {
            this.workDir = Files.createTempDirectory("pebble-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Starts {@code pebble-challtestsrv} and {@code pebble} and waits until the directory answers.
     *
     * @return this server
     * @throws IllegalStateException if Pebble is not installed or does not start
     */
    public PebbleServer start() {
        Path pebble = executable("pebble");
        Path challtestsrv = executable("pebble-challtestsrv");
        try {
            Path certificate = workDir.resolve("tls-cert.pem");
            SelfSignedTls.write(certificate, workDir.resolve("tls-key.pem"));
            trustFile = certificate;
            sslContext = sslContextTrusting(certificate);
            int dnsPort = Ports.free();
            listenPort = Ports.free();
            managementPort = Ports.free();
            httpChallengePort = settings.httpChallengePort() != 0 ? settings.httpChallengePort() : Ports.free();
            tlsChallengePort = settings.tlsChallengePort() != 0 ? settings.tlsChallengePort() : Ports.free();
            launch("challtestsrv", List.of(challtestsrv.toString(),
                    "-dns01", "127.0.0.1:" + dnsPort, "-http01", "", "-https01", "", "-tlsalpn01", "",
                    "-management", "127.0.0.1:" + Ports.free(),
                    "-defaultIPv4", "127.0.0.1", "-defaultIPv6", ""), Map.of());
            Path config = writeConfig();
            String dnsServer = settings.dnsServer() == null ? "127.0.0.1:" + dnsPort
                    : settings.dnsServer().getHostString() + ":" + settings.dnsServer().getPort();
            pebbleCommand = List.of(pebble.toString(), "-config", config.toString(), "-dnsserver", dnsServer);
            launch("pebble", pebbleCommand, pebbleEnvironment());
            awaitDirectory();
            return this;
        } catch (IOException e) {
            close();
            throw new IllegalStateException("Cannot start Pebble: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    private static Path executable(String name) {
        String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
        for (String dir : (path + ":/usr/bin:/usr/local/bin").split(":")) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, name);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("'" + name + "' is not installed: the integration tests need a real Pebble ACME"
                + " server. On Debian run: apt-get update && apt-get install -y pebble");
    }

    private Map<String, String> pebbleEnvironment() {
        Map<String, String> environment = new java.util.HashMap<>(Map.of(
                "PEBBLE_WFE_NONCEREJECT", String.valueOf(settings.nonceRejectPercent()),
                "PEBBLE_AUTHZREUSE", String.valueOf(settings.authzReusePercent()),
                "PEBBLE_ALTERNATE_ROOTS", String.valueOf(settings.alternateRoots())));
        if (settings.validationNoSleep()) {
            environment.put("PEBBLE_VA_NOSLEEP", "1");
        }
        return environment;
    }

    private Path writeConfig() throws IOException {
        StringBuilder eab = new StringBuilder();
        settings.eabKeys().forEach((kid, key) -> eab.append(eab.length() == 0 ? "" : ",")
                .append('"').append(kid).append("\":\"").append(key).append('"'));
        String json = "{\"pebble\":{"
                + "\"listenAddress\":\"127.0.0.1:" + listenPort + "\","
                + "\"managementListenAddress\":\"127.0.0.1:" + managementPort + "\","
                + "\"certificate\":\"" + workDir.resolve("tls-cert.pem") + "\","
                + "\"privateKey\":\"" + workDir.resolve("tls-key.pem") + "\","
                + "\"httpPort\":" + httpChallengePort + ","
                + "\"tlsPort\":" + tlsChallengePort + ","
                + "\"ocspResponderURL\":\"\","
                + "\"externalAccountBindingRequired\":" + !settings.eabKeys().isEmpty() + ","
                + "\"externalAccountMACKeys\":{" + eab + "}"
                + (settings.certificateValidity() == null ? ""
                        : ",\"certificateValidityPeriod\":" + settings.certificateValidity().toSeconds())
                + "}}";
        Path config = workDir.resolve("pebble-config.json");
        Files.writeString(config, json, StandardCharsets.UTF_8);
        return config;
    }

    /**
     * Stops Pebble and starts it again on the same ports, as an outage of the CA would. Pebble
     * keeps everything in memory: accounts, orders and its roots are new after a restart.
     */
    public void restart() {
        Process pebble = processes.remove(processes.size() - 1);
        pebble.destroy();
        try {
            if (!pebble.waitFor(10, TimeUnit.SECONDS)) {
                pebble.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            launch("pebble", pebbleCommand, pebbleEnvironment());
        } catch (IOException e) {
            throw new IllegalStateException("Cannot restart Pebble: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while restarting Pebble", e);
        }
        awaitDirectory();
    }

    /** Stops Pebble (not its DNS server) until {@link #restart()}, so the CA cannot be reached. */
    public void stop() {
        Process pebble = processes.get(processes.size() - 1);
        pebble.destroy();
        try {
            pebble.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void launch(String name, List<String> command, Map<String, String> environment) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(workDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(workDir.resolve(name + ".log").toFile());
        builder.environment().putAll(environment);
        processes.add(builder.start());
    }

    private void awaitDirectory() {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        HttpClient client = httpClient();
        while (System.nanoTime() < deadline) {
            for (Process process : processes) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("Pebble exited with code " + process.exitValue() + ":\n" + logs());
                }
            }
            if (portOpen(listenPort)) {
                try {
                    HttpResponse<String> response = client.send(HttpRequest.newBuilder(directoryUri()).build(),
                            HttpResponse.BodyHandlers.ofString());
                    if (response.statusCode() == 200) {
                        return;
                    }
                } catch (IOException e) {
                    // not ready yet
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("Interrupted while waiting for Pebble", e);
                }
            }
            try {
                TimeUnit.MILLISECONDS.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while waiting for Pebble", e);
            }
        }
        throw new IllegalStateException("Pebble did not answer within " + START_TIMEOUT.toSeconds() + " s:\n" + logs());
    }

    private static boolean portOpen(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * The serial numbers of the certificates this Pebble issued, in order, from its log.
     *
     * @return each serial as lower-case hex without leading zeros, as {@code BigInteger.toString(16)} writes it
     */
    public List<String> issuedSerials() {
        Path log = workDir.resolve("pebble.log");
        String marker = "Issued certificate serial ";
        try (Stream<String> lines = Files.lines(log)) {
            return lines.filter(line -> line.contains(marker))
                    .map(line -> line.substring(line.indexOf(marker) + marker.length()).split("\\s+")[0])
                    .map(hex -> new java.math.BigInteger(hex, 16).toString(16))
                    .toList();
        } catch (IOException e) {
            throw new IllegalStateException("Cannot read Pebble's log " + log + ": " + e.getMessage(), e);
        }
    }

    /**
     * Counts the certificates Pebble issued since it (last) started, from its log: what a test
     * checks to know that several servers did not all order the same renewal.
     *
     * @return how many certificates Pebble issued
     * @since 0.2.0
     */
    public int issuedCount() {
        Path log = workDir.resolve("pebble.log");
        try (Stream<String> lines = Files.lines(log)) {
            return (int) lines.filter(line -> line.contains("Issued certificate serial")).count();
        } catch (IOException e) {
            throw new IllegalStateException("Cannot read Pebble's log " + log + ": " + e.getMessage(), e);
        }
    }

    /**
     * Counts the orders Pebble received since it (last) started, from its log: what a test checks
     * to know that a refused name was never ordered.
     *
     * @return how many orders Pebble created
     * @since 0.2.0
     */
    public int orderCount() {
        Path log = workDir.resolve("pebble.log");
        try (Stream<String> lines = Files.lines(log)) {
            return (int) lines.filter(line -> line.contains("Added order")).count();
        } catch (IOException e) {
            throw new IllegalStateException("Cannot read Pebble's log " + log + ": " + e.getMessage(), e);
        }
    }

    /** @return the last lines Pebble and the DNS server wrote, for failure messages */
    public String logs() {
        StringBuilder sb = new StringBuilder();
        for (String name : List.of("challtestsrv", "pebble")) {
            Path log = workDir.resolve(name + ".log");
            try {
                List<String> lines = Files.exists(log) ? Files.readAllLines(log) : List.of();
                sb.append("--- ").append(name).append(" ---\n");
                lines.subList(Math.max(0, lines.size() - 40), lines.size()).forEach(l -> sb.append(l).append('\n'));
            } catch (IOException e) {
                sb.append("(cannot read ").append(log).append(")\n");
            }
        }
        return sb.toString();
    }

    /** @return the ACME directory URL, {@code https://127.0.0.1:<port>/dir} */
    public URI directoryUri() {
        return URI.create("https://127.0.0.1:" + listenPort + "/dir");
    }

    /**
     * @return the port Pebble opens TLS-ALPN-01 validation handshakes to
     * @since 0.2.0
     */
    public int tlsChallengePort() {
        return tlsChallengePort;
    }

    /** @return the port Pebble sends HTTP-01 validation requests to (on 127.0.0.1) */
    public int httpChallengePort() {
        return httpChallengePort;
    }

    /** @return a PEM file with the certificate to trust for Pebble's TLS listener */
    public Path trustFile() {
        return trustFile;
    }

    /** @return an HTTP client that trusts Pebble's TLS listeners */
    public HttpClient httpClient() {
        return HttpClient.newBuilder().sslContext(sslContext).connectTimeout(Duration.ofSeconds(5)).build();
    }

    /**
     * Fetches the root certificate Pebble signs with (it is new on every start), from the
     * management API, so a test can verify issued chains.
     *
     * @return Pebble's current root certificate
     */
    public X509Certificate rootCertificate() {
        return rootCertificate(0);
    }

    /**
     * Fetches one of Pebble's root certificates: 0 is the default chain's, 1 and up the
     * alternate chains' (see {@link Settings#alternateRoots()}).
     *
     * @param index which root
     * @return that root certificate
     */
    public X509Certificate rootCertificate(int index) {
        URI uri = URI.create("https://127.0.0.1:" + managementPort + "/roots/" + index);
        try {
            HttpResponse<InputStream> response = httpClient().send(HttpRequest.newBuilder(uri).build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream in = response.body()) {
                return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
            }
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("Cannot fetch Pebble's root from " + uri, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted", e);
        }
    }

    /**
     * Asks Pebble's management API whether it considers a certificate it issued valid or revoked.
     *
     * @param serial the certificate's serial number
     * @return Pebble's word for it, such as {@code "Valid"} or {@code "Revoked"}
     * @throws IllegalStateException if Pebble does not know the serial or cannot be asked
     */
    public String certificateStatus(java.math.BigInteger serial) {
        URI uri = URI.create("https://127.0.0.1:" + managementPort + "/cert-status-by-serial/" + serial.toString(16));
        try {
            HttpResponse<String> response = httpClient().send(HttpRequest.newBuilder(uri).build(),
                    HttpResponse.BodyHandlers.ofString());
            java.util.regex.Matcher status = java.util.regex.Pattern.compile("\"Status\"\\s*:\\s*\"(\\w+)\"")
                    .matcher(response.body());
            if (response.statusCode() != 200 || !status.find()) {
                throw new IllegalStateException("Pebble answered HTTP " + response.statusCode() + " for " + uri + ": "
                        + response.body());
            }
            return status.group(1);
        } catch (IOException e) {
            throw new IllegalStateException("Cannot ask Pebble at " + uri, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted", e);
        }
    }

    private static SSLContext sslContextTrusting(Path certificateFile) throws IOException {
        try (InputStream in = Files.newInputStream(certificateFile)) {
            KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
            trust.load(null, null);
            trust.setCertificateEntry("pebble", CertificateFactory.getInstance("X.509").generateCertificate(in));
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(trust);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, factory.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IOException("Cannot build a TLS context for Pebble", e);
        }
    }

    /** Stops Pebble and its DNS server and deletes their files. */
    @Override
    public void close() {
        for (Process process : processes) {
            process.descendants().forEach(ProcessHandle::destroy);
            process.destroy();
        }
        for (Process process : processes) {
            try {
                if (!process.waitFor(5, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
        processes.clear();
        deleteRecursively(workDir);
    }

    private static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // best effort: a temp folder left behind is harmless
        }
    }
}
