package dev.autocert4j.testkit;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * HAProxy in front of several servers, round-robin over plain HTTP, as a cluster's load balancer:
 * for tests where the CA's validation requests must reach whichever node the balancer picks.
 * Servers are health-checked every half second and a request for one that is down goes to
 * another, as in production. It uses Debian's {@code haproxy} package; {@link #requestsPerServer()}
 * reads its statistics.
 *
 * @since 0.2.0
 */
public final class LoadBalancer implements AutoCloseable {

    private final Process process;
    private final Path folder;
    private final int statsPort;
    private final List<InetSocketAddress> servers;

    private LoadBalancer(Process process, Path folder, int statsPort, List<InetSocketAddress> servers) {
        this.process = process;
        this.folder = folder;
        this.statsPort = statsPort;
        this.servers = servers;
    }

    /**
     * Starts HAProxy and waits until it accepts connections.
     *
     * @param port    the port it listens on at 127.0.0.1
     * @param servers the servers behind it, taken in turn
     * @return the running balancer
     * @throws IllegalStateException if HAProxy is not installed or does not start
     */
    public static LoadBalancer start(int port, List<InetSocketAddress> servers) {
        return start(port, servers, Duration.ZERO);
    }

    /**
     * Starts HAProxy holding each request for a while before passing it on, as a slow network
     * would: it gives a test time to act while a validation is under way.
     *
     * @param port    the port it listens on at 127.0.0.1
     * @param servers the servers behind it, taken in turn
     * @param delay   how long each request waits
     * @return the running balancer
     */
    public static LoadBalancer start(int port, List<InetSocketAddress> servers, Duration delay) {
        try {
            Path folder = Files.createTempDirectory("autocert4j-haproxy-");
            int statsPort = Ports.free();
            boolean delaying = !delay.isZero();
            if (delaying) {
                Files.writeString(folder.resolve("delay.lua"), "core.register_action(\"hold\", { \"http-req\" },"
                        + " function(txn) core.msleep(" + delay.toMillis() + ") end)\n");
            }
            StringBuilder config = new StringBuilder(String.join("\n",
                    "global",
                    "  maxconn 256",
                    delaying ? "  lua-load " + folder.resolve("delay.lua") : "",
                    "defaults",
                    "  mode http",
                    "  timeout connect 2s",
                    "  timeout client 10s",
                    "  timeout server 10s",
                    "frontend cluster",
                    "  bind 127.0.0.1:" + port,
                    delaying ? "  http-request lua.hold" : "",
                    "  default_backend nodes",
                    "frontend statistics",
                    "  bind 127.0.0.1:" + statsPort,
                    "  stats enable",
                    "  stats uri /stats",
                    "backend nodes",
                    "  balance roundrobin",
                    "  option redispatch", // a request for a server that is down goes to another
                    "  retries 2",
                    ""));
            for (int i = 0; i < servers.size(); i++) {
                InetSocketAddress server = servers.get(i);
                config.append("  server node").append(i + 1).append(' ').append(server.getHostString()).append(':')
                        .append(server.getPort()).append(" check inter 500ms fall 1 rise 1\n");
            }
            Path file = folder.resolve("haproxy.cfg");
            Files.writeString(file, config.toString());
            Process process = new ProcessBuilder("haproxy", "-db", "-f", file.toString()).redirectErrorStream(true)
                    .redirectOutput(folder.resolve("haproxy.log").toFile()).start();
            LoadBalancer balancer = new LoadBalancer(process, folder, statsPort, List.copyOf(servers));
            balancer.awaitPort(port);
            return balancer;
        } catch (IOException e) {
            throw new IllegalStateException("Cannot start HAProxy (apt-get install -y haproxy): " + e.getMessage(), e);
        }
    }

    /**
     * @return how many requests each server got so far, by its address, in the configured order
     */
    public Map<InetSocketAddress, Long> requestsPerServer() {
        try {
            HttpResponse<String> csv = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + statsPort + "/stats;csv")).build(), HttpResponse.BodyHandlers.ofString());
            Map<InetSocketAddress, Long> requests = new LinkedHashMap<>();
            for (String line : csv.body().split("\n")) {
                String[] fields = line.split(",", -1);
                if (fields.length > 7 && fields[0].equals("nodes") && fields[1].startsWith("node")) {
                    int index = Integer.parseInt(fields[1].substring("node".length())) - 1;
                    requests.put(servers.get(index), Long.parseLong(fields[7])); // stot: sessions in total
                }
            }
            return requests;
        } catch (IOException e) {
            throw new IllegalStateException("Cannot read HAProxy's statistics: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted", e);
        }
    }

    /** @return what HAProxy printed */
    public String log() {
        try {
            return Files.readString(folder.resolve("haproxy.log"), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no log)";
        }
    }

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
    }

    private void awaitPort(int port) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("HAProxy exited: " + log());
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
                return;
            } catch (IOException e) {
                try {
                    process.waitFor(50, TimeUnit.MILLISECONDS);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("Interrupted", interrupted);
                }
            }
        }
        throw new IllegalStateException("HAProxy did not open port " + port + ": " + log());
    }

}
