package dev.autocert4j;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@SuppressWarnings("deprecation") // the per-request email and consent still work, deprecated
class EnrollmentRequestTest {

    private static EnrollmentRequest.Builder valid() {
        return EnrollmentRequest.builder()
                .binding(Binding.parse("http://portal.example.com:8080"))
                .httpsPort(8443)
                .email("admin@example.com")
                .termsOfServiceAccepted(true);
    }

    @Test
    void anHttpBindingGetsTheHttpsPortGiven() {
        EnrollmentRequest request = valid().build();

        assertThat(request.domain()).isEqualTo("portal.example.com");
        assertThat(request.httpsBinding()).isEqualTo(new Binding("https", "portal.example.com", 8443));
    }

    @Test
    void anHttpsBindingKeepsItsOwnPort() {
        EnrollmentRequest request = EnrollmentRequest.builder()
                .binding(Binding.parse("https://portal.example.com:9443"))
                .email("admin@example.com").termsOfServiceAccepted(true).build();

        assertThat(request.httpsBinding()).isEqualTo(Binding.parse("https://portal.example.com:9443"));
    }

    @Test
    void refusesWithoutAcceptedTermsOfService() {
        assertThatThrownBy(() -> valid().termsOfServiceAccepted(false).build())
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("termsOfServiceAccepted")
                .hasMessageContaining("accept the CA's Terms of Service");
    }

    @Test
    void refusesAMalformedEmail() {
        assertThatThrownBy(() -> valid().email("admin at example").build())
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("email 'admin at example' is not an email address like admin@example.com");
    }

    @Test
    void refusesAMissingOrOutOfRangeHttpsPortForAnHttpBinding() {
        assertThatThrownBy(() -> EnrollmentRequest.builder().binding(Binding.parse("http://portal.example.com"))
                .email("admin@example.com").termsOfServiceAccepted(true).build())
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("httpsPort is missing");
        assertThatThrownBy(() -> valid().httpsPort(0).build())
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("httpsPort '0' must be between 1 and 65535");
        assertThatThrownBy(() -> valid().httpsPort(65536).build())
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("httpsPort '65536' must be between 1 and 65535");
    }

    @Test
    void refusesHostsNoCaCanCertify() {
        for (String host : new String[]{"localhost", "portal", "app.localhost", "printer.local", "nas.home.arpa",
                "db.internal"}) {
            assertThatThrownBy(() -> valid().binding(new Binding("http", host, 80)).build())
                    .as(host)
                    .isInstanceOf(InvalidInputException.class)
                    .hasMessageStartingWith("domain '" + host + "'");
        }
    }

    @Test
    void ipAddressesAreCertifiableOverHttpAndTlsAlpnInCanonicalForm() {
        assertThat(valid().binding(new Binding("http", "127.0.0.1", 80)).build().domain()).isEqualTo("127.0.0.1");
        assertThat(valid().binding(Binding.parse("http://[::1]:80")).challenge(ChallengeType.TLS_ALPN_01).build().names())
                .containsExactly("0:0:0:0:0:0:0:1");
        assertThat(valid().extraNames("2001:DB8::10", "192.0.2.7").build().extraNames())
                .containsExactly("2001:db8:0:0:0:0:0:10", "192.0.2.7");
    }

    @Test
    void refusesAnIpAddressForDns01AndAddressesNoServerHas() {
        assertThatThrownBy(() -> valid().binding(new Binding("http", "192.0.2.7", 80)).challenge(ChallengeType.DNS_01).build())
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("domain '192.0.2.7' is an IP address; the CA validates IP addresses over HTTP-01 or"
                        + " TLS-ALPN-01, never DNS-01");
        for (String address : new String[]{"300.1.1.1", "0.0.0.0", "224.0.0.1", "::"}) {
            assertThatThrownBy(() -> valid().extraNames(address).build()).as(address)
                    .isInstanceOf(InvalidInputException.class).hasMessageStartingWith("extraNames '" + address + "'");
        }
    }

