package dev.autocert4j.examples;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * The flat command lines that scripts were written against before the demo had subcommands: each
 * one still parses to the settings and the command it did, and each one that could not run still
 * cannot, with the same message. The expected values were recorded from the flat parser those
 * scripts ran on.
 */
class FlatFormsTest {

    /** Every setting as the flat parser left it when an option did not set it. */
    private static final String DEFAULTS = "acme=https://localhost:14000/dir acmeTrust=null acmeName=null listen=[] bindAddress=0.0.0.0 "
            + "binding=null bindings=[] extraNames=[] challenge=http-01 dnsRfc2136=null dnsTsigFile=null "
            + "validationPorts=80,443 httpsPort=null email=null acceptTos=false state=autocert4j-state "
            + "keystorePasswordFile=null store=null storeKeyFile=null storePasswordFile=null nodeName=null "
            + "leaseLength=null renewWithin=PT504H checkEvery=PT24H adminPort=8081 adminTokenFile=null "
            + "forceHttps=false hsts=false reason=SUPERSEDED";

    static Stream<Arguments> flatForms() {
        return Stream.of(
                form("--help",
                        "help", ""),
                form("-h",
                        "help", ""),
                form("--once --help",
                        "help", ""),
                form("--listen http://a.example.com",
                        "run", "listen=[http://a.example.com:80]"),
                form("--acme acme://letsencrypt.org/staging --acme-trust ca.pem --acme-name Staging --listen "
                        + "http://portal.example.com:8080 --listen http://www.example.com:8081 --bind-address 127.0.0.1 "
                        + "--binding http://portal.example.com:8080 --binding http://www.example.com:8081 --extra-name "
                        + "api.example.com --challenge auto --validation-ports 5002,5001 --https-port 8443 --email "
                        + "admin@example.com --accept-tos --state /var/lib/portal --keystore-password-file "
                        + "/etc/portal/ks.password --renew-within 30d --check-every 12h --admin-port 0 --admin-token-file "
                        + "/etc/portal/admin.token --force-https --hsts",
                        "run", "acme=acme://letsencrypt.org/staging acmeTrust=ca.pem acmeName=Staging "
                        + "listen=[http://portal.example.com:8080, http://www.example.com:8081] bindAddress=127.0.0.1 "
                        + "binding=http://portal.example.com:8080 bindings=[http://portal.example.com:8080, "
                        + "http://www.example.com:8081] extraNames=[api.example.com] challenge=auto validationPorts=5002,5001 "
                        + "httpsPort=8443 email=admin@example.com acceptTos=true state=/var/lib/portal "
                        + "keystorePasswordFile=/etc/portal/ks.password renewWithin=PT720H checkEvery=PT12H adminPort=0 "
                        + "adminTokenFile=/etc/portal/admin.token forceHttps=true hsts=true"),
                form("--binding http://a.example.com --challenge dns-01 --dns-rfc2136 ns1.example.com:53 --dns-tsig-file "
                        + "tsig.key --extra-name *.a.example.com --email admin@example.com --accept-tos",
                        "run", "listen=[http://a.example.com:80] binding=http://a.example.com:80 bindings=[http://a.example.com:80] "
                        + "extraNames=[*.a.example.com] challenge=dns-01 dnsRfc2136=ns1.example.com:53 dnsTsigFile=tsig.key "
                        + "email=admin@example.com acceptTos=true"),
                form("--listen http://a.example.com:8080 --challenge HTTP-01 --renew-within PT24H --check-every 90m"
                        + " --dns-rfc2136 [::1]:5353 --dns-tsig-file k --admin-port 9000",
                        "run", "listen=[http://a.example.com:8080] challenge=http-01 dnsRfc2136=0:0:0:0:0:0:0:1:5353 dnsTsigFile=k renewWithin=PT24H checkEvery=PT1H30M adminPort=9000"),
                form("--listen http://a.example.com --store jdbc:postgresql://db:5432/portal?user=portal --store-key-file "
                        + "/etc/portal/store.key --store-password-file /etc/portal/db.password --node-name node-1 "
                        + "--lease-length 5m",
                        "run", "listen=[http://a.example.com:80] store=jdbc:postgresql://db:5432/portal?user=portal "
                        + "storeKeyFile=/etc/portal/store.key storePasswordFile=/etc/portal/db.password nodeName=node-1 "
                        + "leaseLength=PT5M"),
                form("--once",
                        "once", ""),
                form("--once --state /var/lib/portal --acme https://ca.example.com/dir --renew-within 30s",
                        "once", "acme=https://ca.example.com/dir state=/var/lib/portal renewWithin=PT30S"),
                form("--once --listen http://a.example.com:5002 --bind-address 127.0.0.1 --binding "
                        + "http://a.example.com:5002 --https-port 5001 --challenge tls-alpn-01 --email admin@example.com "
                        + "--accept-tos --state s",
                        "once", "listen=[http://a.example.com:5002] bindAddress=127.0.0.1 binding=http://a.example.com:5002 "
                        + "bindings=[http://a.example.com:5002] challenge=tls-alpn-01 httpsPort=5001 email=admin@example.com "
                        + "acceptTos=true state=s"),
                form("--once --admin-port 9000 --force-https --hsts --reason unspecified --admin-token-file t",
                        "once", "adminPort=9000 adminTokenFile=t forceHttps=true hsts=true reason=UNSPECIFIED"),
                form("--state a --state b --once --once --accept-tos --accept-tos --binding http://a.example.com --email "
                        + "x@example.com",
                        "once", "listen=[http://a.example.com:80] binding=http://a.example.com:80 bindings=[http://a.example.com:80] "
                        + "email=x@example.com acceptTos=true state=b"),
                form("--status",
                        "status", ""),
                form("--status --binding http://a.example.com:8080",
                        "status", "listen=[http://a.example.com:8080] binding=http://a.example.com:8080 "
                        + "bindings=[http://a.example.com:8080]"),
                form("--status --acme https://127.0.0.1:1/dir --state /tmp/state",
                        "status", "acme=https://127.0.0.1:1/dir state=/tmp/state"),
                form("--store jdbc:postgresql://db/portal?user=portal&ssl=true --store-key-file k --store-password-file p "
                        + "--status --node-name n --lease-length PT2M",
                        "status", "store=jdbc:postgresql://db/portal?user=portal&ssl=true storeKeyFile=k storePasswordFile=p nodeName=n "
                        + "leaseLength=PT2M"),
                form("--revoke --binding http://a.example.com --reason key-compromise --listen http://a.example.com "
                        + "--bind-address 127.0.0.1",
                        "revoke", "listen=[http://a.example.com:80] bindAddress=127.0.0.1 binding=http://a.example.com:80 "
                        + "bindings=[http://a.example.com:80] reason=KEY_COMPROMISE"),
                form("--revoke --binding http://a.example.com",
                        "revoke", "listen=[http://a.example.com:80] binding=http://a.example.com:80 bindings=[http://a.example.com:80]"),
                form("--revoke --binding http://a.example.com --reason affiliation-changed",
                        "revoke", "listen=[http://a.example.com:80] binding=http://a.example.com:80 bindings=[http://a.example.com:80] "
                        + "reason=AFFILIATION_CHANGED"),
                form("--revoke --binding http://a.example.com --reason Cessation-Of-Operation",
                        "revoke", "listen=[http://a.example.com:80] binding=http://a.example.com:80 bindings=[http://a.example.com:80] "
                        + "reason=CESSATION_OF_OPERATION"),
                form("--revoke --binding http://a.example.com --reason unspecified --email a@example.com --accept-tos",
                        "revoke", "listen=[http://a.example.com:80] binding=http://a.example.com:80 bindings=[http://a.example.com:80] "
                        + "email=a@example.com acceptTos=true reason=UNSPECIFIED"),
                form("--rollover-account-key",
                        "rollover-account-key", ""),
                form("--rollover-account-key --acme https://ca.example.com/dir --acme-trust ca.pem --acme-name CA --state "
                        + "s",
                        "rollover-account-key", "acme=https://ca.example.com/dir acmeTrust=ca.pem acmeName=CA state=s"),
                form("--unmanage --binding http://a.example.com:8080",
                        "unmanage", "listen=[http://a.example.com:8080] binding=http://a.example.com:8080 "
                        + "bindings=[http://a.example.com:8080]"),
                form("--acme https://ca.example.com/dir --unmanage --binding http://a.example.com --state s",
                        "unmanage", "acme=https://ca.example.com/dir listen=[http://a.example.com:80] binding=http://a.example.com:80 "
                        + "bindings=[http://a.example.com:80] state=s"));
    }

