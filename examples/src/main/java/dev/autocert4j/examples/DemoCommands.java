package dev.autocert4j.examples;

import dev.autocert4j.Binding;
import dev.autocert4j.RateLimit;
import dev.autocert4j.RevocationReason;
import dev.autocert4j.examples.OptionValues.AdminPortValue;
import dev.autocert4j.examples.OptionValues.BindingValue;
import dev.autocert4j.examples.OptionValues.ChallengeValue;
import dev.autocert4j.examples.OptionValues.DurationValue;
import dev.autocert4j.examples.OptionValues.HostAndPortValue;
import dev.autocert4j.examples.OptionValues.PortValue;
import dev.autocert4j.examples.OptionValues.RateValue;
import dev.autocert4j.examples.OptionValues.ReasonValue;
import dev.autocert4j.examples.OptionValues.StoreUrlValue;
import dev.autocert4j.examples.OptionValues.UriValue;
import dev.autocert4j.examples.OptionValues.ValidationPortsValue;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The demo's commands and their options, in groups that each command mixes in as it needs them;
 * each group is a section of the command's help. A group holds only what was given, and puts it
 * into the {@link DemoOptions} the command runs with.
 */
final class DemoCommands {

    private DemoCommands() {
    }

    /** Options that belong together: one section of the help. */
    interface OptionGroup {
        /** @return the section's heading */
        String heading();

        /** Puts what was given into the settings. */
        void applyTo(DemoOptions options);

        /** Sets a setting to a value given on the command line; an option not given leaves it as it is. */
        static <T> void ifGiven(T value, Consumer<T> setting) {
            if (value != null) {
                setting.accept(value);
            }
        }
    }

    static final String DURATIONS = "Durations: 21d, 24h, 90m, 30s or ISO-8601 (PT24H).";

    // ---- the groups ----

    /** Which CA. */
    static final class CaOptions implements OptionGroup {
        @Option(names = "--acme", paramLabel = "URI", converter = UriValue.class, description = {
                "CA directory: acme://letsencrypt.org, acme://letsencrypt.org/staging or an https:// URL"
                        + " (default https://localhost:14000/dir, a local Pebble); repeatable: the CAs in the order"
                        + " tried, the next when one is down, rate-limits or refuses a name"})
        List<URI> acme = new ArrayList<>();
        @Option(names = "--acme-trust", paramLabel = "FILE",
                description = "PEM certificate(s) to trust for the CAs' TLS (private CAs, Pebble); repeatable,"
                        + " every file for every CA")
        List<Path> acmeTrust = new ArrayList<>();
        @Option(names = "--acme-name", paramLabel = "NAME",
                description = "the first CA's name in messages (default: Let's Encrypt or the host)")
        String acmeName;
        @Option(names = "--caa-resolver", paramLabel = "HOST:PORT", converter = HostAndPortValue.class, description =
                "a resolver for the CAA check made before each order; repeatable (default: the --dns-resolver ones,"
                        + " else the system's)")
        List<InetSocketAddress> caaResolvers = new ArrayList<>();
        @Option(names = "--caa-identity", paramLabel = "DOMAIN", description = "the domain CAA records name the CAs"
                + " by, where a CA's directory lists none (Pebble: pebble.test, say); repeatable")
        List<String> caaIdentities = new ArrayList<>();
        @Option(names = "--no-caa-check", description = "order without checking CAA records first (the CA still"
                + " checks them)")
        boolean noCaaCheck;

        @Override
        public String heading() {
            return "CA";
        }

        @Override
        public void applyTo(DemoOptions options) {
            options.acme.addAll(acme);
            options.acmeTrust.addAll(acmeTrust);
            OptionGroup.ifGiven(acmeName, value -> options.acmeName = value);
            options.caaResolvers.addAll(caaResolvers);
            options.caaIdentities.addAll(caaIdentities);
            options.caaCheck = !noCaaCheck;
        }
    }

    /** The ACME account that enrolls. */
    static final class AccountOptions implements OptionGroup {
        @Option(names = "--email", paramLabel = "ADDR", description = "registration email for the ACME account")
        String email;
        @Option(names = "--accept-tos", description = "accept the CA's Terms of Service")
        boolean acceptTos;

        @Override
        public String heading() {
            return "Account";
        }

        @Override
        public void applyTo(DemoOptions options) {
            OptionGroup.ifGiven(email, value -> options.email = value);
            options.acceptTos |= acceptTos;
        }
    }

