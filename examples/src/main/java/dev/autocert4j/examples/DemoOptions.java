package dev.autocert4j.examples;

import dev.autocert4j.AutoCertException;
import dev.autocert4j.Binding;
import dev.autocert4j.InvalidInputException;
import dev.autocert4j.RevocationReason;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The demo's command line, parsed and checked. */
final class DemoOptions {

    /** The environment variable the database password may come from, when no file gives it. */
    static final String STORE_PASSWORD_VARIABLE = "AUTOCERT4J_STORE_PASSWORD";

    static final String USAGE = String.join("\n",
            "Usage: java -jar autocert4j-demo.jar [options]",
            "",
            "Runs a small portal that gets and renews its HTTPS certificate from an ACME CA.",
            "",
            "  --acme URI                 CA directory: acme://letsencrypt.org, acme://letsencrypt.org/staging",
            "                             or an https:// URL (default https://localhost:14000/dir, a local Pebble)",
            "  --acme-trust FILE          PEM certificate(s) to trust for the CA's TLS (private CAs, Pebble)",
            "  --acme-name NAME           the CA's name in messages (default: Let's Encrypt or the host)",
            "  --listen URL               a binding the portal listens on, repeatable (http://portal.example.com:80)",
            "  --bind-address ADDR        the address to listen on (default 0.0.0.0, all interfaces)",
            "  --binding URL              the binding to secure, one of --listen; repeatable: one certificate for",
            "                             every binding's name, the first naming it",
            "  --extra-name NAME          a further name on the certificate, repeatable (*.example.com needs dns-01)",
            "  --challenge TYPE           how the CA validates: http-01 (default), tls-alpn-01 (port 443), dns-01,",
            "                             or auto (tries port 80, then 443, then DNS, and says why each failed)",
            "  --dns-rfc2136 HOST:PORT    for dns-01: the DNS server that takes dynamic updates (RFC 2136)",
            "  --dns-tsig-file F          for dns-01: its TSIG key, in BIND's key-file format (tsig-keygen)",
            "  --validation-ports H,T     the ports the CA validates HTTP-01 and TLS-ALPN-01 on, for auto's tries",
            "                             (default 80,443; only test CAs differ)",
            "  --https-port N             the HTTPS port to open when the binding is plain HTTP",
            "  --email ADDR               registration email for the ACME account",
            "  --accept-tos               accept the CA's Terms of Service",
            "  --state DIR                where certificates and the account are kept (default ./autocert4j-state)",
            "  --keystore-password-file F the keystore password (default: generated in DIR/keystore.password)",
            "  --store URL                keep everything in PostgreSQL instead, shared by the nodes of a cluster:",
            "                             jdbc:postgresql://HOST:PORT/DB?user=U (a local copy stays in DIR); never a",
            "                             password in it (every local user can read a command line)",
            "  --store-password-file F    with --store: the database password, in a file readable by you only",
            "                             (else the environment variable " + STORE_PASSWORD_VARIABLE + ")",
            "  --store-key-file F         with --store: the key that encrypts private keys (made if missing;",
            "                             every node needs the same file)",
            "  --node-name NAME           with --store: this node's name in locks and status (default host-pid)",
            "  --lease-length DURATION    with --store: how long a crashed node can hold a renewal (default 2m)",
            "  --renew-within DURATION    renew when the certificate expires within this (default 21d)",
            "  --check-every DURATION     how often to check (default 24h)",
            "  --admin-port N             port of the admin page on 127.0.0.1 (default 8081; 0 = none)",
            "  --admin-token-file F       the admin page's login token, readable by you only (default: generated",
            "                             in DIR/admin.token at the first start)",
            "  --force-https              redirect plain HTTP to HTTPS once a certificate is installed",
            "  --hsts                     send Strict-Transport-Security on HTTPS responses",
            "  --once                     check every stored certificate (with --binding: that one, enrolled if",
            "                             new): obtain what is missing, renew what is due or expired, print each",
            "                             status as a JSON line, exit 0 only if all are valid and not due, else 1",
            "  --status                   print the status as JSON from --state, without network, exit",
            "  --revoke                   put a new certificate in place, revoke the old one, print the status, exit",
            "  --reason REASON            why, with --revoke: superseded (default), key-compromise,",
            "                             affiliation-changed, cessation-of-operation, unspecified",
            "  --rollover-account-key     give the ACME account a new key (same account URL), exit",
            "  --unmanage                 stop renewing the --binding's certificate (kept in --state), exit",
            "  --help                     this text",
            "",
            "Durations: 21d, 24h, 90m, 30s or ISO-8601 (PT24H).");

    URI acme = URI.create("https://localhost:14000/dir");
    Path acmeTrust;
    String acmeName;
    final List<Binding> listen = new ArrayList<>();
    String bindAddress = "0.0.0.0";
    Binding binding;
    final List<Binding> bindings = new ArrayList<>();
    final List<String> extraNames = new ArrayList<>();
    String challenge = "http-01";
    InetSocketAddress dnsRfc2136;
    Path dnsTsigFile;
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
    boolean once;
    boolean status;
    boolean revoke;
    RevocationReason reason = RevocationReason.SUPERSEDED;
    boolean rolloverAccountKey;
    boolean unmanage;
    boolean help;

