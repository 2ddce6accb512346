package dev.autocert4j.bench;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.autocert4j.AutoCert;
import dev.autocert4j.Binding;
import dev.autocert4j.CertificateAuthority;
import dev.autocert4j.EnrollmentRequest;
import dev.autocert4j.InstallResult;
import dev.autocert4j.IssuedCertificate;
import dev.autocert4j.ReloadingKeyManager;
import dev.autocert4j.http.Http01Responder;
import dev.autocert4j.pkcs12.Pkcs12CertificateStore;
import dev.autocert4j.spi.BindingProvider;
import dev.autocert4j.testkit.TestCertificates;

import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * What autocert4j adds to a host's start with a stored, valid certificate:
 * {@code StartupCost baseline|autocert4j <fixture-folder>}. The baseline host loads the same
 * PKCS#12 file the conventional way and starts an HTTPS server; the autocert4j host builds
 * {@link AutoCert}, calls {@code manage} (no network) and starts the HTTPS server from the
 * installed certificate. Prints the time from JVM start to the HTTPS server started, and the heap.
 */
public final class StartupCost {

    private static final String DOMAIN = "startup.bench.test";
    private static final char[] PASSWORD = "bench".toCharArray();

    private StartupCost() {
    }

    /**
     * @param args {@code baseline} or {@code autocert4j}, and the fixture folder
     */
    public static void main(String[] args) throws Exception {
        Path fixture = Path.of(args[1]).resolve("startup-store");
        Pkcs12CertificateStore store = new Pkcs12CertificateStore(fixture, PASSWORD);
        if (args[0].equals("setup")) {
            store.saveCertificate(TestCertificates.issued(DOMAIN));
            return;
        }
        HttpsServer server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        if (args[0].equals("baseline")) {
            KeyStore keyStore = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(store.certificateFile(DOMAIN))) {
                keyStore.load(in, PASSWORD);
            }
            KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            factory.init(keyStore, PASSWORD);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(factory.getKeyManagers(), null, null);
            server.setHttpsConfigurator(new HttpsConfigurator(context));
        } else {
            ReloadingKeyManager keyManager = new ReloadingKeyManager();
            Binding binding = Binding.parse("http://" + DOMAIN + ":80");
            AutoCert autoCert = AutoCert.builder()
                    .certificateAuthority(CertificateAuthority.at(URI.create("https://127.0.0.1:9/never-called")))
                    .bindingProvider(new BindingProvider() {
                        @Override
                        public List<Binding> bindings() {
                            return List.of(binding);
                        }

                        @Override
                        public InstallResult install(Binding httpsBinding, IssuedCertificate certificate) {
                            keyManager.update(certificate);
                            return InstallResult.LIVE;
                        }
                    })
                    .challengeSolver(new Http01Responder())
                    .certificateStore(store)
                    .build();
            autoCert.manage(EnrollmentRequest.builder().binding(binding).httpsPort(443).email("bench@bench.test")
                    .termsOfServiceAccepted(true).build());
            autoCert.start();
            server.setHttpsConfigurator(new HttpsConfigurator(keyManager.sslContext()));
        }
        server.createContext("/", exchange -> {
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        server.start();
        long readyMillis = System.currentTimeMillis() - ManagementFactory.getRuntimeMXBean().getStartTime();
        Measure.result("ready_ms", String.valueOf(readyMillis));
        Measure.result("heap_kib", String.valueOf(Measure.heapAfterGcKiB()));
        server.stop(0);
        System.exit(0);
    }
}