    static Stream<Arguments> flatFormsThatExitTwo() {
        return Stream.of(
                arguments("--frobnicate",
                        "unknown option '--frobnicate'"),
                // the one message that changed: a word that is no option was "unknown option 'portal'"
                arguments("portal",
                        "unknown command 'portal'; the commands are run, once, status, revoke, rollover-account-key, unmanage"),
                arguments("--email",
                        "--email needs a value"),
                arguments("--email --accept-tos",
                        "--email needs a value"),
                arguments("--once --status",
                        "--once, --status, --revoke, --rollover-account-key and --unmanage exclude each other"),
                arguments("--revoke --unmanage --binding http://a.example.com",
                        "--once, --status, --revoke, --rollover-account-key and --unmanage exclude each other"),
                arguments("--once --https-port 70000",
                        "--https-port '70000' must be a port between 1 and 65535"),
                arguments("--listen http://a.example.com --admin-port 65536",
                        "--admin-port '65536' must be a port between 1 and 65535"),
                arguments("--listen http://a.example.com --renew-within soon",
                        "--renew-within 'soon' is not a duration like 21d, 24h, 90m or PT24H"),
                arguments("--listen http://a.example.com --check-every 0d",
                        "--check-every '0d' is not a duration like 21d, 24h, 90m or PT24H"),
                arguments("--listen ftp://a.example.com",
                        "--listen: scheme 'ftp' must be 'http' or 'https'"),
                arguments("--listen https://a.example.com",
                        "--listen https://a.example.com:443: the demo listens on plain HTTP; give the HTTPS port with "
                        + "--https-port"),
                arguments("--listen http://a.example.com --challenge dns-02",
                        "--challenge 'dns-02' must be http-01, tls-alpn-01, dns-01 or auto"),
                arguments("--listen http://a.example.com --challenge dns-01",
                        "--challenge dns-01 needs --dns-provider NAME (with --dns-config F), or --dns-rfc2136 HOST:PORT and --dns-tsig-file F"),
                arguments("--listen http://a.example.com --dns-rfc2136 ns1.example.com:53",
                        "--dns-rfc2136 and --dns-tsig-file go together"),
                arguments("--listen http://a.example.com --dns-rfc2136 ns1.example.com --dns-tsig-file k",
                        "--dns-rfc2136 'ns1.example.com' must be HOST:PORT, such as ns1.example.com:53"),
                arguments("--listen http://a.example.com --validation-ports 80",
                        "--validation-ports '80' must be HTTP,TLS such as 80,443"),
                arguments("--listen http://a.example.com --acme ht^tp://x",
                        "--acme 'ht^tp://x' is not a URI"),
                arguments("--status --store mysql://db/portal --store-key-file k",
                        "--store must be a jdbc:postgresql:// URL"),
                arguments("--status --store jdbc:postgresql://db/portal?user=portal&password=s3cr3t --store-key-file k",
                        "--store: the URL holds a password, which every user of this machine can read in the process list; "
                        + "take it out of the URL and put it in a file readable by you only, given with --store-password-file "
                        + "F, or in the environment variable AUTOCERT4J_STORE_PASSWORD"),
                arguments("--status --store jdbc:postgresql://db/portal",
                        "--store needs --store-key-file: the key that encrypts private keys in the database"),
                arguments("--status --node-name n",
                        "--store-key-file, --store-password-file, --node-name and --lease-length go with --store"),
                arguments("--revoke --listen http://a.example.com",
                        "--revoke needs --binding: which certificate?"),
                arguments("--unmanage",
                        "--unmanage needs --binding: which certificate?"),
                arguments("--revoke --binding http://a.example.com --reason boredom",
                        "--reason 'boredom' is not one of superseded, key-compromise, affiliation-changed, "
                        + "cessation-of-operation, unspecified"),
                arguments("--once --binding http://a.example.com --email a@example.com",
                        "--once --binding needs --email and --accept-tos to enroll it"),
                arguments("--once --extra-name www.example.com",
                        "--once without --binding checks every stored certificate as it was enrolled; --email, --accept-tos, "
                        + "--extra-name and --https-port enroll one and go with --binding"),
                arguments("--state s",
                        "give at least one --listen binding"));
    }

