package dev.autocert4j.testing;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import dev.autocert4j.CertificateAuthority;
import dev.autocert4j.IssuedCertificate;
import dev.autocert4j.testkit.TestCertificateAuthority;
import dev.autocert4j.testkit.TestCertificates;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.pkcs.Attribute;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequest;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.head;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

/**
 * An ACME server scripted with WireMock over HTTPS, for CA faults a real server cannot be made to
 * produce. It serves a directory and nonces; tests stub the rest. When it issues, it signs the
 * certificate request it was sent with a {@link TestCertificateAuthority}, as a real CA does, or
 * hands back whatever a test's {@link Forge} makes of it.
 */
public final class FakeAcmeServer implements AutoCloseable {

    private static final String PASSWORD = "wiremock";
    private static final Pattern PAYLOAD = Pattern.compile("\"payload\"\\s*:\\s*\"([^\"]*)\"");
    private static final Pattern CSR = Pattern.compile("\"csr\"\\s*:\\s*\"([^\"]*)\"");

    /** Makes the chain the CA sends back for a certificate request. */
    @FunctionalInterface
    public interface Forge {
        /**
         * @param requestedKey   the public key of the certificate request
         * @param requestedNames the names in the certificate request
         * @return the chain to send back, end-entity certificate first
         */
        List<X509Certificate> chainFor(PublicKey requestedKey, List<String> requestedNames);
    }

    private final WireMockServer server;
    private final KeyStore trustStore;
    private final TestCertificateAuthority authority = new TestCertificateAuthority("Fake ACME CA");
    private volatile java.util.function.Supplier<Instant> clock = Instant::now;
    private volatile Forge forge = (key, names) -> List.of(
            authority.leaf(key, clock.get().minus(Duration.ofMinutes(1)), Duration.ofDays(90), names),
            authority.intermediate());

    /**
     * Starts WireMock on a free HTTPS port with a fresh certificate for {@code localhost}.
     *
     * @param folder a folder for the key store file
     */
    public FakeAcmeServer(Path folder) throws IOException, GeneralSecurityException {
        IssuedCertificate tls = TestCertificates.issued("localhost");
        Path keyStoreFile = folder.resolve("wiremock.p12");
        KeyStore keyStore = KeyStore.getInstance("PKCS12");
        keyStore.load(null, null);
        keyStore.setKeyEntry("wiremock", tls.privateKey(), PASSWORD.toCharArray(), tls.chain().toArray(new X509Certificate[0]));
        try (OutputStream out = Files.newOutputStream(keyStoreFile)) {
            keyStore.store(out, PASSWORD.toCharArray());
        }
        trustStore = KeyStore.getInstance("PKCS12");
        trustStore.load(null, null);
        trustStore.setCertificateEntry("wiremock", tls.leaf());
        server = new WireMockServer(wireMockConfig().httpDisabled(true).dynamicHttpsPort()
                .keystorePath(keyStoreFile.toString()).keystoreType("PKCS12")
                .keystorePassword(PASSWORD).keyManagerPassword(PASSWORD)
                .extensions(new CertificateDownload()));
        server.start();
    }

    /**
     * Makes the CA date the certificates it signs by the test's clock instead of the real time.
     *
     * @param clock the test's time
     * @return this server
     */
    public FakeAcmeServer dating(java.util.function.Supplier<Instant> clock) {
        this.clock = clock;
        return this;
    }

    /** @return the test CA that signs certificate requests unless a forge is set */
    public TestCertificateAuthority authority() {
        return authority;
    }

    /** Answers the certificate download with the chain the forge makes of the last finalized request. */
    private final class CertificateDownload implements ResponseDefinitionTransformerV2 {
        @Override
        public String getName() {
            return "certificate-download";
        }

        @Override
        public boolean applyGlobally() {
            return false;
        }

        @Override
        public ResponseDefinition transform(ServeEvent serveEvent) {
            List<LoggedRequest> finalized = server.findAll(postRequestedFor(urlEqualTo("/order/1/finalize")));
            if (finalized.isEmpty()) {
                return ResponseDefinitionBuilder.responseDefinition().withStatus(404).build();
            }
            PKCS10CertificationRequest request = certificateRequest(finalized.get(finalized.size() - 1));
            StringBuilder pem = new StringBuilder();
            forge.chainFor(publicKey(request), names(request)).forEach(c -> pem.append(TestCertificates.pem(c)));
            return ResponseDefinitionBuilder.responseDefinition().withStatus(200)
                    .withHeader("Content-Type", "application/pem-certificate-chain")
                    .withHeader("Replay-Nonce", "bm9uY2UtNg").withBody(pem.toString()).build();
        }
    }

    private static PKCS10CertificationRequest certificateRequest(LoggedRequest finalize) {
        Matcher payload = PAYLOAD.matcher(finalize.getBodyAsString());
        if (!payload.find()) {
            throw new IllegalStateException("the finalize request has no payload");
        }
        Matcher csr = CSR.matcher(new String(Base64.getUrlDecoder().decode(payload.group(1)),
                java.nio.charset.StandardCharsets.UTF_8));
        if (!csr.find()) {
            throw new IllegalStateException("the finalize payload has no csr");
        }
        try {
            return new PKCS10CertificationRequest(Base64.getUrlDecoder().decode(csr.group(1)));
        } catch (IOException e) {
            throw new IllegalStateException("the csr cannot be parsed", e);
        }
    }

