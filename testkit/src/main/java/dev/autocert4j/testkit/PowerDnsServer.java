package dev.autocert4j.testkit;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A throwaway PowerDNS Authoritative Server for DNS-01 tests, from Debian's {@code pdns-server} and
 * {@code pdns-backend-sqlite3} (and the {@code sqlite3} tool that loads the schema): a SQLite
 * database in a temporary folder, the DNS service on port 53 of its own loopback address
 * ({@code 127.x.y.z}, as the CA asks authoritative servers on 53; PowerDNS binds any 127 address, and
 * binding 53 needs root, as CI runs), and its HTTP API with a random api-key on a free loopback port.
 * It asks nothing outside ({@code security-poll-suffix} is empty) and has no cache, so a change
 * through the API is answered at once. Zones are created through the API ({@link #createZone}).
 *
 * @since 0.2.0
 */
public final class PowerDnsServer implements AutoCloseable {

    private static final String SCHEMA = "/usr/share/pdns-backend-sqlite3/schema/schema.sqlite3.sql";

    private final Path folder;
    private final InetAddress address;
    private final int apiPort;
    private final String apiKey;
    private final Process process;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private PowerDnsServer(Path folder, InetAddress address, int apiPort, String apiKey, Process process) {
        this.folder = folder;
        this.address = address;
        this.apiPort = apiPort;
        this.apiKey = apiKey;
        this.process = process;
    }

    /**
     * @return a loopback address other than 127.0.0.1 on whose port 53 nothing listens
     * @throws IllegalStateException if none is found
     */
    public static InetAddress freeLoopbackAddress() {
        for (int attempt = 0; attempt < 50; attempt++) {
            ThreadLocalRandom random = ThreadLocalRandom.current();
            byte[] bytes = {127, (byte) random.nextInt(100, 250), (byte) random.nextInt(1, 250),
                    (byte) random.nextInt(1, 250)};
            try {
                InetAddress candidate = InetAddress.getByAddress(bytes);
                try (DatagramSocket udp = new DatagramSocket(new InetSocketAddress(candidate, 53));
                     ServerSocket tcp = new ServerSocket()) {
                    tcp.bind(new InetSocketAddress(candidate, 53));
                    return candidate;
                }
            } catch (IOException taken) {
                // another address
            }
        }
        throw new IllegalStateException("No loopback address with a free port 53: tests with PowerDNS run as root"
                + " (binding 53 needs it), and a PowerDNS or other DNS server listening on all addresses (the packaged"
                + " service: service pdns stop) takes every one");
    }

    /**
     * Starts PowerDNS on a free loopback address.
     *
     * @return the running server
     * @throws IllegalStateException if PowerDNS is not installed or does not start
     */
    public static PowerDnsServer start() {
        return start(freeLoopbackAddress());
    }

    /**
     * Starts PowerDNS on a chosen loopback address (so that a Pebble set up before it can be told where it is).
     *
     * @param address the address its DNS service listens on, port 53
     * @return the running server
     * @throws IllegalStateException if PowerDNS is not installed or does not start
     */
    public static PowerDnsServer start(InetAddress address) {
        byte[] key = new byte[24];
        new SecureRandom().nextBytes(key);
        String apiKey = HexFormat.of().formatHex(key);
        int apiPort = Ports.free();
        try {
            Path folder = Files.createTempDirectory("autocert4j-pdns-");
            Path database = folder.resolve("pdns.sqlite3");
            ToolRun.run("sqlite3", List.of("sqlite3", database.toString()), folder,
                    Files.readString(Path.of(SCHEMA), StandardCharsets.UTF_8));
            Files.writeString(folder.resolve("pdns.conf"), String.join("\n",
                    "launch=gsqlite3",
                    "gsqlite3-database=" + database,
                    "local-address=" + address.getHostAddress(),
                    "local-port=53",
                    "api=yes",
                    "api-key=" + apiKey,
                    "webserver=yes",
                    "webserver-address=127.0.0.1",
                    "webserver-port=" + apiPort,
                    "webserver-allow-from=127.0.0.0/8",
                    "guardian=no",
                    "daemon=no",
                    "disable-syslog=yes",
                    "security-poll-suffix=",
                    "socket-dir=" + folder,
                    "cache-ttl=0",
                    "negquery-cache-ttl=0",
                    "query-cache-ttl=0",
                    "zone-cache-refresh-interval=0",
                    "loglevel=4",
                    ""));
            Process process = new ProcessBuilder("pdns_server", "--config-dir=" + folder)
                    .redirectErrorStream(true).redirectOutput(folder.resolve("pdns.log").toFile()).start();
            PowerDnsServer server = new PowerDnsServer(folder, address, apiPort, apiKey, process);
            server.awaitRunning();
            return server;
        } catch (IOException e) {
            throw new IllegalStateException("Cannot start PowerDNS (apt-get install -y pdns-server pdns-backend-sqlite3"
                    + " sqlite3): " + e.getMessage(), e);
        }
    }

    /** @return where its DNS service listens: its loopback address, port 53 */
    public InetSocketAddress dnsAddress() {
        return new InetSocketAddress(address, 53);
    }

    /** @return its loopback address */
    public InetAddress address() {
        return address;
    }

    /** @return its API's base URL, without {@code /api/v1}, such as {@code http://127.0.0.1:20053} */
    public URI apiUrl() {
        return URI.create("http://127.0.0.1:" + apiPort);
    }

    /** @return the api-key its API takes */
    public String apiKey() {
        return apiKey;
    }

    /**
     * Creates a native zone with its SOA, its NS records and their addresses, and any other records.
     *
     * @param zone        the zone, such as {@code example.test}
     * @param nameServers the zone's name servers by host name (inside the zone) and IPv4 address
     * @param records     more records in zone-file form, such as {@code "@ A 127.0.0.1"} or
     *                    {@code "_acme-challenge.portal CNAME _acme-challenge.portal.other.test."}; several of one
     *                    name and type make one record set
     */
    public void createZone(String zone, Map<String, InetAddress> nameServers, List<String> records) {
        String origin = zone + ".";
        List<String> rrsets = new ArrayList<>();
        rrsets.add(rrset(origin, "SOA", List.of(nameServers.keySet().iterator().next() + ". admin." + origin
                + " 1 60 60 600 60")));
        rrsets.add(rrset(origin, "NS", nameServers.keySet().stream().map(host -> host + ".").toList()));
        nameServers.forEach((host, ip) -> rrsets.add(rrset(host + ".", "A", List.of(ip.getHostAddress()))));
        Map<List<String>, List<String>> grouped = new LinkedHashMap<>(); // records of one name and type: one RRset
        for (String record : records) {
            String[] parts = record.split(" ", 3);
            String name = "@".equals(parts[0]) ? origin : parts[0] + "." + origin;
            grouped.computeIfAbsent(List.of(name, parts[1]), key -> new ArrayList<>()).add(parts[2]);
        }
        grouped.forEach((nameAndType, contents) -> rrsets.add(rrset(nameAndType.get(0), nameAndType.get(1), contents)));
        api("POST", "/servers/localhost/zones", "{\"name\":\"" + origin + "\",\"kind\":\"Native\",\"nameservers\":[],"
                + "\"rrsets\":[" + String.join(",", rrsets) + "]}");
    }

    /**
     * Replaces the TXT values at a name through the API, as another tool would.
     *
     * @param zone   the zone
     * @param name   the full name, without a trailing dot
     * @param values the values (no quotes or backslashes in them), none to delete the name's TXT records
     */
    public void replaceTxt(String zone, String name, List<String> values) {
        String rrset = values.isEmpty()
                ? "{\"name\":\"" + name + ".\",\"type\":\"TXT\",\"changetype\":\"DELETE\"}"
                : rrset(name + ".", "TXT", values.stream().map(value -> "\"" + value + "\"").toList())
                        .replace("{\"name\"", "{\"changetype\":\"REPLACE\",\"name\"");
        api("PATCH", "/servers/localhost/zones/" + zone + ".", "{\"rrsets\":[" + rrset + "]}");
    }

    private static String rrset(String name, String type, List<String> contents) {
        List<String> records = contents.stream().map(content -> "{\"content\":\"" + content.replace("\\", "\\\\")
                .replace("\"", "\\\"") + "\",\"disabled\":false}").toList();
        return "{\"name\":\"" + name + "\",\"type\":\"" + type + "\",\"ttl\":60,\"records\":["
                + String.join(",", records) + "]}";
    }

    /**
     * Calls its API with its api-key.
     *
     * @param method the HTTP method
     * @param path   the path after {@code /api/v1}, such as {@code /servers/localhost/zones/example.test.}
     * @param json   the body, or {@code null}
     * @return the answer's body
     * @throws IllegalStateException if the answer is not a 2xx
     */
    public String api(String method, String path, String json) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(apiUrl() + "/api/v1" + path))
                .timeout(Duration.ofSeconds(10)).header("X-API-Key", apiKey).header("Content-Type", "application/json")
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8)).build();
        try {
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() / 100 != 2) {
                throw new IllegalStateException(method + " " + path + " answered " + response.statusCode() + ": "
                        + response.body());
            }
            return response.body();
        } catch (IOException e) {
            throw new IllegalStateException(method + " " + path + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted", e);
        }
    }

    /** @return what PowerDNS printed */
    public String log() {
        try {
            return Files.readString(folder.resolve("pdns.log"), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no log)";
        }
    }

    private void awaitRunning() {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("PowerDNS exited: " + log());
            }
            try {
                api("GET", "/servers/localhost", null);
                return;
            } catch (IllegalStateException notYet) {
                // its API is not up yet
            }
            try {
                process.waitFor(50, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted", e);
            }
        }
        throw new IllegalStateException("PowerDNS did not start within 20 s: " + log());
    }

    /** Stops PowerDNS and deletes its folder. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try (Stream<Path> files = Files.walk(folder)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // the system cleans temporary folders
        }
    }
}