    static DemoOptions parse(String... args) throws UsageException {
        DemoOptions options = new DemoOptions();
        for (int i = 0; i < args.length; i++) {
            String name = args[i];
            switch (name) {
                case "--acme" -> options.acme = uri(name, value(args, ++i, name));
                case "--acme-trust" -> options.acmeTrust = Path.of(value(args, ++i, name));
                case "--acme-name" -> options.acmeName = value(args, ++i, name);
                case "--listen" -> options.listen.add(binding(name, value(args, ++i, name)));
                case "--bind-address" -> options.bindAddress = value(args, ++i, name);
                case "--binding" -> options.bindings.add(binding(name, value(args, ++i, name)));
                case "--extra-name" -> options.extraNames.add(value(args, ++i, name));
                case "--challenge" -> options.challenge = challenge(value(args, ++i, name));
                case "--dns-rfc2136" -> options.dnsRfc2136 = hostAndPort(name, value(args, ++i, name));
                case "--dns-tsig-file" -> options.dnsTsigFile = Path.of(value(args, ++i, name));
                case "--validation-ports" -> options.validationPorts(value(args, ++i, name));
                case "--https-port" -> options.httpsPort = port(name, value(args, ++i, name));
                case "--email" -> options.email = value(args, ++i, name);
                case "--accept-tos" -> options.acceptTos = true;
                case "--state" -> options.state = Path.of(value(args, ++i, name));
                case "--keystore-password-file" -> options.keystorePasswordFile = Path.of(value(args, ++i, name));
                case "--store" -> options.store = storeUrl(value(args, ++i, name));
                case "--store-key-file" -> options.storeKeyFile = Path.of(value(args, ++i, name));
                case "--store-password-file" -> options.storePasswordFile = Path.of(value(args, ++i, name));
                case "--node-name" -> options.nodeName = value(args, ++i, name);
                case "--lease-length" -> options.leaseLength = duration(name, value(args, ++i, name));
                case "--renew-within" -> options.renewWithin = duration(name, value(args, ++i, name));
                case "--check-every" -> options.checkEvery = duration(name, value(args, ++i, name));
                case "--admin-port" -> options.adminPort = adminPort(value(args, ++i, name));
                case "--admin-token-file" -> options.adminTokenFile = Path.of(value(args, ++i, name));
                case "--force-https" -> options.forceHttps = true;
                case "--hsts" -> options.hsts = true;
                case "--once" -> options.once = true;
                case "--status" -> options.status = true;
                case "--revoke" -> options.revoke = true;
                case "--reason" -> options.reason = reasonOption(value(args, ++i, name));
                case "--rollover-account-key" -> options.rolloverAccountKey = true;
                case "--unmanage" -> options.unmanage = true;
                case "--help", "-h" -> options.help = true;
                default -> throw new UsageException("unknown option '" + name + "'");
            }
        }
        options.check();
        return options;
    }

    private void check() throws UsageException {
        if (help) {
            return;
        }
        binding = bindings.isEmpty() ? null : bindings.get(0);
        for (Binding extra : bindings) {
            if (!listen.contains(extra)) {
                listen.add(extra);
            }
        }
        if ((dnsRfc2136 == null) != (dnsTsigFile == null)) {
            throw new UsageException("--dns-rfc2136 and --dns-tsig-file go together");
        }
        if (challenge.equals("dns-01") && dnsRfc2136 == null) {
            throw new UsageException("--challenge dns-01 needs --dns-rfc2136 HOST:PORT and --dns-tsig-file F");
        }
        long actions = java.util.stream.Stream.of(once, status, revoke, rolloverAccountKey, unmanage).filter(b -> b).count();
        if (actions > 1) {
            throw new UsageException("--once, --status, --revoke, --rollover-account-key and --unmanage exclude each other");
        }
        if (store != null && storeKeyFile == null) {
            throw new UsageException("--store needs --store-key-file: the key that encrypts private keys in the database");
        }
        if (store == null && (storeKeyFile != null || nodeName != null || leaseLength != null || storePasswordFile != null)) {
            throw new UsageException("--store-key-file, --store-password-file, --node-name and --lease-length go with --store");
        }
        if ((revoke || unmanage) && binding == null) {
            throw new UsageException((revoke ? "--revoke" : "--unmanage") + " needs --binding: which certificate?");
        }
        if (once && binding != null && (email == null || !acceptTos)) {
            throw new UsageException("--once --binding needs --email and --accept-tos to enroll it");
        }
        if (once && binding == null && (email != null || acceptTos || !extraNames.isEmpty() || httpsPort != null)) {
            throw new UsageException("--once without --binding checks every stored certificate as it was enrolled;"
                    + " --email, --accept-tos, --extra-name and --https-port enroll one and go with --binding");
        }
        for (Binding b : listen) {
            if (b.isHttps()) {
                throw new UsageException("--listen " + b + ": the demo listens on plain HTTP; give the HTTPS port with --https-port");
            }
        }
        if (!status && !rolloverAccountKey && !unmanage && !(once && binding == null) && listen.isEmpty()) {
            throw new UsageException("give at least one --listen binding");
        }
    }

