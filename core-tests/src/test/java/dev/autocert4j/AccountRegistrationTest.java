package dev.autocert4j;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AccountRegistrationTest {

    private static final URI TERMS = URI.create("https://ca.example/terms-2026.pdf");
    private static final String HMAC_KEY = "zWNDZM6eQGHWpSRTPal5eIUYFTu7EajVIoguysqZ9wG44nMEtx3MUAsUDkMTQ12W";

    @Test
    void termsAcceptedAsLinkedNeedNoLinkAndAGivenLinkReplacesThem() {
        AccountRegistration asLinked = AccountRegistration.builder().email("admin@example.com")
                .termsOfServiceAcceptedAsLinked().build();
        AccountRegistration withLink = AccountRegistration.builder().email("admin@example.com")
                .termsOfServiceAcceptedAsLinked().termsOfServiceAccepted(URI.create("https://ca.example.com/tos")).build();

        assertThat(asLinked.acceptsTermsOfServiceAsLinked()).isTrue();
        assertThat(asLinked.acceptedTermsOfService()).isEmpty();
        assertThat(asLinked.toString()).contains("as linked at registration");
        assertThat(dev.autocert4j.internal.Issuer.Registration.of(asLinked).consentWithoutLink()).isTrue();
        assertThat(withLink.acceptsTermsOfServiceAsLinked()).isFalse();
        assertThat(dev.autocert4j.internal.Issuer.Registration.of(withLink).consentWithoutLink()).isFalse();
        assertThat(withLink).isNotEqualTo(asLinked);
    }

    @Test
    void holdsTheContactsTheAcceptedTermsAndTheKeyType() {
        AccountRegistration account = AccountRegistration.builder().email(" admin@example.com ").email("ops@example.com")
                .termsOfServiceAccepted(TERMS).keyType(KeyType.EC_P384).build();

        assertThat(account.emails()).containsExactly("admin@example.com", "ops@example.com");
        assertThat(account.acceptedTermsOfService()).contains(TERMS);
        assertThat(account.keyType()).isEqualTo(KeyType.EC_P384);
        assertThat(account.externalAccountKeyId()).isEmpty();
    }

    @Test
    void needsNoEmailButDefaultsToAnEcP256Key() {
        AccountRegistration account = AccountRegistration.builder().termsOfServiceAccepted(TERMS).build();

        assertThat(account.emails()).isEmpty();
        assertThat(account.keyType()).isEqualTo(KeyType.EC_P256);
    }

    @Test
    void refusesWithoutAcceptedTermsOfService() {
        assertThatThrownBy(() -> AccountRegistration.builder().email("admin@example.com").build())
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("termsOfServiceAccepted")
                .hasMessageContaining("accept the CA's Terms of Service");
    }

    @Test
    void aCaWithoutTermsOfServiceIsSaidSoExplicitly() {
        AccountRegistration account = AccountRegistration.builder().noTermsOfService().build();

        assertThat(account.acceptedTermsOfService()).isEmpty();
        assertThat(AccountRegistration.builder().noTermsOfService().termsOfServiceAccepted(TERMS).build()
                .acceptedTermsOfService()).as("the last call wins").contains(TERMS);
    }

    @Test
    void refusesTermsOfServiceThatAreNotALink() {
        assertThatThrownBy(() -> AccountRegistration.builder().termsOfServiceAccepted(URI.create("terms.pdf")).build())
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("is not an absolute link");
    }

    @Test
    void refusesAMalformedEmailAmongOthers() {
        assertThatThrownBy(() -> AccountRegistration.builder().email("admin@example.com").email("admin at example")
                .termsOfServiceAccepted(TERMS).build())
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("email 'admin at example' is not an email address like admin@example.com");
        assertThatThrownBy(() -> AccountRegistration.builder().emails(List.of("a@b.example, c@d.example"))
                .termsOfServiceAccepted(TERMS).build())
                .as("two addresses in one string are not one email").isInstanceOf(InvalidInputException.class);
    }

    @Test
    void dropsARepeatedEmail() {
        AccountRegistration account = AccountRegistration.builder().emails(List.of("a@b.example", "a@b.example"))
                .termsOfServiceAccepted(TERMS).build();

        assertThat(account.emails()).containsExactly("a@b.example");
    }

    @Test
    void neverPrintsTheEabHmacKey() {
        AccountRegistration account = AccountRegistration.builder().termsOfServiceAccepted(TERMS)
                .externalAccountBinding("kid-1", HMAC_KEY).build();

        assertThat(account.toString()).contains("kid-1").doesNotContain(HMAC_KEY).doesNotContain(HMAC_KEY.substring(0, 8));
        assertThat(account.externalAccountHmacKey()).contains(HMAC_KEY);
    }

    @Test
    void refusesAnEabKeyThatIsNotBase64UrlWithoutShowingIt() {
        String secret = "not base64 at all: secret!";
        assertThatThrownBy(() -> AccountRegistration.builder().externalAccountBinding("kid-1", secret))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageNotContaining(secret)
                .hasMessageContaining("base64url");
        assertThatThrownBy(() -> AccountRegistration.builder().externalAccountBinding(" ", HMAC_KEY))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("externalAccountKeyId");
    }

    @Test
    void equalWhenEveryFieldIs() {
        AccountRegistration one = AccountRegistration.builder().email("a@b.example").termsOfServiceAccepted(TERMS).build();
        AccountRegistration same = AccountRegistration.builder().email("a@b.example").termsOfServiceAccepted(TERMS).build();
        AccountRegistration otherTerms = AccountRegistration.builder().email("a@b.example")
                .termsOfServiceAccepted(URI.create("https://ca.example/terms-2027.pdf")).build();

        assertThat(one).isEqualTo(same).hasSameHashCodeAs(same).isNotEqualTo(otherTerms);
    }
}
