package dev.autocert4j.spring.boot;

import dev.autocert4j.KeyType;
import org.springframework.boot.context.properties.ConfigurationProperties;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code autocert4j.*} properties: what the admin would choose on the "configure Let's
 * Encrypt" form, for a Spring Boot application.
 *
 * @since 0.2.0
 */
@ConfigurationProperties(prefix = "autocert4j")
public class AutoCertProperties {

    /** Whether to obtain, serve and renew the certificate of the embedded web server. */
    private boolean enabled;

    /**
     * The DNS names the certificate covers; the first names the enrollment. Each must reach this
     * application on the HTTP port.
     */
    private List<String> domains = new ArrayList<>();

    /** The registration email the CA may write to about the account. */
    private String email;

    /** Whether the CA's Terms of Service were read and accepted; required. */
    private boolean acceptTermsOfService;

    /**
     * The CA: 'letsencrypt', 'letsencrypt-staging', or the URL of an ACME directory.
     */
    private String ca = "letsencrypt";

    /**
     * Several CAs, in the order they are tried, each as 'autocert4j.ca' takes it: every order
     * starts at the first, and the next is tried in the same attempt when one is down, rate-limits
     * or refuses a name. Each registers the account of 'autocert4j.email' with its first order.
     * When given, it replaces 'autocert4j.ca'.
     */
    private List<String> cas = new ArrayList<>();

    /**
     * A PEM file of the certificates to trust for the ACME server's TLS, instead of the system's
     * trust store: for a private CA or a test server. With 'autocert4j.cas', for every CA of it.
     */
    private Path caTrust;

    /**
     * The plain HTTP port on which the CA validates the domains (HTTP-01). A connector is added on
     * it when the application does not listen there already. The CA always connects to port 80, so
     * another port must be reached through port forwarding or a proxy.
     */
    private int httpPort = 80;

    /**
     * Whether requests on the HTTP port other than the CA's challenges are redirected to HTTPS.
     */
    private boolean redirectToHttps = true;

    /**
     * The folder of the PKCS#12 store (certificates, keys, the ACME account) and its password
     * file; used unless the application defines a CertificateStore bean.
     */
    private Path stateDir = Path.of("autocert4j");

    /** The key type of the certificate's key. */
    private KeyType keyType = KeyType.EC_P256;

    /** The ACME profile to ask for, such as 'tlsserver' or 'shortlived', when the CA offers profiles. */
    private String profile;

    /**
     * How long before expiry to renew; shorter for short-lived certificates (a third of the
     * lifetime at most).
     */
    private Duration renewWithin = Duration.ofDays(21);

    /** How often to check whether renewal is due. */
    private Duration checkEvery = Duration.ofHours(24);

    /**
     * The name of the SSL bundle holding the certificate; the server uses it unless server.ssl.*
     * configures TLS otherwise.
     */
    private String bundle = "autocert4j";

    /** External account binding, for CAs that require it. */
    private final Eab eab = new Eab();

    /** The health indicator. */
    private final Health health = new Health();

    /** Notifications to a person. */
    private final Notify notify = new Notify();

    /** The certificate store, chosen by name among the store plugins on the class path. */
    private final Store store = new Store();

    /** DNS-01, through a DNS provider chosen by name (with autocert4j-challenge-dns on the class path). */
    private final Dns dns = new Dns();

    /** The CAA check made before each order. */
    private final Caa caa = new Caa();

    /** The CAA check made before each order: on or off, its resolvers, and the CAs' identities. */
    public static class Caa {

        /** Whether CAA records are checked before each order; off leaves the decision to the CA alone. */
        private boolean enabled = true;

        /**
         * The resolvers (HOST:PORT) asked for CAA records, in turn; by default those of
         * 'autocert4j.dns.resolvers', else the system's.
         */
        private List<String> resolvers = new ArrayList<>();

        /**
         * The domains CAA records name the CA by, for a CA whose directory lists none (the directory's
         * 'caaIdentities' win where it lists them).
         */
        private List<String> identities = new ArrayList<>();

        /** @return whether CAA records are checked before each order */
        public boolean isEnabled() {
            return enabled;
        }

        /** @param enabled whether CAA records are checked before each order */
        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        /** @return the resolvers asked for CAA records, HOST:PORT */
        public List<String> getResolvers() {
            return resolvers;
        }

        /** @param resolvers the resolvers asked for CAA records, HOST:PORT */
        public void setResolvers(List<String> resolvers) {
            this.resolvers = resolvers;
        }

        /** @return the domains CAA records name the CA by, where its directory lists none */
        public List<String> getIdentities() {
            return identities;
        }

        /** @param identities the domains CAA records name the CA by, where its directory lists none */
        public void setIdentities(List<String> identities) {
            this.identities = identities;
        }
    }

    /** DNS-01's provider, its settings and the resolvers. */
    public static class Dns {