    private static String value(String[] args, int index, String name) throws UsageException {
        if (index >= args.length || args[index].startsWith("--")) {
            throw new UsageException(name + " needs a value");
        }
        return args[index];
    }

    private static URI uri(String name, String text) throws UsageException {
        try {
            return URI.create(text);
        } catch (IllegalArgumentException e) {
            throw new UsageException(name + " '" + text + "' is not a URI");
        }
    }

    private static Binding binding(String name, String text) throws UsageException {
        try {
            return Binding.parse(text);
        } catch (AutoCertException e) {
            throw new UsageException(name + ": " + e.getMessage());
        }
    }

    private static int port(String name, String text) throws UsageException {
        try {
            int port = Integer.parseInt(text);
            if (port >= 1 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new UsageException(name + " '" + text + "' must be a port between 1 and 65535");
    }

    /**
     * Only PostgreSQL is supported, and never with a password in the URL: a command line is there
     * for every local user to read ({@code ps}). The URL is never echoed.
     */
    private static String storeUrl(String text) throws UsageException {
        if (!text.startsWith("jdbc:postgresql://")) {
            throw new UsageException("--store must be a jdbc:postgresql:// URL");
        }
        if (holdsPassword(text)) {
            throw new UsageException("--store: the URL holds a password, which every user of this machine can read in"
                    + " the process list; take it out of the URL and put it in a file readable by you only, given with"
                    + " --store-password-file F, or in the environment variable " + STORE_PASSWORD_VARIABLE);
        }
        return text;
    }

    /** Whether a JDBC URL carries a password: {@code user:secret@host}, or a parameter such as {@code password=} or {@code sslpassword=}. */
    private static boolean holdsPassword(String url) {
        String rest = url.substring("jdbc:postgresql://".length());
        int query = rest.indexOf('?');
        String hostAndDatabase = query < 0 ? rest : rest.substring(0, query);
        if (hostAndDatabase.contains("@")) {
            return true;
        }
        if (query < 0) {
            return false;
        }
        for (String parameter : rest.substring(query + 1).split("&")) {
            String name = parameter.split("=", 2)[0];
            try {
                name = java.net.URLDecoder.decode(name, java.nio.charset.StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                return true; // not readable: refuse rather than guess
            }
            if (name.toLowerCase(Locale.ROOT).contains("password")) {
                return true;
            }
        }
        return false;
    }

    private static String challenge(String text) throws UsageException {
        String type = text.strip().toLowerCase(Locale.ROOT);
        if (!List.of("http-01", "tls-alpn-01", "dns-01", "auto").contains(type)) {
            throw new UsageException("--challenge '" + text + "' must be http-01, tls-alpn-01, dns-01 or auto");
        }
        return type;
    }

    private static InetSocketAddress hostAndPort(String name, String text) throws UsageException {
        int colon = text.lastIndexOf(':');
        if (colon <= 0) {
            throw new UsageException(name + " '" + text + "' must be HOST:PORT, such as ns1.example.com:53");
        }
        String host = text.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        return new InetSocketAddress(host, port(name, text.substring(colon + 1)));
    }

    private void validationPorts(String text) throws UsageException {
        String[] parts = text.split(",");
        if (parts.length != 2) {
            throw new UsageException("--validation-ports '" + text + "' must be HTTP,TLS such as 80,443");
        }
        validationHttpPort = port("--validation-ports", parts[0].strip());
        validationTlsPort = port("--validation-ports", parts[1].strip());
    }

    private static int adminPort(String text) throws UsageException {
        return text.equals("0") ? 0 : port("--admin-port", text);
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

    private static RevocationReason reasonOption(String text) throws UsageException {
        try {
            return reason(text);
        } catch (InvalidInputException e) {
            throw new UsageException("--reason " + e.getMessage().substring("reason ".length()));
        }
    }

    static Duration duration(String name, String text) throws UsageException {
        String t = text.strip().toLowerCase(Locale.ROOT);
        try {
            if (t.startsWith("p")) {
                return Duration.parse(t.toUpperCase(Locale.ROOT));
            }
            long amount = Long.parseLong(t.substring(0, t.length() - 1));
            Duration d = switch (t.charAt(t.length() - 1)) {
                case 'd' -> Duration.ofDays(amount);
                case 'h' -> Duration.ofHours(amount);
                case 'm' -> Duration.ofMinutes(amount);
                case 's' -> Duration.ofSeconds(amount);
                default -> null;
            };
            if (d != null && !d.isNegative() && !d.isZero()) {
                return d;
            }
        } catch (NumberFormatException | DateTimeParseException | StringIndexOutOfBoundsException e) {
            // reported below
        }
        throw new UsageException(name + " '" + text + "' is not a duration like 21d, 24h, 90m or PT24H");
    }
}
