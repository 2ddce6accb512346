package dev.autocert4j;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.Fault;
import dev.autocert4j.testing.Enrollments;
import dev.autocert4j.testing.TestChallengeServer;
import dev.autocert4j.testkit.InMemoryCertificateStore;
import dev.autocert4j.testkit.PebbleExtension;
import dev.autocert4j.testkit.RecordingBindingProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.URI;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * ZeroSSL's EAB credentials fetched with an email address, from a stub of its API that answers as
 * ZeroSSL documents (200 also for a refusal, with {@code success: false} and an error object), and
 * used to register at a Pebble that requires exactly those credentials.
 */
class ZeroSslCredentialsIT {

    private static final String PATH = "/acme/eab-credentials-email";
    private static final String KEY_ID = "zerossl-kid-1";
    private static final String HMAC_KEY = "zWNDZM6eQGHWpSRTPal5eIUYFTu7EajVIoguysqZ9wG44nMEtx3MUAsUDkMTQ12W";

    @RegisterExtension
    static final PebbleExtension PEBBLE = PebbleExtension.withDefaults()
            .requireExternalAccountBinding(Map.of(KEY_ID, HMAC_KEY));

    private WireMockServer api;
    private URI endpoint;

    @BeforeEach
    void startApi() {
        api = new WireMockServer(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"));
        api.start();
        endpoint = URI.create("http://127.0.0.1:" + api.port() + PATH);
    }

    @AfterEach
    void stopApi() {
        api.stop();
    }

    private void answer(ResponseDefinitionBuilder response) {
        api.stubFor(post(urlEqualTo(PATH)).willReturn(response));
    }

    @Test
    void theCredentialsZeroSslGivesRegisterTheAccountAtACaThatRequiresThem() throws Exception {
        answer(okJson("{\"success\":true,\"eab_kid\":\"" + KEY_ID + "\",\"eab_hmac_key\":\"" + HMAC_KEY + "\"}"));
        InMemoryCertificateStore store = new InMemoryCertificateStore();
        try (TestChallengeServer challenges = new TestChallengeServer(PEBBLE.httpChallengePort())) {
            AutoCert autoCert = Enrollments.autoCert(PEBBLE, new RecordingBindingProvider("http://zerossl.autocert4j.test:8080"),
                    challenges, store).build();

            AccountRegistration registration = ZeroSsl.registration("admin@autocert4j.test", endpoint)
                    .termsOfServiceAccepted(autoCert.termsOfService().orElseThrow()).build();
            autoCert.register(registration);
        }

        assertThat(store.loadAccount(PEBBLE.directoryUri()).orElseThrow().location()).isNotNull();
        api.verify(1, postRequestedFor(urlEqualTo(PATH)).withRequestBody(equalTo("email=admin%40autocert4j.test"))
                .withHeader("Content-Type", equalTo("application/x-www-form-urlencoded")));
    }

    @Test
    void aRefusalAnsweredWith200IsAFailureNamingZeroSslsErrorNotACredential() {
        answer(okJson("{\"success\":false,\"error\":{\"code\":2900,\"type\":\"invalid_email_address\"}}"));

        assertThatThrownBy(() -> ZeroSsl.registration("admin@autocert4j.test", endpoint))
                .isInstanceOf(CertificateAuthorityException.class)
                .hasMessageContaining("refused credentials for admin@autocert4j.test: invalid_email_address (code 2900)");
    }

    @Test
    void successWithoutCredentialsOrGarbageOrAnHttpErrorIsAFailure() {
        answer(okJson("{\"success\":true}"));
        assertThatThrownBy(() -> ZeroSsl.registration("admin@autocert4j.test", endpoint))
                .isInstanceOf(CertificateAuthorityException.class).hasMessageContaining("not its credentials JSON");

        answer(aResponse().withStatus(200).withBody("<html>maintenance</html>"));
        assertThatThrownBy(() -> ZeroSsl.registration("admin@autocert4j.test", endpoint))
                .isInstanceOf(CertificateAuthorityException.class).hasMessageContaining("not its credentials JSON");

        answer(aResponse().withStatus(503).withBody("{\"success\":false,\"error\":{\"code\":0,\"type\":\"maintenance\"}}"));
        assertThatThrownBy(() -> ZeroSsl.registration("admin@autocert4j.test", endpoint))
                .isInstanceOf(CertificateAuthorityException.class).hasMessageContaining("answered HTTP 503: maintenance (code 0)");

        answer(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER));
        assertThatThrownBy(() -> ZeroSsl.registration("admin@autocert4j.test", endpoint))
                .isInstanceOf(CertificateAuthorityException.class).hasMessageContaining("could not be reached");
    }