    /** What the portal listens on and which binding gets a certificate. */
    static final class BindingOptions implements OptionGroup {
        @Option(names = "--listen", paramLabel = "URL", converter = BindingValue.class,
                description = "a binding the portal listens on, such as http://portal.example.com:80; repeatable")
        List<Binding> listen = new ArrayList<>();
        @Option(names = "--bind-address", paramLabel = "ADDR",
                description = "the address to listen on (default 0.0.0.0, all interfaces)")
        String bindAddress;
        @Option(names = "--binding", paramLabel = "URL", converter = BindingValue.class, description =
                "the binding to secure, one of --listen; repeatable: one certificate for every binding's name, the"
                        + " first naming it")
        List<Binding> bindings = new ArrayList<>();
        @Option(names = "--extra-name", paramLabel = "NAME",
                description = "a further name on the certificate, repeatable (*.example.com needs dns-01)")
        List<String> extraNames = new ArrayList<>();
        @Option(names = "--https-port", paramLabel = "N", converter = PortValue.class,
                description = "the HTTPS port to open when the binding is plain HTTP")
        Integer httpsPort;

        @Override
        public String heading() {
            return "Bindings";
        }

        @Override
        public void applyTo(DemoOptions options) {
            options.listen.addAll(listen);
            OptionGroup.ifGiven(bindAddress, value -> options.bindAddress = value);
            options.bindings.addAll(bindings);
            options.extraNames.addAll(extraNames);
            OptionGroup.ifGiven(httpsPort, value -> options.httpsPort = value);
        }
    }

    /** Which certificate a command acts on, for the commands that listen on nothing. */
    static final class CertificateChoice implements OptionGroup {
        @Option(names = "--binding", paramLabel = "URL", converter = BindingValue.class,
                description = "the binding the certificate was enrolled for")
        List<Binding> bindings = new ArrayList<>();

        @Override
        public String heading() {
            return "Certificate";
        }

        @Override
        public void applyTo(DemoOptions options) {
            options.bindings.addAll(bindings);
        }
    }

    /** How the CA validates. */
    static final class ChallengeOptions implements OptionGroup {
        @Option(names = "--challenge", paramLabel = "TYPE", converter = ChallengeValue.class, description =
                "how the CA validates: http-01 (default), tls-alpn-01 (port 443), dns-01, or auto (tries port 80,"
                        + " then 443, then DNS, and says why each failed)")
        String challenge;
        @Option(names = "--dns-rfc2136", paramLabel = "HOST:PORT", converter = HostAndPortValue.class,
                description = "for dns-01: the DNS server that takes dynamic updates (RFC 2136)")
        InetSocketAddress dnsRfc2136;
        @Option(names = "--dns-tsig-file", paramLabel = "F",
                description = "for dns-01: its TSIG key, in BIND's key-file format (tsig-keygen)")
        Path dnsTsigFile;
        @Option(names = "--dns-provider", paramLabel = "NAME", description = "for dns-01: the DNS provider by name, such"
                + " as powerdns, cloudflare, route53 or rfc2136 (its settings in --dns-config)")
        String dnsProvider;
        @Option(names = "--dns-config", paramLabel = "F", description = "for dns-01: a properties file of the provider's"
                + " settings; credentials go in files or environment variables it names (api-key-file=...), never in it")
        Path dnsConfig;
        @Option(names = "--dns-resolver", paramLabel = "HOST:PORT", converter = HostAndPortValue.class, description =
                "for dns-01: a resolver to find zones, CNAMEs and name servers with; repeatable (default: the system's)")
        List<InetSocketAddress> dnsResolvers = new ArrayList<>();
        @Option(names = "--validation-ports", paramLabel = "H,T", converter = ValidationPortsValue.class, description =
                "the ports the CA validates HTTP-01 and TLS-ALPN-01 on, for auto's tries (default 80,443; only"
                        + " test CAs differ)")
        OptionValues.ValidationPorts validationPorts;

        @Override
        public String heading() {
            return "Challenge";
        }

        @Override
        public void applyTo(DemoOptions options) {
            OptionGroup.ifGiven(challenge, value -> options.challenge = value);
            OptionGroup.ifGiven(dnsRfc2136, value -> options.dnsRfc2136 = value);
            OptionGroup.ifGiven(dnsTsigFile, value -> options.dnsTsigFile = value);
            OptionGroup.ifGiven(dnsProvider, value -> options.dnsProvider = value);
            OptionGroup.ifGiven(dnsConfig, value -> options.dnsConfig = value);
            options.dnsResolvers.addAll(dnsResolvers);
            if (validationPorts != null) {
                options.validationHttpPort = validationPorts.http();
                options.validationTlsPort = validationPorts.tls();
            }
        }
    }

