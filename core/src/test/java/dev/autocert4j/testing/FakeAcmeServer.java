package dev.autocert4j.testing;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import dev.autocert4j.CertificateAuthority;
import dev.autocert4j.IssuedCertificate;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.head;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

/**
 * An ACME server scripted with WireMock over HTTPS, for CA faults a real server cannot be made to
 * produce. It serves a directory and nonces; tests stub the rest.
 */
public final class FakeAcmeServer implements AutoCloseable {

    private static final String PASSWORD = "wiremock";

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
        server.stubFor(get(urlEqualTo("/dir")).willReturn(json(200, "{"
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
