package dev.autocert4j.internal;

import dev.autocert4j.AccountRegistration;
import dev.autocert4j.CertificateAuthority;
import dev.autocert4j.EnrollmentRequest;
import dev.autocert4j.InvalidInputException;
import dev.autocert4j.RegisteredAccount;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The account an enrollment is obtained with, checked before any network call: the one set on the
 * builder, or the registered one in the store, or (deprecated) the one the request's email asks to
 * register. The account's contacts win over a request's email; the first time they differ, a
 * warning says so.
 */
public final class AccountChecks {

    private static final Logger LOG = LoggerFactory.getLogger(AccountChecks.class);

    private final CertificateAuthority ca;
    private final Issuer issuer;
    private final AccountRegistration configured;
    private final AtomicBoolean warnedOfIgnoredEmail = new AtomicBoolean();

    /**
     * @param ca         the CA the account is at
     * @param issuer     knows the registered account, read from the store once
     * @param configured the account set on the builder, or {@code null}
     */
    public AccountChecks(CertificateAuthority ca, Issuer issuer, AccountRegistration configured) {
        this.ca = ca;
        this.issuer = issuer;
        this.configured = configured;
    }

    /** @return what is registered at the CA, from the store alone (read once) */
    public Optional<RegisteredAccount> registered() {
        return issuer.registeredAccount();
    }

    /**
     * @throws InvalidInputException if no account is set up, registered, or asked for by the request
     */
    @SuppressWarnings("deprecation") // the request's email is the deprecated way to name the account's contact
    public void requireAccountFor(EnrollmentRequest request) {
        if (configured == null && request.email() == null && request.externalAccountKeyId().isEmpty()) {
            if (registered().isEmpty()) {
                throw new InvalidInputException("account", null, "is not registered at " + ca.name()
                        + ": call AutoCert.register(..) or give AutoCert.Builder.account(..) before enrolling");
            }
            return;
        }
        if (request.email() != null) {
            warnOnceIfIgnored(request, request.email());
        }
    }

    private void warnOnceIfIgnored(EnrollmentRequest request, String email) {
        List<String> contacts = configured != null ? configured.emails()
                : registered().map(RegisteredAccount::contacts).orElse(List.of());
        if (contacts.isEmpty() || contacts.contains(email) || !warnedOfIgnoredEmail.compareAndSet(false, true)) {
            return;
        }
        LOG.warn("The ACME account at {} has the contact {}; the email {} of the enrollment for {} is ignored (the"
                + " account's contact wins; change it with AutoCert.register(..))", ca.name(), contacts, email,
                request.domain());
    }
}