    /** Where certificates and the account are kept. */
    static final class StoreOptions implements OptionGroup {
        @Option(names = "--state", paramLabel = "DIR",
                description = "where certificates and the account are kept (default: autocert4j-state in the working folder)")
        Path state;
        @Option(names = "--keystore-password-file", paramLabel = "F",
                description = "the keystore password (default: one made in DIR/keystore.password)")
        Path keystorePasswordFile;
        @Option(names = "--store", paramLabel = "URL", converter = StoreUrlValue.class, description =
                "keep everything in PostgreSQL instead, shared by the nodes of a cluster:"
                        + " jdbc:postgresql://HOST:PORT/DB?user=U (a local copy stays in DIR); never a password in it"
                        + " (every local user can read a command line)")
        String store;
        @Option(names = "--store-password-file", paramLabel = "F", description =
                "with --store: the database password, in a file readable by you only (else the environment variable "
                        + DemoOptions.STORE_PASSWORD_VARIABLE + ")")
        Path storePasswordFile;
        @Option(names = "--store-key-file", paramLabel = "F", description =
                "with --store: the key that encrypts private keys (made if missing; every node needs the same file)")
        Path storeKeyFile;

        @Override
        public String heading() {
            return "Store";
        }

        @Override
        public void applyTo(DemoOptions options) {
            OptionGroup.ifGiven(state, value -> options.state = value);
            OptionGroup.ifGiven(keystorePasswordFile, value -> options.keystorePasswordFile = value);
            OptionGroup.ifGiven(store, value -> options.store = value);
            OptionGroup.ifGiven(storePasswordFile, value -> options.storePasswordFile = value);
            OptionGroup.ifGiven(storeKeyFile, value -> options.storeKeyFile = value);
        }
    }

    /** The nodes that share a --store. */
    static final class ClusterOptions implements OptionGroup {
        @Option(names = "--node-name", paramLabel = "NAME",
                description = "with --store: this node's name in locks and status (default host-pid)")
        String nodeName;
        @Option(names = "--lease-length", paramLabel = "DURATION", converter = DurationValue.class,
                description = "with --store: how long a crashed node can hold a renewal (default 2m)")
        Duration leaseLength;

        @Override
        public String heading() {
            return "Cluster";
        }

        @Override
        public void applyTo(DemoOptions options) {
            OptionGroup.ifGiven(nodeName, value -> options.nodeName = value);
            OptionGroup.ifGiven(leaseLength, value -> options.leaseLength = value);
        }
    }

    /** When to renew. */
    static final class RenewalOptions implements OptionGroup {
        @Option(names = "--renew-within", paramLabel = "DURATION", converter = DurationValue.class,
                description = "renew when the certificate expires within this (default 21d)")
        Duration renewWithin;
        @Option(names = "--check-every", paramLabel = "DURATION", converter = DurationValue.class,
                description = "how often to check (default 24h)")
        Duration checkEvery;

        @Override
        public String heading() {
            return "Renewal";
        }

        @Override
        public void applyTo(DemoOptions options) {
            OptionGroup.ifGiven(renewWithin, value -> options.renewWithin = value);
            OptionGroup.ifGiven(checkEvery, value -> options.checkEvery = value);
        }
    }

    /** How the portal serves once it has a certificate. */
    static final class PortalOptions implements OptionGroup {
        @Option(names = "--force-https", description = "redirect plain HTTP to HTTPS once a certificate is installed")
        boolean forceHttps;
        @Option(names = "--hsts", description = "send Strict-Transport-Security on HTTPS responses")
        boolean hsts;

        @Override
        public String heading() {
            return "HTTPS";
        }

        @Override
        public void applyTo(DemoOptions options) {
            options.forceHttps |= forceHttps;
            options.hsts |= hsts;
        }
    }

    /** Certificates for new names at their first handshake, behind the host's guard. */
    static final class OnDemandOptions implements OptionGroup {
        @Option(names = "--on-demand-ask", paramLabel = "URL", converter = UriValue.class, description =
                "obtain a certificate at the first handshake for a new name when GET URL?domain=NAME answers 2xx"
                        + " (anything else, a redirect or 10 s without answer refuses); served on --https-port")
        URI ask;
        @Option(names = "--on-demand-limit", paramLabel = "N/PERIOD", converter = RateValue.class,
                description = "with --on-demand-ask: at most N new names per period (default 10/1m)")
        RateLimit limit;

