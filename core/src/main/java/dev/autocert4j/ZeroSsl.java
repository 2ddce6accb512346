package dev.autocert4j;

import dev.autocert4j.internal.net.NameSyntax;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * ZeroSSL's ACME CA, which needs an external account binding (EAB) for every account. The binding
 * can be fetched from ZeroSSL's API with the account's email address alone, so a host that wants
 * ZeroSSL as a second CA needs no ZeroSSL API key:
 * <pre>{@code
 * CertificateAuthority zeroSsl = ZeroSsl.certificateAuthority().withAccount(
 *         ZeroSsl.registration("admin@example.com").termsOfServiceAcceptedAsLinked().build());
 * AutoCert.builder().certificateAuthorities(CertificateAuthority.letsEncrypt(), zeroSsl) ...
 * }</pre>
 * {@link #registration} asks ZeroSSL at once (one HTTPS request): call it where the host may wait
 * and show a failure, such as when the admin registers.
 *
 * @since 0.2.0
 */
public final class ZeroSsl {

    /** ZeroSSL's ACME directory (90-day DV certificates). */
    public static final URI DIRECTORY = URI.create("https://acme.zerossl.com/v2/DV90");
    /** ZeroSSL's API endpoint that gives an email address its EAB credentials. */
    public static final URI CREDENTIALS_ENDPOINT = URI.create("https://api.zerossl.com/acme/eab-credentials-email");
    /** How long connecting to the credentials endpoint, and its answer, may take each. */
    public static final Duration CREDENTIALS_TIMEOUT = Duration.ofSeconds(10);

    private ZeroSsl() {
    }

    /** @return ZeroSSL's CA, named "ZeroSSL", without an account yet (see {@link CertificateAuthority#withAccount}) */
    public static CertificateAuthority certificateAuthority() {
        return CertificateAuthority.at(DIRECTORY).named("ZeroSSL");
    }

    /**
     * Fetches the EAB credentials of an email address from ZeroSSL's API and returns a registration
     * with the address and those credentials set; the caller adds the Terms of Service consent.
     *
     * @param email the account's email address
     * @return a registration builder with {@link AccountRegistration.Builder#email} and
     *         {@link AccountRegistration.Builder#externalAccountBinding} set
     * @throws InvalidInputException         if the address is malformed (checked before any request)
     * @throws CertificateAuthorityException if ZeroSSL refused, could not be reached or answered garbage;
     *                                       the message never holds the HMAC key
     */
    public static AccountRegistration.Builder registration(String email) {
        return registration(email, CREDENTIALS_ENDPOINT);
    }

    /**
     * As {@link #registration(String)}, from another credentials endpoint (a mirror, or a test server).
     *
     * @param email               the account's email address
     * @param credentialsEndpoint an {@code https} URL, or {@code http} on a loopback address only
     * @return a registration builder with the address and the EAB credentials set
     * @throws InvalidInputException         if the address or the endpoint is unacceptable (checked before any request)
     * @throws CertificateAuthorityException if the endpoint refused, could not be reached or answered garbage
     */
    public static AccountRegistration.Builder registration(String email, URI credentialsEndpoint) {
        Objects.requireNonNull(email, "email");
        String address = InputChecks.requireEmail(email);
        requireSecureEndpoint(Objects.requireNonNull(credentialsEndpoint, "credentialsEndpoint"));
        ZeroSslCredentials.Binding binding = new ZeroSslCredentials(credentialsEndpoint, CREDENTIALS_TIMEOUT).fetch(address);
        return AccountRegistration.builder().email(address).externalAccountBinding(binding.keyId(), binding.hmacKey());
    }

    /** The HMAC key travels in the answer: plain HTTP only where it never leaves the machine. */
    private static void requireSecureEndpoint(URI endpoint) {
        String scheme = endpoint.getScheme() == null ? "" : endpoint.getScheme().toLowerCase(Locale.ROOT);
        if (endpoint.getHost() == null || !(scheme.equals("https") || scheme.equals("http") && isLoopback(endpoint.getHost()))) {
            throw new InvalidInputException("credentialsEndpoint", endpoint.toString(),
                    "must be an https:// URL (plain http only on a loopback address)");
        }
    }

    private static boolean isLoopback(String host) {
        String address = NameSyntax.unbracketed(host);
        if (host.equalsIgnoreCase("localhost")) {
            return true;
        }
        try {
            // a literal address only: a name is never resolved here
            return NameSyntax.isIpAddress(address) && InetAddress.getByName(address).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
