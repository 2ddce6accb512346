package dev.autocert4j.testing;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import dev.autocert4j.CertificateAuthority;
import dev.autocert4j.IssuedCertificate;
import dev.autocert4j.testkit.TestCertificates;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
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
 * produce. It serves a directory and nonces; tests stub the rest.
 */
public final class FakeAcmeServer implements AutoCloseable {

    private static final String PASSWORD = "wiremock";
    private static final Pattern PAYLOAD = Pattern.compile("\"payload\"\\s*:\\s*\"([^\"]*)\"");

    private final WireMockServer server;
    private final KeyStore trustStore;

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
                .keystorePassword(PASSWORD).keyManagerPassword(PASSWORD));
        server.start();
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
     * finalization and the certificate download.
     *
     * @param chain the certificate chain to hand out
     * @return this server
     */
    public FakeAcmeServer issuing(List<X509Certificate> chain) {
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
        StringBuilder pem = new StringBuilder();
        chain.forEach(certificate -> pem.append(TestCertificates.pem(certificate)));
        server.stubFor(post(urlEqualTo("/cert/1")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/pem-certificate-chain")
                .withHeader("Replay-Nonce", "bm9uY2UtNg").withBody(pem.toString())));
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