        /**
         * The DNS provider's name, such as 'powerdns', 'cloudflare', 'route53' or 'rfc2136'. When it is
         * set, certificates are validated with DNS-01 (which wildcard names need) instead of HTTP-01.
         */
        private String provider;

        /**
         * The provider's settings, such as 'api-url' and 'api-key-file' for powerdns; credentials are
         * never settings, only the file ('...-file', owner-only) or environment variable
         * ('...-variable') holding them. Also 'zone', 'propagation-timeout' (seconds, default 120) and
         * 'authoritative-port' (default 53).
         */
        private Map<String, String> settings = new LinkedHashMap<>();

        /**
         * The resolvers (HOST:PORT) that find zones, CNAMEs and name servers, asked in turn; the
         * system's by default.
         */
        private List<String> resolvers = new ArrayList<>();

        /** @return the DNS provider's name, or null for HTTP-01 */
        public String getProvider() {
            return provider;
        }

        /** @param provider the DNS provider's name */
        public void setProvider(String provider) {
            this.provider = provider;
        }

        /** @return the provider's settings */
        public Map<String, String> getSettings() {
            return settings;
        }

        /** @param settings the provider's settings */
        public void setSettings(Map<String, String> settings) {
            this.settings = settings;
        }

        /** @return the resolvers, HOST:PORT */
        public List<String> getResolvers() {
            return resolvers;
        }

        /** @param resolvers the resolvers, HOST:PORT */
        public void setResolvers(List<String> resolvers) {
            this.resolvers = resolvers;
        }

        /** @return whether a provider is set, so DNS-01 is used */
        boolean isEnabled() {
            return provider != null && !provider.isBlank();
        }
    }

    /** The certificate store plugin and its settings. */
    public static class Store {

        /**
         * The store plugin's name: 'pkcs12' (a folder under state-dir) or 'jdbc' (a database shared
         * by a cluster, with autocert4j-store-jdbc on the class path), or any other store plugin's.
         */
        private String name = "pkcs12";

        /**
         * The plugin's settings, such as 'url' and 'key-file' for jdbc. For pkcs12, 'folder' and
         * 'password-file' default to state-dir/store and state-dir/store.password.
         */
        private Map<String, String> settings = new LinkedHashMap<>();

        /** @return the store plugin's name */
        public String getName() {
            return name;
        }

        /** @param name the store plugin's name */
        public void setName(String name) {
            this.name = name;
        }

        /** @return the plugin's settings */
        public Map<String, String> getSettings() {
            return settings;
        }

        /** @param settings the plugin's settings */
        public void setSettings(Map<String, String> settings) {
            this.settings = settings;
        }
    }

    /** External account binding (EAB) credentials. */
    public static class Eab {

        /** The EAB key id the CA gave. */
        private String keyId;

        /** The base64url-encoded EAB HMAC key the CA gave; a secret. */
        private String hmacKey;

        /** @return the EAB key id, or {@code null} */
        public String getKeyId() {
            return keyId;
        }

        /** @param keyId the EAB key id */
        public void setKeyId(String keyId) {
            this.keyId = keyId;
        }

        /** @return the EAB HMAC key, or {@code null}; a secret */
        public String getHmacKey() {
            return hmacKey;
        }

        /** @param hmacKey the EAB HMAC key */
        public void setHmacKey(String hmacKey) {
            this.hmacKey = hmacKey;
        }
    }

    /** When the health indicator reports DOWN. */
    public static class Health {

        /**
         * A failing renewal turns the health DOWN once the certificate expires within this time;
         * before that it stays UP with the error in its details.
         */
        private Duration failingWithin = Duration.ofDays(7);

        /** @return the time before expiry from which a failing renewal is DOWN */
        public Duration getFailingWithin() {
            return failingWithin;
        }

        /** @param failingWithin the time before expiry from which a failing renewal is DOWN */
        public void setFailingWithin(Duration failingWithin) {
            this.failingWithin = failingWithin;
        }
    }

    /** Where failures are reported. */
    public static class Notify {

        /**
         * A webhook that receives a JSON POST when an attempt fails and when the certificate is
         * close to expiry while renewal keeps failing. Chat tools' incoming webhooks show its
         * 'text' field.
         */
        private URI webhookUrl;

        /** Headers sent with each webhook request, such as Authorization; never logged. */
        private Map<String, String> webhookHeaders = new LinkedHashMap<>();

        /** Whether the webhook also hears of each certificate obtained or renewed. */
        private boolean onSuccess;

        /** @return the webhook URL, or {@code null} for none */
        public URI getWebhookUrl() {
            return webhookUrl;
        }

        /** @param webhookUrl the webhook URL */
        public void setWebhookUrl(URI webhookUrl) {
            this.webhookUrl = webhookUrl;
        }

        /** @return the headers sent with each webhook request */
        public Map<String, String> getWebhookHeaders() {
            return webhookHeaders;
        }

