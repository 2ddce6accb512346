package dev.autocert4j.internal;

import dev.autocert4j.Binding;
import dev.autocert4j.EnrollmentRequest;
import dev.autocert4j.InvalidInputException;
import dev.autocert4j.KeyType;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EnrollmentCodecTest {

    private static EnrollmentRequest.Builder request() {
        return EnrollmentRequest.builder().binding(Binding.parse("http://portal.example.com:8080")).httpsPort(8443)
                .email("admin@example.com").termsOfServiceAccepted(true);
    }

    @Test
    void everyChoiceSurvivesTheRoundTrip() {
        EnrollmentRequest request = request().extraNames("www.example.com", "api.example.com")
                .keyType(KeyType.RSA_2048).profile("shortlived").build();

        Map<String, String> choices = EnrollmentCodec.encode(request);

        assertThat(choices).containsEntry("extraNames", "www.example.com,api.example.com");
        assertThat(EnrollmentCodec.decode("portal.example.com", choices)).isEqualTo(request);
    }

    @Test
    void aSingleNameEnrollmentWritesNoExtraNames() {
        EnrollmentRequest request = request().build();

        assertThat(EnrollmentCodec.encode(request)).doesNotContainKey("extraNames");
        assertThat(EnrollmentCodec.decode("portal.example.com", EnrollmentCodec.encode(request))).isEqualTo(request);
    }

    @Test
    void aDamagedExtraNameNamesTheEnrollment() {
        Map<String, String> choices = new HashMap<>(EnrollmentCodec.encode(request().build()));
        choices.put("extraNames", "www.example.com,not a name");

        assertThatThrownBy(() -> EnrollmentCodec.decode("portal.example.com", choices))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("stored enrollment 'portal.example.com' cannot be read: extraNames 'not a name'");
    }
}