    @Test
    void aRedirectIsNotFollowedSoTheEmailGoesNowhereElse() {
        answer(aResponse().withStatus(307).withHeader("Location", "http://127.0.0.1:" + api.port() + "/elsewhere"));

        assertThatThrownBy(() -> ZeroSsl.registration("admin@autocert4j.test", endpoint))
                .isInstanceOf(CertificateAuthorityException.class).hasMessageContaining("redirect (HTTP 307)");
        api.verify(0, postRequestedFor(urlEqualTo("/elsewhere")));
    }

    @Test
    void anEndlessAnswerIsCutOffAndRefused() {
        answer(okJson("{\"success\":true,\"eab_kid\":\"" + "k".repeat(70_000) + "\",\"eab_hmac_key\":\"" + HMAC_KEY + "\"}"));

        assertThatThrownBy(() -> ZeroSsl.registration("admin@autocert4j.test", endpoint))
                .isInstanceOf(CertificateAuthorityException.class).hasMessageContaining("more than 65536 bytes");
    }

    @Test
    void aMalformedHmacKeyFromTheApiIsRefusedWithoutShowingIt() {
        String notBase64Url = "secret+value/with=padding";
        answer(okJson("{\"success\":true,\"eab_kid\":\"" + KEY_ID + "\",\"eab_hmac_key\":\"" + notBase64Url + "\"}"));

        assertThatThrownBy(() -> ZeroSsl.registration("admin@autocert4j.test", endpoint))
                .isInstanceOf(InvalidInputException.class)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(notBase64Url));
    }

    @Test
    void theFetchedHmacKeyAppearsInNoDescriptionOfTheRegistration() {
        answer(okJson("{\"success\":true,\"eab_kid\":\"" + KEY_ID + "\",\"eab_hmac_key\":\"" + HMAC_KEY + "\"}"));

        AccountRegistration registration = ZeroSsl.registration("admin@autocert4j.test", endpoint).noTermsOfService().build();

        assertThat(registration.externalAccountKeyId()).contains(KEY_ID);
        assertThat(registration.toString()).contains(KEY_ID).doesNotContain(HMAC_KEY);
    }

    @Test
    void aBadEmailOrAPlainHttpEndpointOffThisMachineIsRefusedBeforeAnyRequest() {
        answer(okJson("{\"success\":true,\"eab_kid\":\"" + KEY_ID + "\",\"eab_hmac_key\":\"" + HMAC_KEY + "\"}"));

        assertThatThrownBy(() -> ZeroSsl.registration("not an address", endpoint))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("email");
        assertThatThrownBy(() -> ZeroSsl.registration("admin@autocert4j.test", URI.create("http://api.zerossl.com" + PATH)))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("https://");
        assertThatThrownBy(() -> ZeroSsl.registration("admin@autocert4j.test", URI.create("http://127.0.0.1.example" + PATH)))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("https://");
        api.verify(0, postRequestedFor(urlEqualTo(PATH)));
    }

    @Test
    void theCaIsZeroSslsDirectory() {
        CertificateAuthority zeroSsl = ZeroSsl.certificateAuthority();

        assertThat(zeroSsl.directory()).isEqualTo(URI.create("https://acme.zerossl.com/v2/DV90"));
        assertThat(zeroSsl.name()).isEqualTo("ZeroSSL");
    }
}
