package dev.autocert4j;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * On-demand issuance: a certificate obtained at the first TLS handshake for a name nothing is
 * served for yet, as a portal that lets its customers bring their own domain needs. Given to
 * {@link AutoCert.Builder#onDemand}; it cannot be built without an {@link OnDemandGuard}, because
 * without one anyone can point domains at the server and burn the CA's rate limits.
 *
 * <p>For each such handshake, in this order, each refusal made without calling anyone further:
 * the name checks (IP literals, {@code localhost}, single labels, malformed or over-long names, and
 * names under the portal's {@linkplain Builder#ownDomains own domains} that are not configured are
 * refused); the memory of refused and failed names; the guard (called once per name however many
 * handshakes arrive); the limits (names in flight, new names per period, total on-demand
 * certificates). An allowed name is ordered once, stored and installed on the HTTPS binding of its
 * name and {@linkplain Builder#httpsPort port}, and renewed as every other certificate, unless the
 * guard refuses it by then. The handshake that asked gets the certificate if it comes within the
 * {@linkplain Builder#handshakeWait wait}; otherwise it fails, and the next one gets it. Immutable.
 *
 * <pre>{@code
 * AutoCert.builder()...
 *         .onDemand(OnDemandIssuance.builder()
 *                 .guard(OnDemandGuard.ask(URI.create("http://127.0.0.1:9000/allowed")))
 *                 .keyManager(jettyBindings.keyManager())
 *                 .httpsPort(443)
 *                 .build())
 * }</pre>
 *
 * @since 0.2.0
 */
public final class OnDemandIssuance {

    /** How long a handshake for a new name waits for its certificate unless {@link Builder#handshakeWait} says otherwise. */
    public static final Duration DEFAULT_HANDSHAKE_WAIT = Duration.ofSeconds(10);

    private final OnDemandGuard guard;
    private final OnDemandKeyManager keyManager;
    private final int httpsPort;
    private final ChallengeType challenge;
    private final Duration handshakeWait;
    private final RateLimit newNames;
    private final int namesInFlight;
    private final int maxCertificates;
    private final Duration refusalMemory;
    private final int refusalMemorySize;
    private final List<String> ownDomains;

    private OnDemandIssuance(Builder builder) {
        this.guard = builder.guard;
        this.keyManager = builder.keyManager;
        this.httpsPort = builder.httpsPort;
        this.challenge = builder.challenge;
        this.handshakeWait = builder.handshakeWait;
        this.newNames = builder.newNames;
        this.namesInFlight = builder.namesInFlight;
        this.maxCertificates = builder.maxCertificates;
        this.refusalMemory = builder.refusalMemory;
        this.refusalMemorySize = builder.refusalMemorySize;
        this.ownDomains = List.copyOf(builder.ownDomains);
    }

    /** @return a new builder */
    public static Builder builder() {
        return new Builder();
    }

    /** @return what allows or refuses each new name */
    public OnDemandGuard guard() {
        return guard;
    }

    /** @return the key manager whose handshakes for unknown names start issuance */
    public OnDemandKeyManager keyManager() {
        return keyManager;
    }

    /** @return the HTTPS port on-demand certificates are installed on */
    public int httpsPort() {
        return httpsPort;
    }

    /** @return the challenge type on-demand names are validated with */
    public ChallengeType challenge() {
        return challenge;
    }

    /** @return how long a handshake for a new name waits for its certificate */
    public Duration handshakeWait() {
        return handshakeWait;
    }

    /** @return how many new names the guard may allow per period, all names together */
    public RateLimit newNames() {
        return newNames;
    }

    /** @return how many names may be asked about or ordered at once */
    public int namesInFlight() {
        return namesInFlight;
    }

    /** @return how many on-demand certificates may be managed in all */
    public int maxCertificates() {
        return maxCertificates;
    }

    /** @return how long a refused or failed name is refused without asking again */
    public Duration refusalMemory() {
        return refusalMemory;
    }

    /** @return how many refused or failed names are remembered at most (the oldest forgotten first) */
    public int refusalMemorySize() {
        return refusalMemorySize;
    }

    /** @return the portal's own domains: names under them are refused unless configured */
    public List<String> ownDomains() {
        return ownDomains;
    }

    /** Builds an {@link OnDemandIssuance}; the guard and the key manager are required. */
    public static final class Builder {
        private OnDemandGuard guard;
        private OnDemandKeyManager keyManager;
        private int httpsPort = 443;
        private ChallengeType challenge = ChallengeType.HTTP_01;
        private Duration handshakeWait = DEFAULT_HANDSHAKE_WAIT;
        private RateLimit newNames = RateLimit.of(10, Duration.ofMinutes(1));
        private int namesInFlight = 10;
        private int maxCertificates = 10_000;
        private Duration refusalMemory = Duration.ofMinutes(10);
        private int refusalMemorySize = 10_000;
        private final List<String> ownDomains = new ArrayList<>();

        private Builder() {
        }

        /**
         * @param guard what allows or refuses each new name, such as {@link OnDemandGuard#ask}; required
         * @return this builder
         */
        public Builder guard(OnDemandGuard guard) {
            this.guard = Objects.requireNonNull(guard, "guard");
            return this;
        }

        /**
         * @param keyManager the key manager of the HTTPS listeners, such as the {@code SniKeyManager} of
         *                   {@code JettyBindings.keyManager()},
         *                   whose handshakes for unknown names start issuance; required
         * @return this builder
         */
        public Builder keyManager(OnDemandKeyManager keyManager) {
            this.keyManager = Objects.requireNonNull(keyManager, "keyManager");
            return this;
        }

        /**
         * @param httpsPort the port of the HTTPS binding on-demand certificates are installed on; default 443
         * @return this builder
         */
        public Builder httpsPort(int httpsPort) {
            this.httpsPort = Binding.requirePort("httpsPort", httpsPort);
            return this;
        }

        /**
         * @param challenge how new names are validated: HTTP-01 (default) or TLS-ALPN-01 on this
         *                  server; a solver for it must be given to the {@link AutoCert.Builder}
         * @return this builder
         */
        public Builder challenge(ChallengeType challenge) {
            this.challenge = Objects.requireNonNull(challenge, "challenge");
            return this;
        }

        /**
         * @param wait how long the handshake that asked for a new name waits for its certificate
         *             before it fails (the next one gets it); default 10 s
         * @return this builder
         */
        public Builder handshakeWait(Duration wait) {
            this.handshakeWait = InputChecks.requirePositive(wait, "handshakeWait");
            return this;
        }

        /**
         * @param limit how many new names may be ordered per period, all together; default 10 per minute
         * @return this builder
         */
        public Builder newNames(RateLimit limit) {
            this.newNames = Objects.requireNonNull(limit, "limit");
            return this;
        }

        /**
         * @param names how many names may be asked about or ordered at once; default 10
         * @return this builder
         */
        public Builder namesInFlight(int names) {
            this.namesInFlight = InputChecks.requireAtLeastOne(names, "namesInFlight");
            return this;
        }

        /**
         * @param certificates how many on-demand certificates may be managed in all; default 10,000
         * @return this builder
         */
        public Builder maxCertificates(int certificates) {
            this.maxCertificates = InputChecks.requireAtLeastOne(certificates, "maxCertificates");
            return this;
        }

        /**
         * @param duration how long a refused or failed name is refused without asking the guard or the CA
         *                 again; default 10 minutes
         * @param names    how many such names are remembered at most; default 10,000
         * @return this builder
         */
        public Builder refusalMemory(Duration duration, int names) {
            this.refusalMemory = InputChecks.requirePositive(duration, "refusalMemory");
            this.refusalMemorySize = InputChecks.requireAtLeastOne(names, "refusalMemorySize");
            return this;
        }

        /**
         * @param domains the portal's own domains (such as {@code example.com}): a name under one that
         *                no binding or enrollment configures is refused without asking the guard
         * @return this builder
         */
        public Builder ownDomains(String... domains) {
            for (String domain : domains) {
                ownDomains.add(Objects.requireNonNull(domain, "domain").strip().toLowerCase(Locale.ROOT)
                        .replaceFirst("^\\.", "").replaceFirst("\\.$", ""));
            }
            return this;
        }

        /**
         * @return the settings
         * @throws IllegalStateException if no guard or no key manager was given
         */
        public OnDemandIssuance build() {
            if (guard == null) {
                throw new IllegalStateException("On-demand issuance needs a guard: without one, anyone who points a"
                        + " domain at this server makes it order certificates until the CA's rate limits stop all"
                        + " issuance. Give OnDemandIssuance.Builder.guard(OnDemandGuard.ask(URL)), .matching(..) or"
                        + " .allowingSuffixes(..)");
            }
            if (keyManager == null) {
                throw new IllegalStateException("On-demand issuance needs the key manager whose handshakes ask for"
                        + " certificates: give OnDemandIssuance.Builder.keyManager(..)");
            }
            return new OnDemandIssuance(this);
        }
    }
}
