package dev.autocert4j;


import dev.autocert4j.internal.net.TrustAnything;
import dev.autocert4j.internal.net.TlsAlpnProbe;
import javax.net.ssl.SSLSocket;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Fetches {@code http://<domain>/.well-known/acme-challenge/<token>} the way a CA's validator does,
 * before the CA is asked to: every address of the name (IPv4 and IPv6) separately, redirects
 * followed up to 10 times but only to ports 80 and 443, HTTPS certificates not checked. It reports
 * exactly what would make the CA fail, so the admin can fix it without burning a failed
 * validation. Advisory by default; {@link #abortingOnFailure()} makes a failure stop the enrollment.
 * Immutable; the {@code with...} methods return copies.
 */
public final class ChallengeSelfCheck {

    /** Looks up the addresses of a name; the default asks the system resolver. */
    @FunctionalInterface
    public interface Resolver {
        /**
         * @param host the name
         * @return its IPv4 and IPv6 addresses
         * @throws UnknownHostException if it has none
         */
        List<InetAddress> resolve(String host) throws UnknownHostException;
    }

    private static final int MAX_REDIRECTS = 10;
    private static final int MAX_BODY = 4096;

    private final int port;
    private final int tlsPort;
    private final Duration timeout;
    private final Resolver resolver;
    private final boolean abortOnFailure;

    private ChallengeSelfCheck(int port, int tlsPort, Duration timeout, Resolver resolver, boolean abortOnFailure) {
        this.port = port;
        this.tlsPort = tlsPort;
        this.timeout = timeout;
        this.resolver = resolver;
        this.abortOnFailure = abortOnFailure;
    }

    /** @return a check of port 80 through the system resolver with 5-second timeouts, advisory */
    public static ChallengeSelfCheck standard() {
        return new ChallengeSelfCheck(80, 443, Duration.ofSeconds(5), host -> Arrays.asList(InetAddress.getAllByName(host)),
                false);
    }

    /**
     * @param httpPort the port the CA validates on: 80 for public CAs; test CAs may use another
     * @return a copy checking that port
     */
    public ChallengeSelfCheck withPort(int httpPort) {
        return new ChallengeSelfCheck(Binding.requirePort("httpPort", httpPort), tlsPort, timeout, resolver, abortOnFailure);
    }

    /**
     * @param tlsPort the port the CA validates TLS-ALPN-01 on: 443 for public CAs; test CAs may use another
     * @return a copy checking that port with {@link #checkTlsAlpn}
     * @since 0.2.0
     */
    public ChallengeSelfCheck withTlsPort(int tlsPort) {
        return new ChallengeSelfCheck(port, Binding.requirePort("tlsPort", tlsPort), timeout, resolver, abortOnFailure);
    }

    /**
     * @param timeout the connect and read timeout per address
     * @return a copy with that timeout
     */
    public ChallengeSelfCheck withTimeout(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new InvalidInputException("timeout", timeout.toString(), "must be positive");
        }
        return new ChallengeSelfCheck(port, tlsPort, timeout, resolver, abortOnFailure);
    }

    /**
     * @param resolver how to look up addresses
     * @return a copy using that resolver
     */
    public ChallengeSelfCheck withResolver(Resolver resolver) {
        return new ChallengeSelfCheck(port, tlsPort, timeout, Objects.requireNonNull(resolver, "resolver"), abortOnFailure);
    }

    /** @return a copy whose failure stops the enrollment with {@link SelfCheckFailedException} */
    public ChallengeSelfCheck abortingOnFailure() {
        return new ChallengeSelfCheck(port, tlsPort, timeout, resolver, true);
    }

    /** @return whether a failed check stops the enrollment */
    public boolean abortsOnFailure() {
        return abortOnFailure;
    }

    /**
     * Fetches the challenge URL from every address of the domain.
     *
     * @param domain           the DNS name
     * @param token            the published token
     * @param keyAuthorization the body the CA expects
     * @return what each address answered
     */
    public SelfCheckReport check(String domain, String token, String keyAuthorization) {
        String path = "/.well-known/acme-challenge/" + token;
        URI url = URI.create("http://" + domain + (port == 80 ? "" : ":" + port) + path);
        List<InetAddress> addresses;
        try {
            addresses = resolver.resolve(domain);
        } catch (UnknownHostException e) {
            addresses = List.of();
        }
        if (addresses.isEmpty()) {
            return new SelfCheckReport(url, List.of(), domain + " does not resolve (no A or AAAA record): the CA cannot"
                    + " find the portal. Create the DNS record for this name pointing to the server.");
        }
        List<SelfCheckReport.AddressResult> results = new ArrayList<>();
        for (InetAddress address : addresses) {
            String problem = fetch(address, new Target("http", domain, port, path), keyAuthorization, 0);
            results.add(new SelfCheckReport.AddressResult(address, problem == null, problem));
        }
        return new SelfCheckReport(url, results, null);
    }

    /**
     * Opens a TLS-ALPN-01 validation handshake to every address of a name, as a CA's validator does
     * (TLS 1.3, only the ALPN protocol {@code acme-tls/1}, SNI the name or, for an IP address, its
     * reverse name), and checks that the certificate served is the validation certificate of this
     * key authorization.
     *
     * @param name             the DNS name or IP address
     * @param keyAuthorization the key authorization of a challenge published on the TLS-ALPN-01 responder
     * @return what each address answered
     * @since 0.2.0
     */
    public SelfCheckReport checkTlsAlpn(String name, String keyAuthorization) {
        URI url = URI.create("https://" + (name.contains(":") ? "[" + name + "]" : name) + ":" + tlsPort + "/");
        List<InetAddress> addresses;
        try {
            addresses = resolver.resolve(name);
        } catch (UnknownHostException e) {
            addresses = List.of();
        }
        if (addresses.isEmpty()) {
            return new SelfCheckReport(url, List.of(), name + " does not resolve (no A or AAAA record): the CA cannot"
                    + " find the portal. Create the DNS record for this name pointing to the server.");
        }
        List<SelfCheckReport.AddressResult> results = new ArrayList<>();
        for (InetAddress address : addresses) {
            String problem = TlsAlpnProbe.problem(address, tlsPort, name, keyAuthorization, timeout);
            results.add(new SelfCheckReport.AddressResult(address, problem == null, problem));
        }
        return new SelfCheckReport(url, results, null);
    }

    private record Target(String scheme, String host, int port, String path) {
        String url() {
            boolean standard = (scheme.equals("http") && port == 80) || (scheme.equals("https") && port == 443);
            return scheme + "://" + host + (standard ? "" : ":" + port) + path;
        }
    }

    private record Response(int status, String location, String body) {
    }

    /** @return null if the address answered the key authorization, otherwise what went wrong */
    private String fetch(InetAddress address, Target target, String expected, int redirects) {
        String where = target.url() + " at " + describe(address);
        Response response;
        try {
            response = request(address, target);
        } catch (ConnectException e) {
            return "Nothing answers on port " + target.port() + " at " + describe(address) + " (connection refused):"
                    + " start the HTTP listener for " + target.host() + " on port " + target.port() + " and open the port."
                    + ipv6Hint(address);
        } catch (SocketTimeoutException e) {
            return "No answer from " + where + " within " + timeout.toMillis() + " ms: a firewall probably drops the"
                    + " traffic; open port " + target.port() + " for inbound connections." + ipv6Hint(address);
        } catch (IOException e) {
            return "Could not fetch " + where + ": " + e.getMessage() + "." + ipv6Hint(address);
        }
        if (response.status() >= 300 && response.status() < 400 && response.location() != null) {
            return followRedirect(address, target, response.location(), expected, redirects, where);
        }
        if (response.status() != 200) {
            return where + " answered HTTP " + response.status() + " instead of the key authorization: mount the challenge"
                    + " handler at /.well-known/acme-challenge/ on this server, ahead of any other handler.";
        }
        if (!response.body().strip().equals(expected)) {
            return where + " answered 200 but not the key authorization (it began with '"
                    + abbreviate(response.body()) + "'): another server or application answers this name.";
        }
        return null;
    }

    private String followRedirect(InetAddress address, Target from, String location, String expected, int redirects,
                                  String where) {
        if (redirects >= MAX_REDIRECTS) {
            return where + " redirects more than " + MAX_REDIRECTS + " times; the CA gives up.";
        }
        URI next;
        try {
            next = URI.create(from.url()).resolve(location);
        } catch (IllegalArgumentException e) {
            return where + " redirects to a malformed location '" + abbreviate(location) + "'.";
        }
        String scheme = next.getScheme() == null ? "" : next.getScheme().toLowerCase(Locale.ROOT);
        int nextPort = next.getPort() != -1 ? next.getPort() : scheme.equals("https") ? 443 : 80;
        if (!(scheme.equals("http") || scheme.equals("https")) || next.getHost() == null) {
            return where + " redirects to '" + abbreviate(location) + "', which the CA cannot follow.";
        }
        boolean allowedPort = nextPort == 80 || nextPort == 443 || (scheme.equals("http") && nextPort == port);
        if (!allowedPort) {
            return where + " redirects to " + next + ", on port " + nextPort + ": the CA follows redirects only to ports"
                    + " 80 and 443. Answer the challenge path on plain HTTP without redirecting it.";
        }
        String path = next.getRawPath() == null || next.getRawPath().isEmpty() ? "/" : next.getRawPath();
        Target target = new Target(scheme, next.getHost(), nextPort, path);
        InetAddress nextAddress = address;
        if (!next.getHost().equalsIgnoreCase(from.host())) {
            try {
                nextAddress = resolver.resolve(next.getHost()).get(0);
            } catch (UnknownHostException | IndexOutOfBoundsException e) {
                return where + " redirects to " + next + ", but " + next.getHost() + " does not resolve.";
            }
        }
        return fetch(nextAddress, target, expected, redirects + 1);
    }

    private Response request(InetAddress address, Target target) throws IOException {
        int millis = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
        try (Socket plain = new Socket()) {
            plain.connect(new InetSocketAddress(address, target.port()), millis);
            plain.setSoTimeout(millis);
            Socket socket = target.scheme().equals("https") ? startTls(plain, target) : plain;
            String host = target.host() + ((target.scheme().equals("http") && target.port() == 80)
                    || (target.scheme().equals("https") && target.port() == 443) ? "" : ":" + target.port());
            socket.getOutputStream().write(("GET " + target.path() + " HTTP/1.1\r\nHost: " + host
                    + "\r\nUser-Agent: autocert4j-self-check\r\nAccept: */*\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            return parse(socket.getInputStream());
        }
    }

    /** The CA ignores certificate validity when it follows a redirect to HTTPS; so does this check. */
    private static Socket startTls(Socket plain, Target target) throws IOException {
        SSLSocket tls = (SSLSocket) TrustAnything.sslContext().getSocketFactory()
                .createSocket(plain, target.host(), target.port(), true);
        tls.startHandshake();
        return tls;
    }

    private static Response parse(InputStream in) throws IOException {
        byte[] bytes = in.readNBytes(16384);
        String text = new String(bytes, StandardCharsets.ISO_8859_1);
        int headEnd = text.indexOf("\r\n\r\n");
        String head = headEnd < 0 ? text : text.substring(0, headEnd);
        String body = headEnd < 0 ? "" : text.substring(headEnd + 4);
        String[] lines = head.split("\r\n");
        String[] statusLine = lines[0].split(" ");
        if (statusLine.length < 2 || !statusLine[0].startsWith("HTTP/")) {
            throw new IOException("the answer is not HTTP");
        }
        String location = null;
        boolean chunked = false;
        for (String line : lines) {
            String lower = line.toLowerCase(Locale.ROOT);
            if (lower.startsWith("location:")) {
                location = line.substring("location:".length()).strip();
            } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
                chunked = true;
            }
        }
        if (chunked) {
            body = dechunked(body);
        }
        try {
            return new Response(Integer.parseInt(statusLine[1]), location, body.length() > MAX_BODY ? body.substring(0, MAX_BODY) : body);
        } catch (NumberFormatException e) {
            throw new IOException("the answer has no HTTP status");
        }
    }

    /** Joins the chunks of a body sent with {@code Transfer-Encoding: chunked}, as far as they arrived. */
    static String dechunked(String body) throws IOException {
        StringBuilder joined = new StringBuilder();
        int at = 0;
        while (at < body.length()) {
            int lineEnd = body.indexOf("\r\n", at);
            if (lineEnd < 0) {
                break;
            }
            String sizeField = body.substring(at, lineEnd);
            int extension = sizeField.indexOf(';');
            int size;
            try {
                size = Integer.parseInt((extension < 0 ? sizeField : sizeField.substring(0, extension)).strip(), 16);
            } catch (NumberFormatException e) {
                throw new IOException("the chunked answer is malformed");
            }
            if (size == 0) {
                break;
            }
            int start = lineEnd + 2;
            joined.append(body, start, Math.min(body.length(), start + size));
            at = start + size + 2;
        }
        return joined.toString();
    }

    private static String describe(InetAddress address) {
        return address instanceof Inet6Address ? "IPv6 address " + compressed(address.getHostAddress())
                : "IPv4 address " + address.getHostAddress();
    }

    /** Writes an IPv6 address the way people read it: {@code ::1}, not {@code 0:0:0:0:0:0:0:1}. */
    static String compressed(String ipv6) {
        String[] groups = ipv6.replaceFirst("%.*$", "").split(":");
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < groups.length; i++) {
            int length = 0;
            while (i + length < groups.length && groups[i + length].matches("0+")) {
                length++;
            }
            if (length > bestLength) {
                bestStart = i;
                bestLength = length;
            }
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < groups.length; i++) {
            if (i == bestStart) {
                sb.append(i == 0 ? "::" : ":");
                i += bestLength - 1;
                continue;
            }
            sb.append(groups[i].replaceFirst("^0+(?=.)", ""));
            if (i < groups.length - 1) {
                sb.append(':');
            }
        }
        return sb.toString();
    }

    private static String ipv6Hint(InetAddress address) {
        return address instanceof Inet6Address
                ? " The CA may use this IPv6 address (AAAA record): fix IPv6 routing and firewall, or remove the AAAA record."
                : "";
    }

    private static String abbreviate(String text) {
        String line = text.strip().replaceAll("\\s+", " ");
        return line.length() <= 40 ? line : line.substring(0, 40) + "…";
    }
}
