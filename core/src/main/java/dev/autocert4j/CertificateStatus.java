package dev.autocert4j;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What the admin sees about a domain's certificate: the names it covers, when it was last renewed,
 * when it expires, when the next check runs, the last error if the last attempt failed, and
 * whether automatic renewal is paused. Parts are {@code null} where nothing is known yet.
 * Immutable; {@link #toBuilder()} gives a builder for a changed copy.
 */
public final class CertificateStatus {

    private final String domain;
    private final List<String> names;
    private final Instant lastRenewed;
    private final Instant notBefore;
    private final Instant notAfter;
    private final String serialNumber;
    private final String issuer;
    private final Instant nextCheck;
    private final Instant lastAttempt;
    private final String lastError;
    private final InstallResult installResult;
    private final RenewalWindow renewalWindow;
    private final int consecutiveFailures;
    private final Instant pausedUntil;
    private final RenewalLock.Holder renewalLockHolder;
    private final URI certificateAuthority;
    private final String skippedAuthorities;
    private final String certificateWarning;

    private CertificateStatus(Builder builder) {
        this.domain = Objects.requireNonNull(builder.domain, "domain");
        this.names = builder.names == null || builder.names.isEmpty() ? List.of(domain) : List.copyOf(builder.names);
        this.lastRenewed = builder.lastRenewed;
        this.notBefore = builder.notBefore;
        this.notAfter = builder.notAfter;
        this.serialNumber = builder.serialNumber;
        this.issuer = builder.issuer;
        this.nextCheck = builder.nextCheck;
        this.lastAttempt = builder.lastAttempt;
        this.lastError = builder.lastError;
        this.installResult = builder.installResult;
        this.renewalWindow = builder.renewalWindow;
        this.consecutiveFailures = builder.consecutiveFailures;
        this.pausedUntil = builder.pausedUntil;
        this.renewalLockHolder = builder.renewalLockHolder;
        this.certificateAuthority = builder.certificateAuthority;
        this.skippedAuthorities = builder.skippedAuthorities;
        this.certificateWarning = builder.certificateWarning;
    }

    /**
     * Creates a status from the parts it had in version 0.1.
     *
     * @param domain        the DNS name
     * @param lastRenewed   when the current certificate was obtained, or {@code null}
     * @param notBefore     the start of its validity, or {@code null}
     * @param notAfter      when it expires, or {@code null}
     * @param serialNumber  its serial number in hex, or {@code null}
     * @param issuer        its issuer's distinguished name, or {@code null}
     * @param nextCheck     when renewal is checked next, or {@code null} if not scheduled
     * @param lastAttempt   when a certificate was last requested, or {@code null}
     * @param lastError     the message of the last failed attempt, or {@code null} if it succeeded
     * @param installResult how the certificate was last installed, or {@code null}
     * @param renewalWindow the renewal window the CA suggested (ACME Renewal Information), or {@code null}
     * @deprecated use {@link #builder(String)}, which can take the parts added since
     */
    @Deprecated(since = "0.2.0", forRemoval = true)
    public CertificateStatus(String domain, Instant lastRenewed, Instant notBefore, Instant notAfter,
                             String serialNumber, String issuer, Instant nextCheck, Instant lastAttempt,
                             String lastError, InstallResult installResult, RenewalWindow renewalWindow) {
        this(builder(domain).lastRenewed(lastRenewed).notBefore(notBefore).notAfter(notAfter).serialNumber(serialNumber)
                .issuer(issuer).nextCheck(nextCheck).lastAttempt(lastAttempt).lastError(lastError)
                .installResult(installResult).renewalWindow(renewalWindow));
    }

    /**
     * @param domain the DNS name the status is about
     * @return a builder for a status with nothing known yet
     */
    public static Builder builder(String domain) {
        return new Builder(domain);
    }

    /**
     * The status of a domain with a stored certificate.
     *
     * @param metadata the certificate's metadata
     * @return a status with the certificate's details and nothing else
     */
    public static CertificateStatus of(CertificateMetadata metadata) {
        return builder(metadata.domain()).certificate(metadata).build();
    }

    /**
     * The status of a domain without any certificate yet.
     *
     * @param domain the DNS name
     * @return an empty status
     */
    public static CertificateStatus none(String domain) {
        return builder(domain).build();
    }

    /** @return the name the status is about: the enrollment's first name */
    public String domain() {
        return domain;
    }

    /** @return every name the certificate covers (or is to cover); at least {@link #domain()} */
    public List<String> names() {
        return names;
    }

    /** @return when the current certificate was obtained, or {@code null} */
    public Instant lastRenewed() {
        return lastRenewed;
    }

    /** @return the start of the current certificate's validity, or {@code null} */
    public Instant notBefore() {
        return notBefore;
    }

    /** @return when the current certificate expires, or {@code null} */
    public Instant notAfter() {
        return notAfter;
    }

    /** @return the current certificate's serial number in hex, or {@code null} */
    public String serialNumber() {
        return serialNumber;
    }

    /** @return the current certificate's issuer distinguished name, or {@code null} */
    public String issuer() {
        return issuer;
    }

    /** @return when renewal is checked next, or {@code null} if not scheduled */
    public Instant nextCheck() {
        return nextCheck;
    }

    /** @return when a certificate was last requested, or {@code null} */
    public Instant lastAttempt() {
        return lastAttempt;
    }

    /** @return the message of the last failed attempt, or {@code null} if it succeeded or none was made */
    public String lastError() {
        return lastError;
    }

    /** @return how the certificate was last installed, or {@code null} */
    public InstallResult installResult() {
        return installResult;
    }

    /** @return the renewal window the CA suggested (ACME Renewal Information), or {@code null} */
    public RenewalWindow renewalWindow() {
        return renewalWindow;
    }

    /** @return how many attempts in a row have failed; 0 after a success */
    public int consecutiveFailures() {
        return consecutiveFailures;
    }

    /**
     * Says until when automatic renewal is paused, after validation failed too often in a row.
     * {@link AutoCert#renewNow} resumes it at once.
     *
     * @return the end of the pause, if renewal is paused
     */
    public Optional<Instant> pausedUntil() {
        return Optional.ofNullable(pausedUntil);
    }

    /** @return whether automatic renewal is paused (see {@link #pausedUntil()}) */
    public boolean isPaused() {
        return pausedUntil != null;
    }

    /**
     * Says which server of a cluster holds the renewal lock of this certificate, since when, and
     * until when its lease runs: the one renewing it now.
     *
     * @return the holder, if a server holds the lock
     * @since 0.2.0
     */
    public Optional<RenewalLock.Holder> renewalLockHolder() {
        return Optional.ofNullable(renewalLockHolder);
    }

    /**
     * @return the directory of the CA that issued the stored certificate, if known
     * @since 0.2.0
     */
    public Optional<URI> certificateAuthority() {
        return Optional.ofNullable(certificateAuthority);
    }

    /**
     * Says which CAs the last attempt passed over for the next one of the list, and why, such as
     * {@code "Pebble A was skipped: Could not reach Pebble A ..."}, one note per CA joined by {@code "; "}.
     *
     * @return the notes, if the last attempt passed over any CA
     * @since 0.2.0
     */
    public Optional<String> skippedAuthorities() {
        return Optional.ofNullable(skippedAuthorities);
    }

    /**
     * Says what the admin should know about the certificate obtained last, such as that no chain
     * the CA offered verifies against the trust store clients use.
     *
     * @return the warning, if there is one
     * @since 0.2.0
     */
    public Optional<String> certificateWarning() {
        return Optional.ofNullable(certificateWarning);
    }

    /** @return whether a certificate is stored for the domain */
    public boolean hasCertificate() {
        return notAfter != null;
    }

    /** @return a builder holding this status's parts, to change some */
    public Builder toBuilder() {
        return builder(domain).names(names).lastRenewed(lastRenewed).notBefore(notBefore).notAfter(notAfter)
                .serialNumber(serialNumber).issuer(issuer).nextCheck(nextCheck).lastAttempt(lastAttempt)
                .lastError(lastError).installResult(installResult).renewalWindow(renewalWindow)
                .consecutiveFailures(consecutiveFailures).pausedUntil(pausedUntil).renewalLockHolder(renewalLockHolder)
                .certificateAuthority(certificateAuthority).skippedAuthorities(skippedAuthorities)
                .certificateWarning(certificateWarning);
    }

    /**
     * @param attempt when the attempt was made
     * @param error   what went wrong, or {@code null} if it succeeded
     * @return a copy with the outcome of an attempt
     */
    public CertificateStatus withAttempt(Instant attempt, String error) {
        return toBuilder().lastAttempt(attempt).lastError(error).build();
    }

    /**
     * @param next when renewal is checked next
     * @return a copy with the next check
     */
    public CertificateStatus withNextCheck(Instant next) {
        return toBuilder().nextCheck(next).build();
    }

    /**
     * @param result how the certificate was installed
     * @return a copy with the install result
     */
    public CertificateStatus withInstallResult(InstallResult result) {
        return toBuilder().installResult(result).build();
    }

    /**
     * @param window the CA's suggested renewal window, or {@code null}
     * @return a copy with the renewal window
     */
    public CertificateStatus withRenewalWindow(RenewalWindow window) {
        return toBuilder().renewalWindow(window).build();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof CertificateStatus that && domain.equals(that.domain) && names.equals(that.names)
                && Objects.equals(lastRenewed, that.lastRenewed) && Objects.equals(notBefore, that.notBefore)
                && Objects.equals(notAfter, that.notAfter) && Objects.equals(serialNumber, that.serialNumber)
                && Objects.equals(issuer, that.issuer) && Objects.equals(nextCheck, that.nextCheck)
                && Objects.equals(lastAttempt, that.lastAttempt) && Objects.equals(lastError, that.lastError)
                && installResult == that.installResult && Objects.equals(renewalWindow, that.renewalWindow)
                && consecutiveFailures == that.consecutiveFailures && Objects.equals(pausedUntil, that.pausedUntil)
                && Objects.equals(renewalLockHolder, that.renewalLockHolder)
                && Objects.equals(certificateAuthority, that.certificateAuthority)
                && Objects.equals(skippedAuthorities, that.skippedAuthorities)
                && Objects.equals(certificateWarning, that.certificateWarning);
    }

    @Override
    public int hashCode() {
        return Objects.hash(domain, serialNumber, nextCheck, lastAttempt);
    }

    @Override
    public String toString() {
        return "CertificateStatus[domain=" + domain + ", names=" + names + ", lastRenewed=" + lastRenewed
                + ", notAfter=" + notAfter + ", serialNumber=" + serialNumber + ", nextCheck=" + nextCheck
                + ", lastAttempt=" + lastAttempt + ", lastError=" + lastError + ", installResult=" + installResult
                + ", consecutiveFailures=" + consecutiveFailures + ", pausedUntil=" + pausedUntil
                + (renewalLockHolder == null ? "" : ", renewalLockHolder=" + renewalLockHolder)
                + (certificateAuthority == null ? "" : ", certificateAuthority=" + certificateAuthority)
                + (skippedAuthorities == null ? "" : ", skippedAuthorities=" + skippedAuthorities)
                + (certificateWarning == null ? "" : ", certificateWarning=" + certificateWarning) + "]";
    }

    /** Builds a {@link CertificateStatus}; every part but the domain is optional. */
    public static final class Builder {
        private final String domain;
        private List<String> names;
        private Instant lastRenewed;
        private Instant notBefore;
        private Instant notAfter;
        private String serialNumber;
        private String issuer;
        private Instant nextCheck;
        private Instant lastAttempt;
        private String lastError;
        private InstallResult installResult;
        private RenewalWindow renewalWindow;
        private int consecutiveFailures;
        private Instant pausedUntil;
        private RenewalLock.Holder renewalLockHolder;
        private URI certificateAuthority;
        private String skippedAuthorities;
        private String certificateWarning;

        private Builder(String domain) {
            this.domain = Objects.requireNonNull(domain, "domain");
        }

        /**
         * Takes names, last renewed, validity, serial number, issuer and issuing CA from a certificate's metadata.
         *
         * @param metadata the stored certificate's metadata
         * @return this builder
         */
        public Builder certificate(CertificateMetadata metadata) {
            return names(metadata.names()).lastRenewed(metadata.issuedAt()).notBefore(metadata.notBefore())
                    .notAfter(metadata.notAfter()).serialNumber(metadata.serialNumber()).issuer(metadata.issuer())
                    .certificateAuthority(metadata.caDirectory());
        }

        /**
         * @param names every name the certificate covers
         * @return this builder
         */
        public Builder names(List<String> names) {
            this.names = names == null ? null : List.copyOf(names);
            return this;
        }

        /**
         * @param lastRenewed when the current certificate was obtained
         * @return this builder
         */
        public Builder lastRenewed(Instant lastRenewed) {
            this.lastRenewed = lastRenewed;
            return this;
        }

        /**
         * @param notBefore the start of the certificate's validity
         * @return this builder
         */
        public Builder notBefore(Instant notBefore) {
            this.notBefore = notBefore;
            return this;
        }

        /**
         * @param notAfter when the certificate expires
         * @return this builder
         */
        public Builder notAfter(Instant notAfter) {
            this.notAfter = notAfter;
            return this;
        }

        /**
         * @param serialNumber the certificate's serial number in hex
         * @return this builder
         */
        public Builder serialNumber(String serialNumber) {
            this.serialNumber = serialNumber;
            return this;
        }

        /**
         * @param issuer the issuer's distinguished name
         * @return this builder
         */
        public Builder issuer(String issuer) {
            this.issuer = issuer;
            return this;
        }

        /**
         * @param nextCheck when renewal is checked next
         * @return this builder
         */
        public Builder nextCheck(Instant nextCheck) {
            this.nextCheck = nextCheck;
            return this;
        }

        /**
         * @param lastAttempt when a certificate was last requested
         * @return this builder
         */
        public Builder lastAttempt(Instant lastAttempt) {
            this.lastAttempt = lastAttempt;
            return this;
        }

        /**
         * @param lastError the message of the last failed attempt, or {@code null}
         * @return this builder
         */
        public Builder lastError(String lastError) {
            this.lastError = lastError;
            return this;
        }

        /**
         * @param installResult how the certificate was last installed
         * @return this builder
         */
        public Builder installResult(InstallResult installResult) {
            this.installResult = installResult;
            return this;
        }

        /**
         * @param renewalWindow the CA's suggested renewal window
         * @return this builder
         */
        public Builder renewalWindow(RenewalWindow renewalWindow) {
            this.renewalWindow = renewalWindow;
            return this;
        }

        /**
         * @param consecutiveFailures how many attempts in a row have failed
         * @return this builder
         */
        public Builder consecutiveFailures(int consecutiveFailures) {
            if (consecutiveFailures < 0) {
                throw new IllegalArgumentException("consecutiveFailures must not be negative");
            }
            this.consecutiveFailures = consecutiveFailures;
            return this;
        }

        /**
         * @param pausedUntil until when automatic renewal is paused, or {@code null} if it is not
         * @return this builder
         */
        public Builder pausedUntil(Instant pausedUntil) {
            this.pausedUntil = pausedUntil;
            return this;
        }

        /**
         * @param holder the server holding the renewal lock, or {@code null} if none does
         * @return this builder
         * @since 0.2.0
         */
        public Builder renewalLockHolder(RenewalLock.Holder holder) {
            this.renewalLockHolder = holder;
            return this;
        }

        /**
         * @param directory the directory of the CA that issued the certificate, or {@code null} if unknown
         * @return this builder
         * @since 0.2.0
         */
        public Builder certificateAuthority(URI directory) {
            this.certificateAuthority = directory;
            return this;
        }

        /**
         * @param notes which CAs the last attempt passed over and why, or {@code null} if none
         * @return this builder
         * @since 0.2.0
         */
        public Builder skippedAuthorities(String notes) {
            this.skippedAuthorities = notes;
            return this;
        }

        /**
         * @param warning what the admin should know about the certificate obtained last, or {@code null}
         * @return this builder
         * @since 0.2.0
         */
        public Builder certificateWarning(String warning) {
            this.certificateWarning = warning;
            return this;
        }

        /** @return the status */
        public CertificateStatus build() {
            return new CertificateStatus(this);
        }
    }
}
