package dev.autocert4j.bench;

import dev.autocert4j.testkit.PebbleServer;
import dev.autocert4j.testkit.PowerDnsServer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;

/**
 * Runs a PowerDNS holding the zone {@code bench.test} and a Pebble that asks it, for the DNS-01
 * benchmark, until killed: {@code DnsBenchMain <env-file>}. Writes {@code PEBBLE_DIRECTORY},
 * {@code PEBBLE_TRUST}, {@code PDNS_API_URL}, {@code PDNS_API_KEY_FILE} (owner-only) and
 * {@code PDNS_DNS} (its address, port 53) to the env file once both answer.
 */
public final class DnsBenchMain {

    private DnsBenchMain() {
    }

    /**
     * @param args the env file to write
     */
    public static void main(String[] args) throws Exception {
        PowerDnsServer pdns = PowerDnsServer.start();
        pdns.createZone("bench.test", Map.of("ns1.bench.test", pdns.address()), List.of("@ A 127.0.0.1",
                "* A 127.0.0.1"));
        PebbleServer pebble = new PebbleServer(PebbleServer.Settings.defaults().withDnsServer(pdns.dnsAddress())).start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            pebble.close();
            pdns.close();
        }));
        Path env = Path.of(args[0]);
        Path trust = env.resolveSibling("pebble-tls.pem");
        Files.copy(pebble.trustFile(), trust, StandardCopyOption.REPLACE_EXISTING);
        Path key = env.resolveSibling("pdns-api.key");
        Files.deleteIfExists(key);
        Files.createFile(key, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(key, pdns.apiKey());
        Files.writeString(env, "PEBBLE_DIRECTORY=" + pebble.directoryUri() + "\nPEBBLE_TRUST=" + trust
                + "\nPDNS_API_URL=" + pdns.apiUrl() + "\nPDNS_API_KEY_FILE=" + key
                + "\nPDNS_DNS=" + pdns.address().getHostAddress() + ":53\n");
        Thread.currentThread().join();
    }
}