    private static PublicKey publicKey(PKCS10CertificationRequest request) {
        try {
            return new JcaPKCS10CertificationRequest(request).getPublicKey();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the csr's key cannot be read", e);
        }
    }

    private static List<String> names(PKCS10CertificationRequest request) {
        List<String> names = new ArrayList<>();
        for (Attribute attribute : request.getAttributes(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest)) {
            Extensions extensions = Extensions.getInstance(attribute.getAttrValues().getObjectAt(0));
            GeneralNames sans = GeneralNames.fromExtensions(extensions, Extension.subjectAlternativeName);
            for (GeneralName name : sans == null ? new GeneralName[0] : sans.getNames()) {
                names.add(name.getTagNo() == GeneralName.iPAddress
                        ? ipAddress(ASN1OctetString.getInstance(name.getName()).getOctets())
                        : name.getName().toString());
            }
        }
        return names;
    }

    private static String ipAddress(byte[] octets) {
        try {
            return java.net.InetAddress.getByAddress(octets).getHostAddress();
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Makes the CA hand back, for each certificate request, what the forge makes of it.
     *
     * @param forge makes the chain from the request's key and names
     * @return this server
     */
    public FakeAcmeServer forging(Forge forge) {
        this.forge = forge;
        return this;
    }

    /** @return the directory URL */
    public URI directoryUri() {
        return URI.create(base() + "/dir");
    }

    /** @return the CA, trusting this server's certificate and named "Fake CA" */
    public CertificateAuthority certificateAuthority() {
        return CertificateAuthority.at(directoryUri()).trusting(trustStore).named("Fake CA");
    }

    private String base() {
        return "https://localhost:" + server.httpsPort();
    }

    /**
     * Serves a directory with the given {@code meta} object and a nonce endpoint.
     *
     * @param metaJson the directory's {@code meta} member, such as {@code {"termsOfService":"..."}}
     * @return this server
     */
    public FakeAcmeServer withDirectory(String metaJson) {
        return withDirectory(metaJson, false);
    }

    /**
     * Serves a directory, optionally offering ACME Renewal Information, and a nonce endpoint.
     *
     * @param metaJson          the directory's {@code meta} member
     * @param offersRenewalInfo whether the directory has a {@code renewalInfo} endpoint
     * @return this server
     */
    public FakeAcmeServer withDirectory(String metaJson, boolean offersRenewalInfo) {
        server.stubFor(get(urlEqualTo("/dir")).willReturn(json(200, "{"
                + (offersRenewalInfo ? "\"renewalInfo\":\"" + base() + "/renewal-info\"," : "")
                + "\"newNonce\":\"" + base() + "/nonce\","
                + "\"newAccount\":\"" + base() + "/acct\","
                + "\"newOrder\":\"" + base() + "/order\","
                + "\"revokeCert\":\"" + base() + "/revoke\","
                + "\"keyChange\":\"" + base() + "/key-change\","
                + "\"meta\":" + metaJson + "}")));
        server.stubFor(head(urlEqualTo("/nonce")).willReturn(aResponse().withStatus(200)
                .withHeader("Replay-Nonce", "bm9uY2UtMQ").withHeader("Cache-Control", "no-store")));
        return this;
    }

    /**
     * Answers a whole issuance: account, order (ready, with an already valid authorization),
     * finalization and the certificate download, which signs the request that was finalized.
     *
     * @return this server
     */
    public FakeAcmeServer issuing() {
        onNewAccount(json(201, "{\"status\":\"valid\",\"contact\":[\"mailto:admin@example.com\"]}")
                .withHeader("Location", base() + "/acct/1"));
        String order = "{\"status\":\"valid\",\"identifiers\":[{\"type\":\"dns\",\"value\":\"portal.example.com\"}],"
                + "\"authorizations\":[\"" + base() + "/authz/1\"],\"finalize\":\"" + base() + "/order/1/finalize\","
                + "\"certificate\":\"" + base() + "/cert/1\"}";
        server.stubFor(post(urlEqualTo("/order")).atPriority(5).willReturn(json(201, order)
                .withHeader("Location", base() + "/order/1").withHeader("Replay-Nonce", "bm9uY2UtMw")));
        for (String path : List.of("/order/1", "/order/1/finalize")) {
            server.stubFor(post(urlEqualTo(path)).willReturn(json(200, order).withHeader("Replay-Nonce", "bm9uY2UtNA")));
        }
        server.stubFor(post(urlEqualTo("/authz/1")).willReturn(json(200, "{\"status\":\"valid\","
                + "\"identifier\":{\"type\":\"dns\",\"value\":\"portal.example.com\"},\"challenges\":[]}")
                .withHeader("Replay-Nonce", "bm9uY2UtNQ")));
        server.stubFor(post(urlEqualTo("/cert/1")).willReturn(aResponse().withTransformers("certificate-download")));
        return this;
    }

    /**
     * Makes the authorization pending with one HTTP-01 challenge, which the CA then finds invalid.
     *
     * @param detail the CA's problem detail
     * @return this server
     */
    public FakeAcmeServer failingChallenge(String detail) {
        String challenge = "{\"type\":\"http-01\",\"url\":\"" + base() + "/chall/1\",\"token\":\"dGVzdC10b2tlbi0x\","
                + "\"status\":\"invalid\",\"error\":{\"type\":\"urn:ietf:params:acme:error:connection\","
                + "\"detail\":\"" + detail + "\"}}";
        server.stubFor(post(urlEqualTo("/authz/1")).atPriority(1).willReturn(json(200, "{\"status\":\"pending\","
                + "\"identifier\":{\"type\":\"dns\",\"value\":\"portal.example.com\"},\"challenges\":["
                + challenge.replace("\"invalid\"", "\"pending\"") + "]}").withHeader("Replay-Nonce", "bm9uY2UtNw")));
        server.stubFor(post(urlEqualTo("/chall/1")).willReturn(json(200, challenge).withHeader("Replay-Nonce", "bm9uY2UtOA")));
        return this;
    }

    /**
     * Makes the authorization pending with one HTTP-01 challenge that stays pending however often
     * it is polled: a CA that never finishes validating.
     *
     * @return this server
     */
    public FakeAcmeServer neverFinishingChallenge() {
        String challenge = "{\"type\":\"http-01\",\"url\":\"" + base() + "/chall/1\",\"token\":\"dGVzdC10b2tlbi0x\","
                + "\"status\":\"pending\"}";
        server.stubFor(post(urlEqualTo("/authz/1")).atPriority(1).willReturn(json(200, "{\"status\":\"pending\","
                + "\"identifier\":{\"type\":\"dns\",\"value\":\"portal.example.com\"},\"challenges\":["
                + challenge + "]}").withHeader("Replay-Nonce", "bm9uY2UtNw")));
        server.stubFor(post(urlEqualTo("/chall/1")).willReturn(json(200, challenge).withHeader("Replay-Nonce", "bm9uY2UtOA")));
        return this;
    }

    /**
     * Serves a renewal window for every certificate.
     *
     * @param window the suggested window
     * @return this server
     */
    public FakeAcmeServer suggestingRenewal(dev.autocert4j.RenewalWindow window) {
        server.stubFor(get(urlPathMatching("/renewal-info/.+")).willReturn(json(200,
                "{\"suggestedWindow\":{\"start\":\"" + window.start() + "\",\"end\":\"" + window.end() + "\"}"
                        + (window.explanation() == null ? "" : ",\"explanationURL\":\"" + window.explanation() + "\"") + "}")
                .withHeader("Retry-After", "21600")));
        return this;
    }

    /** @return the decoded JSON payloads of the new-order requests, in order */
    public List<String> newOrderPayloads() {
        return server.findAll(postRequestedFor(urlEqualTo("/order"))).stream()
                .map(request -> {
                    Matcher payload = PAYLOAD.matcher(request.getBodyAsString());
                    return payload.find() ? new String(Base64.getUrlDecoder().decode(payload.group(1)),
                            java.nio.charset.StandardCharsets.UTF_8) : "";
                })
                .toList();
    }

    /** @return the server, for stubs this class does not offer */
    public WireMockServer wireMock() {
        return server;
    }

    /**
     * Answers new-account requests.
     *
     * @param response what to answer
     * @return this server
     */
    public FakeAcmeServer onNewAccount(ResponseDefinitionBuilder response) {
        server.stubFor(post(urlEqualTo("/acct")).willReturn(response.withHeader("Replay-Nonce", "bm9uY2UtMg")));
        return this;
    }

    /**
     * Adds any stub.
     *
     * @param mapping the stub
     * @return this server
     */
    public FakeAcmeServer stub(MappingBuilder mapping) {
        server.stubFor(mapping);
        return this;
    }

    /**
     * @param status the HTTP status
     * @param type   the ACME problem type, such as {@code rateLimited}
     * @param detail the problem detail
     * @return a problem response
     */
    public static ResponseDefinitionBuilder problem(int status, String type, String detail) {
        return aResponse().withStatus(status).withHeader("Content-Type", "application/problem+json")
                .withBody("{\"type\":\"urn:ietf:params:acme:error:" + type + "\",\"detail\":\"" + detail + "\"}");
    }

    /**
     * @param status the HTTP status
     * @param body   the JSON body
     * @return a JSON response
     */
    public static ResponseDefinitionBuilder json(int status, String body) {
        return aResponse().withStatus(status).withHeader("Content-Type", "application/json").withBody(body);
    }

    /** @return how many requests reached the new-account endpoint */
    public int newAccountRequests() {
        return server.countRequestsMatching(post(urlEqualTo("/acct")).build().getRequest()).getCount();
    }

    @Override
    public void close() {
        server.stop();
    }
}
