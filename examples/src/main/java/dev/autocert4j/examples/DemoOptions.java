package dev.autocert4j.examples;

import dev.autocert4j.Binding;
import dev.autocert4j.InvalidInputException;
import dev.autocert4j.RateLimit;
import dev.autocert4j.RevocationReason;
import dev.autocert4j.dns.DnsProviders;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The demo's settings, as its command line gave them, checked together. */
final class DemoOptions {

    /** The environment variable the database password may come from, when no file gives it. */
    static final String STORE_PASSWORD_VARIABLE = "AUTOCERT4J_STORE_PASSWORD";

    /** The CA directories in the order they are tried; none: {@link DemoAuthorities#LOCAL_PEBBLE}. */
    final List<URI> acme = new ArrayList<>();
    final List<Path> acmeTrust = new ArrayList<>();
    String acmeName;
    final List<InetSocketAddress> caaResolvers = new ArrayList<>();
    final List<String> caaIdentities = new ArrayList<>();
    boolean caaCheck = true;
    final List<Binding> listen = new ArrayList<>();
    String bindAddress = "0.0.0.0";
    Binding binding;
    final List<Binding> bindings = new ArrayList<>();
    final List<String> extraNames = new ArrayList<>();
    String challenge = "http-01";
    InetSocketAddress dnsRfc2136;
    Path dnsTsigFile;
    String dnsProvider;
    Path dnsConfig;
    final List<InetSocketAddress> dnsResolvers = new ArrayList<>();
    int validationHttpPort = 80;
    int validationTlsPort = 443;
    Integer httpsPort;
    String email;
    boolean acceptTos;
    Path state = Path.of("autocert4j-state");
    Path keystorePasswordFile;
    String store;
    Path storeKeyFile;
    Path storePasswordFile;
    String nodeName;
    Duration leaseLength;
    Duration renewWithin = Duration.ofDays(21);
    Duration checkEvery = Duration.ofHours(24);
    int adminPort = 8081;
    Path adminTokenFile;
    boolean forceHttps;
    boolean hsts;
    URI onDemandAsk;
    RateLimit onDemandLimit;
    RevocationReason reason = RevocationReason.SUPERSEDED;
    /** What to run. */
    Command command = Command.RUN;
    /** The command as it was given, {@code once} or {@code --once}, for messages; {@code null} for the portal by default. */
    String commandWord;
    /** The flat one-shot flags given, such as {@code --once}: at most one is taken. */
    final List<Command> flatActions = new ArrayList<>();
    /** Whether help was asked for: {@link #text} is the help. */
    boolean help;
    /** What to print instead of running anything (help, version), or {@code null}. */
    String text;

    /** The demo's commands. */
    enum Command {
        RUN("run"), ONCE("once"), STATUS("status"), REVOKE("revoke"), ROLLOVER_ACCOUNT_KEY("rollover-account-key"),
        UNMANAGE("unmanage");

        private final String word;

        Command(String word) {
            this.word = word;
        }

        /** @return the command's name on the command line */
        String word() {
            return word;
        }

        /** @return the command of that name, if there is one */
        static java.util.Optional<Command> named(String word) {
            for (Command command : values()) {
                if (command.word.equals(word)) {
                    return java.util.Optional.of(command);
                }
            }
            return java.util.Optional.empty();
        }
    }

    /**
     * @param args the command line: a command and its options, or the flat form of earlier versions
     * @return the settings, or the help or version to print
     * @throws UsageException if it cannot be run
     */
    static DemoOptions parse(String... args) throws UsageException {
        return DemoCommandLine.parse(args);
    }

    /** Settings that print a text (help, version) and run nothing. */
    static DemoOptions printing(String text, boolean help) {
        DemoOptions options = new DemoOptions();
        options.text = text;
        options.help = help;
        return options;
    }

