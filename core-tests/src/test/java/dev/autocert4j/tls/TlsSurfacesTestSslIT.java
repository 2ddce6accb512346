package dev.autocert4j.tls;

import dev.autocert4j.testkit.TestSsl;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;

/** testssl.sh's verdict on the TLS listeners of the core: what hosts get from {@link SniKeyManager#sslContext()}. */
class TlsSurfacesTestSslIT {

    @Test
    void aGuardedListenerOnTheHostsContextHasNoFindingOfMediumSeverityOrMore() throws Exception {
        SniKeyManager keys = new SniKeyManager();
        try (GuardedTlsServer server = GuardedTlsServer.builder(keys.sslContext())
                .address(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).applicationProtocols("http/1.1")
                .handler(connection -> {
                    connection.input().read(new byte[1024]);
                    connection.output().write("HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                            .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                }).start()) {
            TestSsl.assertStrong(TestSsl.scan(server.port(), TestSsl.reportFolder()));
        }
    }
}