    @ParameterizedTest
    @MethodSource("flatForms")
    void aFlatFormParsesToTheSettingsAndCommandItDidBefore(String commandLine, Map<String, String> expected)
            throws Exception {
        assertThat(settings(DemoOptions.parse(commandLine.split(" ")))).isEqualTo(expected);
    }

    @ParameterizedTest
    @MethodSource("flatFormsThatExitTwo")
    void aFlatFormThatCouldNotRunStillCannotAndSaysWhy(String commandLine, String expected) {
        assertThatThrownBy(() -> DemoOptions.parse(commandLine.split(" "))).isInstanceOf(UsageException.class)
                .hasMessage(expected);
    }

    /** A command line, and the command and settings it parses to: the defaults but for those given. */
    private static Arguments form(String commandLine, String command, String changedSettings) {
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("command", command);
        if (!command.equals("help")) {
            expected.putAll(parseSettings(DEFAULTS));
            expected.putAll(parseSettings(changedSettings));
        }
        return arguments(commandLine, expected);
    }

    private static Map<String, String> parseSettings(String line) {
        Map<String, String> settings = new LinkedHashMap<>();
        for (String setting : line.isEmpty() ? new String[0] : line.split(" (?=\\w+=)")) {
            String[] nameAndValue = setting.split("=", 2);
            settings.put(nameAndValue[0], nameAndValue[1]);
        }
        return settings;
    }