    /** Checks the settings together, as the demo always has; the flat form's messages name its flags. */
    DemoOptions check() throws UsageException {
        binding = bindings.isEmpty() ? null : bindings.get(0);
        for (Binding extra : bindings) {
            if (!listen.contains(extra)) {
                listen.add(extra);
            }
        }
        if ((dnsRfc2136 == null) != (dnsTsigFile == null)) {
            throw problem("--dns-rfc2136 and --dns-tsig-file go together");
        }
        if (dnsProvider != null && dnsRfc2136 != null) {
            throw problem("--dns-provider and --dns-rfc2136 exclude each other (--dns-provider rfc2136 with server and"
                    + " tsig-file in --dns-config is the same as --dns-rfc2136)");
        }
        if (dnsConfig != null && dnsProvider == null) {
            throw problem("--dns-config goes with --dns-provider NAME");
        }
        if (challenge.equals("dns-01") && dnsRfc2136 == null && dnsProvider == null) {
            throw problem("--challenge dns-01 needs --dns-provider NAME (with --dns-config F), or --dns-rfc2136"
                    + " HOST:PORT and --dns-tsig-file F");
        }
        if (dnsProvider != null) {
            checkDnsProvider();
        }
        if (flatActions.size() > 1) {
            throw problem("--once, --status, --revoke, --rollover-account-key and --unmanage exclude each other");
        }
        if (store != null && storeKeyFile == null) {
            throw problem("--store needs --store-key-file: the key that encrypts private keys in the database");
        }
        if (store == null && (storeKeyFile != null || nodeName != null || leaseLength != null || storePasswordFile != null)) {
            throw problem("--store-key-file, --store-password-file, --node-name and --lease-length go with --store");
        }
        if ((command == Command.REVOKE || command == Command.UNMANAGE) && binding == null) {
            throw problem(commandWord + " needs --binding: which certificate?");
        }
        if (command == Command.ONCE && binding != null && (email == null || !acceptTos)) {
            throw problem(commandWord + " --binding needs --email and --accept-tos to enroll it");
        }
        if (command == Command.ONCE && binding == null && (email != null || acceptTos || !extraNames.isEmpty() || httpsPort != null)) {
            throw problem(commandWord + " without --binding checks every stored certificate as it was enrolled;"
                    + " --email, --accept-tos, --extra-name and --https-port enroll one and go with --binding");
        }
        checkOnDemand();
        for (Binding b : listen) {
            if (b.isHttps()) {
                throw problem("--listen " + b + ": the demo listens on plain HTTP; give the HTTPS port with --https-port");
            }
        }
        boolean listens = command == Command.RUN || command == Command.REVOKE || (command == Command.ONCE && binding != null);
        if (listens && listen.isEmpty()) {
            throw problem("give at least one --listen binding");
        }
        return this;
    }

    /** On-demand issuance runs with the portal, behind its ask endpoint, on the HTTPS port. */
    private void checkOnDemand() throws UsageException {
        if (onDemandLimit != null && onDemandAsk == null) {
            throw problem("--on-demand-limit goes with --on-demand-ask: on-demand issuance needs its guard");
        }
        if (onDemandAsk == null) {
            return;
        }
        if (!"http".equals(onDemandAsk.getScheme()) && !"https".equals(onDemandAsk.getScheme())
                || onDemandAsk.getHost() == null) {
            throw problem("--on-demand-ask '" + onDemandAsk + "' must be an http or https URL");
        }
        if (command != Command.RUN) {
            throw problem("--on-demand-ask goes with the portal (run), not with " + commandWord);
        }
        if (httpsPort == null) {
            throw problem("--on-demand-ask needs --https-port: the port new names are served on");
        }
    }

    /** A problem with the settings; its help pointer names the command when one was given as a command. */
    /** An unknown provider, or a setting it does not read, is a usage error: exit 2 before anything runs. */
    private void checkDnsProvider() throws UsageException {
        ClassLoader loader = DemoOptions.class.getClassLoader();
        java.util.Set<String> known = DnsProviders.names(loader);
        if (!known.contains(dnsProvider)) {
            throw problem("--dns-provider '" + dnsProvider + "' is not a known DNS provider; the known ones are "
                    + String.join(", ", known));
        }
        java.util.Set<String> settings = new java.util.TreeSet<>(DnsProviders.settingsOf(dnsProvider, loader));
        settings.addAll(DnsConfigFile.SOLVER_SETTINGS);
        for (String key : DnsConfigFile.read(dnsConfig).keySet()) {
            if (!settings.contains(key)) {
                throw problem("--dns-config " + dnsConfig + ": '" + key + "' is not a setting of the " + dnsProvider
                        + " DNS provider; it reads " + String.join(", ", settings));
            }
        }
    }

    private UsageException problem(String message) {
        return new UsageException(message, commandWord == null || commandWord.startsWith("--") ? null : commandWord);
    }

    /**
     * @param text a revocation reason as the command line and the admin page write it, such as {@code key-compromise}
     * @return the reason
     * @throws InvalidInputException if it is not one
     */
    static RevocationReason reason(String text) {
        String name = text.strip().toUpperCase(Locale.ROOT).replace('-', '_');
        for (RevocationReason reason : RevocationReason.values()) {
            if (reason.name().equals(name)) {
                return reason;
            }
        }
        throw new InvalidInputException("reason", text, "is not one of superseded, key-compromise, affiliation-changed,"
                + " cessation-of-operation, unspecified");
    }

    /**
     * @param name the option, for the message
     * @param text a duration such as {@code 21d}, {@code 24h}, {@code 90m}, {@code 30s} or {@code PT24H}
     * @return the duration
     * @throws UsageException if it is not one
     */
    static Duration duration(String name, String text) throws UsageException {
        try {
            return OptionValues.duration(text);
        } catch (OptionValues.BadValue e) {
            throw new UsageException(e.forOption(name));
        }
    }
}
