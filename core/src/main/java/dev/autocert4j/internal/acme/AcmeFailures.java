package dev.autocert4j.internal.acme;

import dev.autocert4j.CertificateAuthority;
import dev.autocert4j.CertificateAuthorityException;
import dev.autocert4j.CertificateAuthorityUnavailableException;
import dev.autocert4j.RateLimitedException;
import dev.autocert4j.TermsOfServiceChangedException;
import org.shredzone.acme4j.Problem;
import org.shredzone.acme4j.exception.AcmeException;
import org.shredzone.acme4j.exception.AcmeNetworkException;
import org.shredzone.acme4j.exception.AcmeProtocolException;
import org.shredzone.acme4j.exception.AcmeRateLimitedException;
import org.shredzone.acme4j.exception.AcmeServerException;
import org.shredzone.acme4j.exception.AcmeUnauthorizedException;
import org.shredzone.acme4j.exception.AcmeUserActionRequiredException;

import java.net.URI;
import java.util.regex.Pattern;

/** Turns acme4j's exceptions into the project's own, with messages an admin can act on. */
final class AcmeFailures {

    private static final URI SERVER_INTERNAL = URI.create("urn:ietf:params:acme:error:serverInternal");
    /** How acme4j words an error answer without an ACME problem: {@code HTTP 503: ...}. */
    private static final Pattern SERVER_ERROR = Pattern.compile("^HTTP 5\\d\\d\\b.*", Pattern.DOTALL);

    private AcmeFailures() {
    }

    /**
     * @param e     what acme4j threw
     * @param ca    the certificate authority
     * @param doing what was being done, such as "registering the account"
     * @return the exception to throw
     */
    static CertificateAuthorityException translate(AcmeException e, CertificateAuthority ca, String doing) {
        if (e instanceof AcmeRateLimitedException limited) {
            var retryAfter = limited.getRetryAfter().orElse(null);
            return new RateLimitedException(ca.name() + " rate limit reached while " + doing + ": "
                    + detail(limited.getProblem())
                    + (retryAfter == null ? "." : ". The next attempt is allowed after " + retryAfter + "."),
                    limited.getType(), retryAfter, e);
        }
        if (e instanceof AcmeUserActionRequiredException action) {
            URI tos = action.getTermsOfServiceUri().orElse(null);
            URI instance = action.getProblem().getInstance().orElse(null);
            return new TermsOfServiceChangedException(ca.name() + " requires action by the admin before "
                    + doing + ": " + detail(action.getProblem())
                    + (tos == null ? "" : ". Review and accept the Terms of Service at " + tos)
                    + (instance == null ? "" : ". See " + instance) + ".",
                    action.getType(), tos, instance, e);
        }
        if (e instanceof AcmeUnauthorizedException unauthorized) {
            return new CertificateAuthorityException(ca.name() + " refused " + doing + " as unauthorized: "
                    + detail(unauthorized.getProblem()) + ".", unauthorized.getType(), null, e);
        }
        if (e instanceof AcmeServerException server && SERVER_INTERNAL.equals(server.getType())) {
            return new CertificateAuthorityUnavailableException(ca.name() + " refused " + doing + ": "
                    + detail(server.getProblem()) + " (" + server.getType() + ").", server.getType(), null, e);
        }
        if (e instanceof AcmeServerException server) {
            return new CertificateAuthorityException(ca.name() + " refused " + doing + ": "
                    + detail(server.getProblem()) + " (" + server.getType() + ").", server.getType(), null, e);
        }
        if (e instanceof AcmeNetworkException) {
            return new CertificateAuthorityUnavailableException("Could not reach " + ca.name() + " at " + ca.directory()
                    + " while " + doing + ": " + causeMessage(e) + ". Check the network, the proxy and the directory URL.",
                    null, null, e);
        }
        if (e.getMessage() != null && SERVER_ERROR.matcher(e.getMessage()).matches()) {
            return new CertificateAuthorityUnavailableException(ca.name() + " failed while " + doing + ": "
                    + e.getMessage() + ". The CA is unavailable; try again later.", null, null, e);
        }
        return new CertificateAuthorityException(ca.name() + " failed while " + doing + ": " + e.getMessage()
                + ". The CA may be unavailable; try again later.", null, null, e);
    }

    /**
     * @param e     a protocol error (a response that is not valid ACME)
     * @param ca    the certificate authority
     * @param doing what was being done
     * @return the exception to throw
     */
    static CertificateAuthorityException translate(AcmeProtocolException e, CertificateAuthority ca, String doing) {
        return new CertificateAuthorityException(ca.name() + " sent a response that is not valid ACME while "
                + doing + ": " + e.getMessage() + ".", null, null, e);
    }

    static String detail(Problem problem) {
        if (problem == null) {
            return "no detail given";
        }
        return problem.getDetail().or(problem::getTitle).orElse(problem.getType().toString());
    }

    /** Says in words what went wrong on the network, rather than naming an exception class. */
    private static String causeMessage(Throwable e) {
        Throwable root = e;
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof java.net.http.HttpTimeoutException) {
                return "no answer within the network timeout";
            }
            if (t instanceof java.net.ConnectException || t instanceof java.nio.channels.ClosedChannelException) {
                return "the connection was refused or closed";
            }
            if (t instanceof java.net.UnknownHostException) {
                return "the host name does not resolve";
            }
            if (t instanceof javax.net.ssl.SSLException) {
                return "the TLS handshake failed (" + t.getMessage() + "); for a private CA, trust its certificate";
            }
            root = t;
        }
        String message = root.getMessage();
        return root.getClass().getSimpleName() + (message == null ? "" : " (" + message + ")");
    }
}
