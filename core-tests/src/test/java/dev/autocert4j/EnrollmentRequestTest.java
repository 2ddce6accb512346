package dev.autocert4j;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
        for (String host : new String[]{"127.0.0.1", "localhost", "portal", "::1", "app.localhost"}) {
            assertThatThrownBy(() -> valid().binding(new Binding("http", host, 80)).build())
                    .as(host)
                    .isInstanceOf(InvalidInputException.class)
                    .hasMessageStartingWith("domain '" + host + "'");
        }
    }

    @Test
    void refusesAWildcard() {
        assertThatThrownBy(() -> valid().binding(new Binding("http", "*.example.com", 80)).build())
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("wildcard");
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
}
