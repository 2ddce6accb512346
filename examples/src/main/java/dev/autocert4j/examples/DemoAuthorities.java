package dev.autocert4j.examples;

import dev.autocert4j.AccountRegistration;
import dev.autocert4j.CaaCheck;
import dev.autocert4j.CertificateAuthority;
import dev.autocert4j.InvalidInputException;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.List;

/**
 * The CAs of {@code --acme}, in the order given (a local Pebble where none is), each trusting the
 * certificates of every {@code --acme-trust} file. With several, {@code --email} and
 * {@code --accept-tos} give each CA its account, registered with its first order, so a fallback
 * CA needs no call before the first CA fails. Every CA gets the CAA check of {@code --caa-resolver},
 * {@code --caa-identity} and {@code --no-caa-check}.
 */
final class DemoAuthorities {

    /** The CA without {@code --acme}: a Pebble on this machine. */
    static final URI LOCAL_PEBBLE = URI.create("https://localhost:14000/dir");

    private DemoAuthorities() {
    }

    static List<CertificateAuthority> of(DemoOptions options) {
        List<URI> directories = options.acme.isEmpty() ? List.of(LOCAL_PEBBLE) : options.acme;
        KeyStore trust = options.acmeTrust.isEmpty() ? null : trustStore(options.acmeTrust);
        CaaCheck caaCheck = caaCheck(options);
        List<CertificateAuthority> authorities = new ArrayList<>();
        for (URI directory : directories) {
            CertificateAuthority ca = CertificateAuthority.at(directory).withCaaCheck(caaCheck);
            if (trust != null) {
                ca = ca.trusting(trust);
            }
            if (options.acmeName != null && authorities.isEmpty()) {
                ca = ca.named(options.acmeName);
            }
            if (directories.size() > 1 && options.email != null && options.acceptTos) {
                ca = ca.withAccount(AccountRegistration.builder().email(options.email.strip())
                        .termsOfServiceAcceptedAsLinked().build());
            }
            authorities.add(ca);
        }
        return authorities;
    }

    /**
     * No check with {@code --no-caa-check}; else through {@code --caa-resolver} (else {@code --dns-resolver},
     * else the system's), knowing the CAs by {@code --caa-identity} where their directories do not say.
     */
    private static CaaCheck caaCheck(DemoOptions options) {
        if (!options.caaCheck) {
            return CaaCheck.off();
        }
        List<InetSocketAddress> resolvers = options.caaResolvers.isEmpty() ? options.dnsResolvers : options.caaResolvers;
        CaaCheck check = resolvers.isEmpty() ? CaaCheck.standard() : CaaCheck.standard().withResolvers(resolvers);
        return options.caaIdentities.isEmpty() ? check : check.withIdentities(options.caaIdentities);
    }

    /** Every certificate of every file, in one key store. */
    private static KeyStore trustStore(List<Path> pemFiles) {
        try {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            int i = 0;
            for (Path file : pemFiles) {
                for (Certificate certificate : read(file)) {
                    store.setCertificateEntry("trusted-" + i++, certificate);
                }
            }
            return store;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("Cannot create an in-memory key store", e);
        }
    }

    private static List<? extends Certificate> read(Path pemFile) {
        try (InputStream in = Files.newInputStream(pemFile)) {
            List<? extends Certificate> certificates = List.copyOf(CertificateFactory.getInstance("X.509")
                    .generateCertificates(in));
            if (certificates.isEmpty()) {
                throw new InvalidInputException("--acme-trust", pemFile.toString(), "holds no certificate");
            }
            return certificates;
        } catch (IOException | GeneralSecurityException e) {
            throw new InvalidInputException("--acme-trust", pemFile.toString(),
                    "cannot be read as PEM certificates: " + e.getMessage());
        }
    }
}
