package dev.autocert4j;

import java.math.BigInteger;
import java.net.URI;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * What is known about an issued certificate besides the certificate itself: the names it covers,
 * when it was obtained, its validity, and which CA and account it came from. Immutable; build one
 * with {@link #of(String, X509Certificate, Instant, URI, URI)} from a certificate, or with
 * {@link #builder()}.
 */
public final class CertificateMetadata {

    private final String domain;
    private final List<String> names;
    private final Instant issuedAt;
    private final Instant notBefore;
    private final Instant notAfter;
    private final String serialNumber;
    private final String issuer;
    private final URI caDirectory;
    private final URI accountLocation;

    private CertificateMetadata(Builder builder) {
        this.domain = Objects.requireNonNull(builder.domain, "domain");
        this.issuedAt = Objects.requireNonNull(builder.issuedAt, "issuedAt");
        this.notBefore = Objects.requireNonNull(builder.notBefore, "notBefore");
        this.notAfter = Objects.requireNonNull(builder.notAfter, "notAfter");
        this.serialNumber = Objects.requireNonNull(builder.serialNumber, "serialNumber");
        this.issuer = Objects.requireNonNull(builder.issuer, "issuer");
        this.names = builder.names == null || builder.names.isEmpty() ? List.of(domain) : List.copyOf(builder.names);
        this.caDirectory = builder.caDirectory;
        this.accountLocation = builder.accountLocation;
    }

    /**
     * Creates metadata from all of its parts.
     *
     * @param domain          the name the certificate was issued for
     * @param issuedAt        when autocert4j obtained it (shown as "last renewed")
     * @param notBefore       the start of its validity
     * @param notAfter        the end of its validity (shown as "expires")
     * @param serialNumber    the serial number in lower-case hex
     * @param issuer          the issuer's distinguished name
     * @param caDirectory     the ACME directory it came from, or {@code null} if unknown
     * @param accountLocation the ACME account that ordered it, or {@code null} if unknown
     * @deprecated use {@link #builder()} or {@link #of(String, X509Certificate, Instant, URI, URI)}, which
     *             can take parts added later (such as every name on the certificate)
     */
    @Deprecated(since = "0.2.0", forRemoval = true)
    public CertificateMetadata(String domain, Instant issuedAt, Instant notBefore, Instant notAfter,
                               String serialNumber, String issuer, URI caDirectory, URI accountLocation) {
        this(builder().domain(domain).issuedAt(issuedAt).notBefore(notBefore).notAfter(notAfter)
                .serialNumber(serialNumber).issuer(issuer).caDirectory(caDirectory).accountLocation(accountLocation));
    }

    /** @return a new builder; domain, issued at, validity, serial number and issuer are required */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Reads the names, validity, serial number and issuer from a certificate.
     *
     * @param domain          the name it was issued for (the enrollment's first name)
     * @param leaf            the end-entity certificate
     * @param issuedAt        when it was obtained
     * @param caDirectory     the ACME directory it came from, or {@code null}
     * @param accountLocation the ACME account that ordered it, or {@code null}
     * @return the metadata
     */
    public static CertificateMetadata of(String domain, X509Certificate leaf, Instant issuedAt, URI caDirectory,
                                         URI accountLocation) {
        Objects.requireNonNull(leaf, "leaf");
        return builder().domain(domain).names(subjectAlternativeNames(leaf)).issuedAt(issuedAt)
                .notBefore(leaf.getNotBefore().toInstant()).notAfter(leaf.getNotAfter().toInstant())
                .serialNumber(hexSerial(leaf.getSerialNumber())).issuer(leaf.getIssuerX500Principal().getName())
                .caDirectory(caDirectory).accountLocation(accountLocation).build();
    }

    /**
     * Lists the DNS names and IP addresses a certificate is valid for, as its subject alternative
     * names give them (never the Common Name, which CAs may omit). DNS names are in lower case.
     *
     * @param certificate the certificate
     * @return its names in the order of the certificate; empty if it has none
     */
    public static List<String> subjectAlternativeNames(X509Certificate certificate) {
        Collection<List<?>> entries;
        try {
            entries = certificate.getSubjectAlternativeNames();
        } catch (CertificateParsingException e) {
            return List.of();
        }
        if (entries == null) {
            return List.of();
        }
        List<String> names = new ArrayList<>();
        for (List<?> entry : entries) {
            int type = (Integer) entry.get(0);
            if (type == 2) {
                names.add(((String) entry.get(1)).toLowerCase(Locale.ROOT));
            } else if (type == 7) {
                names.add((String) entry.get(1));
            }
        }
        return List.copyOf(names);
    }

    /**
     * Formats a serial number the way the metadata keeps it.
     *
     * @param serial the serial number
     * @return the serial number in lower-case hex
     */
    public static String hexSerial(BigInteger serial) {
        return serial.toString(16);
    }

    /** @return the name the certificate was issued for: the enrollment's first name */
    public String domain() {
        return domain;
    }

    /** @return every DNS name and IP address the certificate covers; at least {@link #domain()} */
    public List<String> names() {
        return names;
    }

    /** @return when autocert4j obtained the certificate (shown as "last renewed") */
    public Instant issuedAt() {
        return issuedAt;
    }

    /** @return the start of its validity */
    public Instant notBefore() {
        return notBefore;
    }

    /** @return the end of its validity (shown as "expires") */
    public Instant notAfter() {
        return notAfter;
    }

    /** @return the serial number in lower-case hex */
    public String serialNumber() {
        return serialNumber;
    }

    /** @return the issuer's distinguished name */
    public String issuer() {
        return issuer;
    }

    /** @return the ACME directory it came from, or {@code null} if unknown */
    public URI caDirectory() {
        return caDirectory;
    }

    /** @return the ACME account that ordered it, or {@code null} if unknown */
    public URI accountLocation() {
        return accountLocation;
    }

    /** @return the certificate's whole validity period */
    public Duration lifetime() {
        return Duration.between(notBefore, notAfter);
    }

    /**
     * @param now the current time
     * @return whether the certificate is valid at {@code now}
     */
    public boolean isValidAt(Instant now) {
        return !now.isBefore(notBefore) && now.isBefore(notAfter);
    }

    /** @return a builder holding this metadata's parts, to change some */
    public Builder toBuilder() {
        return builder().domain(domain).names(names).issuedAt(issuedAt).notBefore(notBefore).notAfter(notAfter)
                .serialNumber(serialNumber).issuer(issuer).caDirectory(caDirectory).accountLocation(accountLocation);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof CertificateMetadata that && domain.equals(that.domain) && names.equals(that.names)
                && issuedAt.equals(that.issuedAt) && notBefore.equals(that.notBefore) && notAfter.equals(that.notAfter)
                && serialNumber.equals(that.serialNumber) && issuer.equals(that.issuer)
                && Objects.equals(caDirectory, that.caDirectory) && Objects.equals(accountLocation, that.accountLocation);
    }

    @Override
    public int hashCode() {
        return Objects.hash(domain, serialNumber, notAfter);
    }

    @Override
    public String toString() {
        return "CertificateMetadata[domain=" + domain + ", names=" + names + ", issuedAt=" + issuedAt + ", notBefore="
                + notBefore + ", notAfter=" + notAfter + ", serialNumber=" + serialNumber + ", issuer=" + issuer
                + ", caDirectory=" + caDirectory + ", accountLocation=" + accountLocation + "]";
    }

    /** Builds {@link CertificateMetadata}. */
    public static final class Builder {
        private String domain;
        private List<String> names;
        private Instant issuedAt;
        private Instant notBefore;
        private Instant notAfter;
        private String serialNumber;
        private String issuer;
        private URI caDirectory;
        private URI accountLocation;

        private Builder() {
        }

        /**
         * @param domain the name the certificate was issued for (the enrollment's first name)
         * @return this builder
         */
        public Builder domain(String domain) {
            this.domain = Objects.requireNonNull(domain, "domain");
            return this;
        }

        /**
         * @param names every DNS name and IP address on the certificate; default just the domain
         * @return this builder
         */
        public Builder names(List<String> names) {
            this.names = List.copyOf(names);
            return this;
        }

        /**
         * @param issuedAt when the certificate was obtained
         * @return this builder
         */
        public Builder issuedAt(Instant issuedAt) {
            this.issuedAt = Objects.requireNonNull(issuedAt, "issuedAt");
            return this;
        }

        /**
         * @param notBefore the start of validity
         * @return this builder
         */
        public Builder notBefore(Instant notBefore) {
            this.notBefore = Objects.requireNonNull(notBefore, "notBefore");
            return this;
        }

        /**
         * @param notAfter the end of validity
         * @return this builder
         */
        public Builder notAfter(Instant notAfter) {
            this.notAfter = Objects.requireNonNull(notAfter, "notAfter");
            return this;
        }

        /**
         * @param serialNumber the serial number in lower-case hex
         * @return this builder
         */
        public Builder serialNumber(String serialNumber) {
            this.serialNumber = Objects.requireNonNull(serialNumber, "serialNumber");
            return this;
        }

        /**
         * @param issuer the issuer's distinguished name
         * @return this builder
         */
        public Builder issuer(String issuer) {
            this.issuer = Objects.requireNonNull(issuer, "issuer");
            return this;
        }

        /**
         * @param caDirectory the ACME directory it came from, or {@code null}
         * @return this builder
         */
        public Builder caDirectory(URI caDirectory) {
            this.caDirectory = caDirectory;
            return this;
        }

        /**
         * @param accountLocation the ACME account that ordered it, or {@code null}
         * @return this builder
         */
        public Builder accountLocation(URI accountLocation) {
            this.accountLocation = accountLocation;
            return this;
        }

        /**
         * @return the metadata
         * @throws NullPointerException naming a required part that is missing
         */
        public CertificateMetadata build() {
            return new CertificateMetadata(this);
        }
    }
}