        @Override
        public String heading() {
            return "On demand";
        }

        @Override
        public void applyTo(DemoOptions options) {
            OptionGroup.ifGiven(ask, value -> options.onDemandAsk = value);
            OptionGroup.ifGiven(limit, value -> options.onDemandLimit = value);
        }
    }

    /** The admin page. */
    static final class AdminOptions implements OptionGroup {
        @Option(names = "--admin-port", paramLabel = "N", converter = AdminPortValue.class,
                description = "port of the admin page on 127.0.0.1 (default 8081; 0 = none)")
        Integer adminPort;
        @Option(names = "--admin-token-file", paramLabel = "F", description =
                "the admin page's login token, readable by you only (default: generated in DIR/admin.token at the"
                        + " first start)")
        Path adminTokenFile;

        @Override
        public String heading() {
            return "Admin";
        }

        @Override
        public void applyTo(DemoOptions options) {
            OptionGroup.ifGiven(adminPort, value -> options.adminPort = value);
            OptionGroup.ifGiven(adminTokenFile, value -> options.adminTokenFile = value);
        }
    }

    /** Why a certificate is revoked. */
    static final class RevocationOptions implements OptionGroup {
        @Option(names = "--reason", paramLabel = "REASON", converter = ReasonValue.class, description =
                "superseded (default), key-compromise, affiliation-changed, cessation-of-operation, unspecified")
        RevocationReason reason;

        @Override
        public String heading() {
            return "Revocation";
        }

        @Override
        public void applyTo(DemoOptions options) {
            OptionGroup.ifGiven(reason, value -> options.reason = value);
        }
    }

    /**
     * The one-shot commands as flags, as the demo took them before it had commands: {@code --once}
     * is {@code once}, and so on. Hidden from the help, and taken only without a command.
     */
    static final class FlatActions implements OptionGroup {
        @Option(names = "--once", hidden = true)
        boolean once;
        @Option(names = "--status", hidden = true)
        boolean status;
        @Option(names = "--revoke", hidden = true)
        boolean revoke;
        @Option(names = "--rollover-account-key", hidden = true)
        boolean rolloverAccountKey;
        @Option(names = "--unmanage", hidden = true)
        boolean unmanage;
        @Option(names = "--reason", hidden = true, converter = ReasonValue.class)
        RevocationReason reason;

        @Override
        public String heading() {
            return "";
        }

        @Override
        public void applyTo(DemoOptions options) {
            if (once) {
                options.flatActions.add(DemoOptions.Command.ONCE);
            }
            if (status) {
                options.flatActions.add(DemoOptions.Command.STATUS);
            }
            if (revoke) {
                options.flatActions.add(DemoOptions.Command.REVOKE);
            }
            if (rolloverAccountKey) {
                options.flatActions.add(DemoOptions.Command.ROLLOVER_ACCOUNT_KEY);
            }
            if (unmanage) {
                options.flatActions.add(DemoOptions.Command.UNMANAGE);
            }
            OptionGroup.ifGiven(reason, value -> options.reason = value);
        }
    }

    /** Help and version, for the demo as a whole. */
    static final class DemoHelp implements OptionGroup {
        @Option(names = {"-h", "--help"}, usageHelp = true, description = "this text; COMMAND --help: that command's")
        boolean help;
        @Option(names = "--version", versionHelp = true, description = "the demo's version")
        boolean version;

        @Override
        public String heading() {
            return "Other";
        }

        @Override
        public void applyTo(DemoOptions options) {
            // printed before any settings are read
        }
    }

    /** Help for one command. */
    static final class CommandHelp implements OptionGroup {
        @Option(names = {"-h", "--help"}, usageHelp = true, description = "this command's options")
        boolean help;

        @Override
        public String heading() {
            return "Other";
        }

        @Override
        public void applyTo(DemoOptions options) {
            // printed before any settings are read
        }
    }

    // ---- the commands ----