        /** @param webhookHeaders the headers sent with each webhook request */
        public void setWebhookHeaders(Map<String, String> webhookHeaders) {
            this.webhookHeaders = webhookHeaders;
        }

        /** @return whether the webhook hears of each new certificate */
        public boolean isOnSuccess() {
            return onSuccess;
        }

        /** @param onSuccess whether the webhook hears of each new certificate */
        public void setOnSuccess(boolean onSuccess) {
            this.onSuccess = onSuccess;
        }
    }

    /** @return whether autocert4j is enabled */
    public boolean isEnabled() {
        return enabled;
    }

    /** @param enabled whether autocert4j is enabled */
    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    /** @return the names the certificate covers, the first naming the enrollment */
    public List<String> getDomains() {
        return domains;
    }

    /** @param domains the names the certificate covers */
    public void setDomains(List<String> domains) {
        this.domains = domains;
    }

    /** @return the registration email */
    public String getEmail() {
        return email;
    }

    /** @param email the registration email */
    public void setEmail(String email) {
        this.email = email;
    }

    /** @return whether the CA's Terms of Service were accepted */
    public boolean isAcceptTermsOfService() {
        return acceptTermsOfService;
    }

    /** @param acceptTermsOfService whether the CA's Terms of Service were accepted */
    public void setAcceptTermsOfService(boolean acceptTermsOfService) {
        this.acceptTermsOfService = acceptTermsOfService;
    }

    /** @return the CA: a name or a directory URL */
    public String getCa() {
        return ca;
    }

    /** @param ca the CA: a name or a directory URL */
    public void setCa(String ca) {
        this.ca = ca;
    }

    /**
     * @return the CAs in the order tried, each a name or a directory URL; empty: {@link #getCa()} alone
     * @since 0.2.0
     */
    public List<String> getCas() {
        return cas;
    }

    /**
     * @param cas the CAs in the order tried, each a name or a directory URL
     * @since 0.2.0
     */
    public void setCas(List<String> cas) {
        this.cas = cas;
    }

    /** @return a PEM file of the certificates to trust for the ACME server, or {@code null} for the system's */
    public Path getCaTrust() {
        return caTrust;
    }

    /** @param caTrust a PEM file of the certificates to trust for the ACME server */
    public void setCaTrust(Path caTrust) {
        this.caTrust = caTrust;
    }

    /** @return the plain HTTP port for the CA's challenges */
    public int getHttpPort() {
        return httpPort;
    }

    /** @param httpPort the plain HTTP port for the CA's challenges */
    public void setHttpPort(int httpPort) {
        this.httpPort = httpPort;
    }

    /** @return whether other requests on the HTTP port are redirected to HTTPS */
    public boolean isRedirectToHttps() {
        return redirectToHttps;
    }

    /** @param redirectToHttps whether other requests on the HTTP port are redirected to HTTPS */
    public void setRedirectToHttps(boolean redirectToHttps) {
        this.redirectToHttps = redirectToHttps;
    }

    /** @return the folder of the PKCS#12 store */
    public Path getStateDir() {
        return stateDir;
    }

    /** @param stateDir the folder of the PKCS#12 store */
    public void setStateDir(Path stateDir) {
        this.stateDir = stateDir;
    }

    /** @return the key type */
    public KeyType getKeyType() {
        return keyType;
    }

    /** @param keyType the key type */
    public void setKeyType(KeyType keyType) {
        this.keyType = keyType;
    }

    /** @return the ACME profile, or {@code null} */
    public String getProfile() {
        return profile;
    }

    /** @param profile the ACME profile */
    public void setProfile(String profile) {
        this.profile = profile;
    }

    /** @return how long before expiry to renew */
    public Duration getRenewWithin() {
        return renewWithin;
    }

    /** @param renewWithin how long before expiry to renew */
    public void setRenewWithin(Duration renewWithin) {
        this.renewWithin = renewWithin;
    }

    /** @return how often to check */
    public Duration getCheckEvery() {
        return checkEvery;
    }

    /** @param checkEvery how often to check */
    public void setCheckEvery(Duration checkEvery) {
        this.checkEvery = checkEvery;
    }

    /** @return the SSL bundle's name */
    public String getBundle() {
        return bundle;
    }

    /** @param bundle the SSL bundle's name */
    public void setBundle(String bundle) {
        this.bundle = bundle;
    }

    /** @return the EAB credentials */
    public Eab getEab() {
        return eab;
    }

    /** @return the health indicator's settings */
    public Health getHealth() {
        return health;
    }

    /** @return the notification settings */
    public Notify getNotify() {
        return notify;
    }

    /** @return the certificate store plugin and its settings */
    public Store getStore() {
        return store;
    }

    /** @return DNS-01's provider, its settings and the resolvers */
    public Dns getDns() {
        return dns;
    }

    /** @return the CAA check made before each order */
    public Caa getCaa() {
        return caa;
    }
}
