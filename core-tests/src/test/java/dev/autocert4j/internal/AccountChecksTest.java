package dev.autocert4j.internal;

import dev.autocert4j.AccountRegistration;
import dev.autocert4j.Binding;
import dev.autocert4j.CertificateAuthority;
import dev.autocert4j.EnrollmentRequest;
import dev.autocert4j.InvalidInputException;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@SuppressWarnings("deprecation") // the request's email, the deprecated way the account's contact wins over
class AccountChecksTest {

    private static final CertificateAuthority CA = CertificateAuthority.at(URI.create("https://ca.test/dir"));
    private static final URI TERMS = URI.create("https://ca.test/terms");

    private final FakeIssuer issuer = new FakeIssuer(Clock.systemUTC());

    private static EnrollmentRequest request(String host, String email) {
        EnrollmentRequest.Builder request = EnrollmentRequest.builder().binding(Binding.parse("https://" + host));
        return email == null ? request.build() : request.email(email).termsOfServiceAccepted(true).build();
    }

    private static AccountRegistration account(String email) {
        return AccountRegistration.builder().email(email).termsOfServiceAccepted(TERMS).build();
    }

    @Test
    void withoutAnyAccountARequestWithoutEmailIsRefused() {
        AccountChecks checks = new AccountChecks(CA, issuer, null);

        assertThatThrownBy(() -> checks.requireAccountFor(request("portal.example.com", null)))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("account is not registered")
                .hasMessageContaining("AutoCert.register(..)");
    }

    @Test
    void aRegisteredAccountOrOneOnTheBuilderIsEnough() {
        new AccountChecks(CA, issuer, account("admin@example.com")).requireAccountFor(request("portal.example.com", null));
        issuer.register(Issuer.Registration.of(account("admin@example.com")));
        new AccountChecks(CA, issuer, null).requireAccountFor(request("portal.example.com", null));
    }

    @Test
    void anotherEmailOnRequestsIsWarnedOfOnceAndTheSameEmailNotAtAll() {
        issuer.register(Issuer.Registration.of(account("admin@example.com")));
        AccountChecks checks = new AccountChecks(CA, issuer, null);

        String sameEmail = standardErrorOf(() -> checks.requireAccountFor(request("a.example.com", "admin@example.com")));
        String otherEmail = standardErrorOf(() -> {
            checks.requireAccountFor(request("b.example.com", "ops@example.com"));
            checks.requireAccountFor(request("c.example.com", "sales@example.com"));
        });

        assertThat(sameEmail).doesNotContain("WARN");
        assertThat(otherEmail.split("WARN", -1)).as("one warning").hasSize(2);
        assertThat(otherEmail).contains("has the contact [admin@example.com]; the email ops@example.com of the"
                + " enrollment for b.example.com is ignored");
    }

    @Test
    void theAccountOnTheBuilderWinsOverARequestsEmailToo() {
        AccountChecks checks = new AccountChecks(CA, issuer, account("admin@example.com"));

        String warned = standardErrorOf(() -> checks.requireAccountFor(request("b.example.com", "ops@example.com")));

        assertThat(warned).contains("the email ops@example.com of the enrollment for b.example.com is ignored");
    }

    private static String standardErrorOf(Runnable action) {
        ByteArrayOutputStream errors = new ByteArrayOutputStream();
        PrintStream standardError = System.err;
        System.setErr(new PrintStream(errors, true, StandardCharsets.UTF_8));
        try {
            action.run();
        } finally {
            System.setErr(standardError);
        }
        return errors.toString(StandardCharsets.UTF_8);
    }
}