    /**
     * Without a command: the portal, with every option it takes; the flat one-shot flags still work.
     * Its commands are added by {@link DemoCommandLine#create()}.
     */
    @Command(name = DemoCommandLine.NAME, customSynopsis = DemoCommandLine.NAME + " [COMMAND] [OPTIONS]",
            commandListHeading = "%nCommands:%n", versionProvider = DemoCommandLine.Version.class,
            description = {"Runs a small portal that gets and renews its HTTPS certificate from an ACME CA, or, with a"
                    + " command, does one thing for scripts and exits.", "Without a command it runs the portal (run)."},
            footer = {"", "The flags --once, --status, --revoke, --rollover-account-key and --unmanage of earlier"
                    + " versions still work, as the commands of the same name.", DURATIONS,
                    "Exit codes: 0 done, 1 the CA or the store failed (once: a certificate is not valid or due),"
                            + " 2 bad options."})
    static final class Demo {
        @Mixin CaOptions ca;
        @Mixin AccountOptions account;
        @Mixin BindingOptions bindings;
        @Mixin ChallengeOptions challenge;
        @Mixin StoreOptions store;
        @Mixin ClusterOptions cluster;
        @Mixin RenewalOptions renewal;
        @Mixin PortalOptions portal;
        @Mixin OnDemandOptions onDemand;
        @Mixin AdminOptions admin;
        @Mixin FlatActions flatActions;
        @Mixin DemoHelp help;
    }

    @Command(name = "run", description = "Runs the portal: listens on the bindings, gets and renews the certificate,"
            + " serves HTTPS and the admin page, until Ctrl-C. The default command.",
            footer = {"", DURATIONS, "Exit codes: 0 stopped, 1 the CA or the store failed, 2 bad options."})
    static final class Run {
        @Mixin CaOptions ca;
        @Mixin AccountOptions account;
        @Mixin BindingOptions bindings;
        @Mixin ChallengeOptions challenge;
        @Mixin StoreOptions store;
        @Mixin ClusterOptions cluster;
        @Mixin RenewalOptions renewal;
        @Mixin PortalOptions portal;
        @Mixin OnDemandOptions onDemand;
        @Mixin AdminOptions admin;
        @Mixin CommandHelp help;
    }

    @Command(name = "once", description = {"Checks every stored certificate (with --binding: that one, enrolled if"
            + " new): obtains what is missing, renews what is due or expired, prints each status as a JSON line.",
            "Exits 0 only if all are valid and not due, else 1."},
            footer = {"", DURATIONS, "Exit codes: 0 all valid and not due, 1 one is not (or the CA or the store"
                    + " failed), 2 bad options."})
    static final class Once {
        @Mixin CaOptions ca;
        @Mixin AccountOptions account;
        @Mixin BindingOptions bindings;
        @Mixin ChallengeOptions challenge;
        @Mixin StoreOptions store;
        @Mixin ClusterOptions cluster;
        @Mixin RenewalOptions renewal;
        @Mixin CommandHelp help;
    }

    @Command(name = "status", description = "Prints a certificate's status as JSON from the store, without network.",
            footer = {"", DURATIONS, "Exit codes: 0 printed, 1 the store failed or holds several certificates and"
                    + " --binding is missing, 2 bad options."})
    static final class Status {
        @Mixin CertificateChoice certificate;
        @Mixin StoreOptions store;
        @Mixin ClusterOptions cluster;
        @Mixin CommandHelp help;
    }

    @Command(name = "revoke", description = "Puts a new certificate in place for --binding, revokes the old one,"
            + " prints the status as JSON.",
            footer = {"", DURATIONS, "Exit codes: 0 revoked, 1 the CA or the store failed, 2 bad options."})
    static final class Revoke {
        @Mixin CaOptions ca;
        @Mixin AccountOptions account;
        @Mixin BindingOptions bindings;
        @Mixin ChallengeOptions challenge;
        @Mixin StoreOptions store;
        @Mixin ClusterOptions cluster;
        @Mixin RevocationOptions revocation;
        @Mixin CommandHelp help;
    }

    @Command(name = "rollover-account-key", description = "Gives the ACME account a new key (same account URL),"
            + " prints the account as JSON.",
            footer = {"", DURATIONS, "Exit codes: 0 rolled over, 1 the CA or the store failed, 2 bad options."})
    static final class RolloverAccountKey {
        @Mixin CaOptions ca;
        @Mixin StoreOptions store;
        @Mixin ClusterOptions cluster;
        @Mixin CommandHelp help;
    }

    @Command(name = "unmanage", description = "Stops renewing the --binding's certificate; the certificate stays in the"
            + " store.",
            footer = {"", DURATIONS, "Exit codes: 0 done, 1 the store failed, 2 bad options."})
    static final class Unmanage {
        @Mixin CaOptions ca;
        @Mixin CertificateChoice certificate;
        @Mixin StoreOptions store;
        @Mixin ClusterOptions cluster;
        @Mixin CommandHelp help;
    }
}
