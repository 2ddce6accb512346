package dev.autocert4j.examples;

import dev.autocert4j.AutoCertException;
import dev.autocert4j.Binding;
import dev.autocert4j.InvalidInputException;
import dev.autocert4j.RateLimit;
import dev.autocert4j.RevocationReason;
import dev.autocert4j.jdbc.JdbcStoreFactory;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;

/**
 * The demo's option values, read and checked: each converter turns the text after an option into
 * its value or says what is wrong with it, in words that follow the option's name.
 */
final class OptionValues {

    private OptionValues() {
    }

    /** A value that cannot be taken; the message follows the option's name, as in {@code --https-port 'x' must be...}. */
    static final class BadValue extends TypeConversionException {
        private static final long serialVersionUID = 1L;

        private final String afterName;

        BadValue(String afterName) {
            super(afterName);
            this.afterName = afterName;
        }

        /** @return the whole message for the option {@code name} */
        String forOption(String name) {
            return name + afterName;
        }
    }

    /** The CA's directory URI. */
    static final class UriValue implements ITypeConverter<URI> {
        @Override
        public URI convert(String text) {
            try {
                return URI.create(text);
            } catch (IllegalArgumentException e) {
                throw new BadValue(" '" + text + "' is not a URI");
            }
        }
    }

    /** A binding URL such as {@code http://portal.example.com:80}. */
    static final class BindingValue implements ITypeConverter<Binding> {
        @Override
        public Binding convert(String text) {
            try {
                return Binding.parse(text);
            } catch (AutoCertException e) {
                throw new BadValue(": " + e.getMessage());
            }
        }
    }

    /** A TCP port, 1 to 65535. */
    static final class PortValue implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String text) {
            return port(text);
        }
    }

    /** The admin page's port: a port, or 0 for no admin page. */
    static final class AdminPortValue implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String text) {
            return text.equals("0") ? 0 : port(text);
        }
    }

    /** How the CA validates: {@code http-01}, {@code tls-alpn-01}, {@code dns-01} or {@code auto}, in any case. */
    static final class ChallengeValue implements ITypeConverter<String> {
        @Override
        public String convert(String text) {
            String type = text.strip().toLowerCase(Locale.ROOT);
            if (!List.of("http-01", "tls-alpn-01", "dns-01", "auto").contains(type)) {
                throw new BadValue(" '" + text + "' must be http-01, tls-alpn-01, dns-01 or auto");
            }
            return type;
        }
    }

    /** {@code HOST:PORT}, the host in brackets if it is an IPv6 address. */
    static final class HostAndPortValue implements ITypeConverter<InetSocketAddress> {
        @Override
        public InetSocketAddress convert(String text) {
            int colon = text.lastIndexOf(':');
            if (colon <= 0) {
                throw new BadValue(" '" + text + "' must be HOST:PORT, such as ns1.example.com:53");
            }
            String host = text.substring(0, colon);
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            }
            return new InetSocketAddress(host, port(text.substring(colon + 1)));
        }
    }

    /** The ports the CA validates HTTP-01 and TLS-ALPN-01 on. */
    record ValidationPorts(int http, int tls) {
    }

    /** The ports the CA validates HTTP-01 and TLS-ALPN-01 on: {@code HTTP,TLS}. */
    static final class ValidationPortsValue implements ITypeConverter<ValidationPorts> {
        @Override
        public ValidationPorts convert(String text) {
            String[] parts = text.split(",");
            if (parts.length != 2) {
                throw new BadValue(" '" + text + "' must be HTTP,TLS such as 80,443");
            }
            return new ValidationPorts(port(parts[0].strip()), port(parts[1].strip()));
        }
    }

    /** A duration: {@code 21d}, {@code 24h}, {@code 90m} or {@code 30s}, more than zero, or ISO-8601 such as {@code PT24H}. */
    static final class DurationValue implements ITypeConverter<Duration> {
        @Override
        public Duration convert(String text) {
            return duration(text);
        }
    }

    /** A limit such as {@code 10/1m}: at most N per period (a duration, as {@link DurationValue} reads). */
    static final class RateValue implements ITypeConverter<RateLimit> {
        @Override
        public RateLimit convert(String text) {
            int slash = text.indexOf('/');
            try {
                if (slash > 0) {
                    int count = Integer.parseInt(text.substring(0, slash).strip());
                    if (count >= 1) {
                        return RateLimit.of(count, duration(text.substring(slash + 1)));
                    }
                }
            } catch (NumberFormatException | BadValue e) {
                // reported below
            }
            throw new BadValue(" '" + text + "' must be N/PERIOD such as 10/1m: at most N, at least 1, per period");
        }
    }

    /** A revocation reason as the command line writes it, such as {@code key-compromise}. */
    static final class ReasonValue implements ITypeConverter<RevocationReason> {
        @Override
        public RevocationReason convert(String text) {
            try {
                return DemoOptions.reason(text);
            } catch (InvalidInputException e) {
                throw new BadValue(" " + e.getMessage().substring("reason ".length()));
            }
        }
    }

    /**
     * The database: only PostgreSQL, and never with a password in the URL, since a command line is
     * there for every local user to read ({@code ps}). The URL is never echoed.
     */
    static final class StoreUrlValue implements ITypeConverter<String> {
        @Override
        public String convert(String text) {
            if (!text.startsWith("jdbc:postgresql://")) {
                throw new BadValue(" must be a jdbc:postgresql:// URL");
            }
            if (JdbcStoreFactory.holdsPassword(text)) {
                throw new BadValue(": the URL holds a password, which every user of this machine can read in the process"
                        + " list; take it out of the URL and put it in a file readable by you only, given with"
                        + " --store-password-file F, or in the environment variable " + DemoOptions.STORE_PASSWORD_VARIABLE);
            }
            return text;
        }
    }

    static int port(String text) {
        try {
            int port = Integer.parseInt(text);
            if (port >= 1 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new BadValue(" '" + text + "' must be a port between 1 and 65535");
    }

    static Duration duration(String text) {
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
        throw new BadValue(" '" + text + "' is not a duration like 21d, 24h, 90m or PT24H");
    }
}
