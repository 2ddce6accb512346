package dev.autocert4j.internal;

import dev.autocert4j.Binding;
import dev.autocert4j.CertificateAuthority;
import dev.autocert4j.EnrollmentRequest;
import dev.autocert4j.InvalidInputException;
import dev.autocert4j.internal.net.NameSyntax;
import dev.autocert4j.spi.BindingProvider;

import java.util.List;

/** What an enrollment request must satisfy on this server and CA, checked before any network call. */
public final class RequestChecks {

    private RequestChecks() {
    }

    /**
     * @throws InvalidInputException if the binding is not one the host listens on, no responder answers
     *                               the request's challenge, or Let's Encrypt is asked for a private address
     */
    public static void requireAcceptable(EnrollmentRequest request, BindingProvider bindings, CertificateKeeper keeper,
                                         CertificateAuthority ca) {
        requireKnownBinding(request.binding(), bindings);
        requireCertifiable(request, keeper, ca);
    }

    private static void requireKnownBinding(Binding binding, BindingProvider bindings) {
        List<Binding> known = bindings.bindings();
        if (!known.contains(binding)) {
            throw new InvalidInputException("binding", binding.toString(),
                    "is not one of the bindings the server listens on: " + known);
        }
    }

    private static void requireCertifiable(EnrollmentRequest request, CertificateKeeper keeper, CertificateAuthority ca) {
        if (!keeper.answers(request.challengeType())) {
            throw new InvalidInputException("challenge", request.challengeType().acmeName(), "has no solver: give"
                    + " one with AutoCert.Builder.challengeSolver(...)");
        }
        if (ca.isLetsEncrypt()) {
            for (String name : request.names()) {
                if (NameSyntax.isIpAddress(name) && NameSyntax.isPrivateAddress(name)) {
                    throw new InvalidInputException("domain", name, "is a private, loopback or link-local address;"
                            + " Let's Encrypt certifies public IP addresses only");
                }
            }
        }
    }
}