    /** The command and every setting a command reads. */
    static Map<String, String> settings(DemoOptions o) {
        Map<String, String> settings = new LinkedHashMap<>();
        if (o.help) {
            settings.put("command", "help");
            return settings;
        }
        settings.put("command", o.command.word());
        // the CAs as the settings were written when --acme and --acme-trust were given once at most
        String acme = o.acme.isEmpty() ? DemoAuthorities.LOCAL_PEBBLE.toString()
                : String.join(",", o.acme.stream().map(Object::toString).toList());
        String acmeTrust = o.acmeTrust.isEmpty() ? "null"
                : String.join(",", o.acmeTrust.stream().map(Object::toString).toList());
        settings.putAll(parseSettings("acme=" + acme + " acmeTrust=" + acmeTrust + " acmeName=" + o.acmeName
                + " listen=" + o.listen + " bindAddress=" + o.bindAddress + " binding=" + o.binding
                + " bindings=" + o.bindings + " extraNames=" + o.extraNames + " challenge=" + o.challenge
                + " dnsRfc2136=" + hostAndPort(o.dnsRfc2136) + " dnsTsigFile=" + o.dnsTsigFile
                + " validationPorts=" + o.validationHttpPort + "," + o.validationTlsPort + " httpsPort=" + o.httpsPort
                + " email=" + o.email + " acceptTos=" + o.acceptTos + " state=" + o.state
                + " keystorePasswordFile=" + o.keystorePasswordFile + " store=" + o.store + " storeKeyFile=" + o.storeKeyFile
                + " storePasswordFile=" + o.storePasswordFile + " nodeName=" + o.nodeName + " leaseLength=" + o.leaseLength
                + " renewWithin=" + o.renewWithin + " checkEvery=" + o.checkEvery + " adminPort=" + o.adminPort
                + " adminTokenFile=" + o.adminTokenFile + " forceHttps=" + o.forceHttps + " hsts=" + o.hsts
                + " reason=" + o.reason));
        return settings;
    }

    private static String hostAndPort(InetSocketAddress address) {
        return address == null ? "null" : address.getHostString() + ":" + address.getPort();
    }
}