    @Test
    void aWildcardNeedsDns01AndCannotBeTheBinding() {
        assertThatThrownBy(() -> valid().binding(new Binding("http", "*.example.com", 80)).build())
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("wildcard");
        assertThatThrownBy(() -> valid().extraNames("*.example.com").build())
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("extraNames '*.example.com' is a wildcard; wildcard certificates need the DNS-01"
                        + " challenge, not http-01");
        assertThatThrownBy(() -> valid().extraNames("*.example.com").challenge(ChallengeType.TLS_ALPN_01).build())
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("not tls-alpn-01");
        assertThat(valid().binding(new Binding("http", "example.com", 80)).extraNames("*.Example.com")
                .challenge(ChallengeType.DNS_01).build().names()).containsExactly("example.com", "*.example.com");
        assertThatThrownBy(() -> valid().extraNames("*x.example.com").challenge(ChallengeType.DNS_01).build())
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("not a wildcard of the form");
    }

    @Test
    void refusesAnEabKeyThatIsNotBase64UrlWithoutEchoingIt() {
        assertThatThrownBy(() -> valid().externalAccountBinding("kid-1", "not base64!"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("externalAccountHmacKey must be base64url-encoded");
    }

    @Test
    void neverShowsTheEabKeyInToString() {
        EnrollmentRequest request = valid().externalAccountBinding("kid-1", "c2VjcmV0LWhtYWMta2V5").build();

        assertThat(request.toString()).contains("kid-1").doesNotContain("c2VjcmV0LWhtYWMta2V5");
    }

    @Test
    void extraNamesFollowTheDomainInLowerCaseWithoutRepeats() {
        EnrollmentRequest request = valid()
                .extraNames("WWW.Example.com", "portal.example.com", "www.example.com.", "api.example.com")
                .build();

        assertThat(request.extraNames()).containsExactly("www.example.com", "api.example.com");
        assertThat(request.names()).containsExactly("portal.example.com", "www.example.com", "api.example.com");
        assertThat(request.toBuilder().build()).isEqualTo(request);
        assertThat(valid().build().names()).containsExactly("portal.example.com");
    }

    @Test
    void refusesAnExtraNameNoCaCanCertifyNamingIt() {
        assertThatThrownBy(() -> valid().extraNames("www.example.com", "localhost").build())
                .isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("extraNames 'localhost' is a local name")
                .extracting(e -> ((InvalidInputException) e).field()).isEqualTo("extraNames");
    }

    @Test
    void refusesMoreThanAHundredNames() {
        String[] names = new String[100];
        for (int i = 0; i < names.length; i++) {
            names[i] = "name-" + i + ".example.com";
        }

        assertThat(valid().extraNames(java.util.Arrays.copyOf(names, 99)).build().names()).hasSize(100);
        assertThatThrownBy(() -> valid().extraNames(names).build())
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("extraNames '100' are too many: a certificate holds at most 100 names");
    }

    @Test
    void needsNeitherEmailNorConsentSinceTheAccountHoldsThem() {
        EnrollmentRequest request = EnrollmentRequest.builder().binding(Binding.parse("http://portal.example.com:8080"))
                .httpsPort(8443).build();

        assertThat(request.email()).isNull();
        assertThat(request.toString()).doesNotContain("email");
        assertThat(request.toBuilder().build()).isEqualTo(request);
    }

    @Test
    void refusesAnEmailOrEabGivenWithoutConsent() {
        EnrollmentRequest.Builder withoutConsent = EnrollmentRequest.builder()
                .binding(Binding.parse("http://portal.example.com:8080")).httpsPort(8443);

        assertThatThrownBy(() -> withoutConsent.email("admin@example.com").build())
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("termsOfServiceAccepted");
        assertThatThrownBy(() -> EnrollmentRequest.builder().binding(Binding.parse("https://portal.example.com"))
                .externalAccountBinding("kid-1", "c2VjcmV0").build())
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("termsOfServiceAccepted");
    }
}
