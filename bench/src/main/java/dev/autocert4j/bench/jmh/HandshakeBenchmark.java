package dev.autocert4j.bench.jmh;

import dev.autocert4j.IssuedCertificate;
import dev.autocert4j.testkit.TestCertificateAuthority;
import dev.autocert4j.testkit.TlsClient;
import dev.autocert4j.tls.SniKeyManager;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import java.nio.ByteBuffer;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * Full TLS 1.3 handshakes, client and server {@link SSLEngine}s in memory, so that only the
 * server's key manager differs: a static {@link SSLContext} with one certificate from a key store
 * (what a server does without autocert4j), against the {@link SniKeyManager} holding 1, 100 or
 * 10,000 certificates, each handshake asking by SNI for a name picked at random among them.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class HandshakeBenchmark {

    /** {@code static}, or {@code sni-N} for the SNI key manager with N certificates. */
    @Param({"static", "sni-1", "sni-100", "sni-10000"})
    public String server;

    private SSLContext serverContext;
    private SSLContext clientContext;
    private List<String> names;
    private final SplittableRandom random = new SplittableRandom(7);

    @Setup
    public void setUp() throws Exception {
        TestCertificateAuthority ca = new TestCertificateAuthority("Handshake benchmark CA");
        clientContext = TlsClient.sslContextTrustingAnything(); // the client only looks at the certificate
        if (server.equals("static")) {
            IssuedCertificate only = ca.issue("portal.example.com");
            KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            factory.init(only.toKeyStore("portal", "secret".toCharArray()), "secret".toCharArray());
            serverContext = SSLContext.getInstance("TLSv1.3");
            serverContext.init(factory.getKeyManagers(), null, null);
            names = List.of("portal.example.com");
            return;
        }
        int count = Integer.parseInt(server.substring("sni-".length()));
        SniKeyManager keys = new SniKeyManager();
        names = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String name = "portal-" + i + ".example.com";
            keys.put(ca.issue(name));
            names.add(name);
        }
        serverContext = keys.sslContext();
    }

    @Benchmark
    public X509Certificate handshake() throws SSLException {
        String name = names.get(random.nextInt(names.size()));
        SSLEngine client = clientContext.createSSLEngine(name, 443);
        client.setUseClientMode(true);
        SSLParameters parameters = client.getSSLParameters();
        parameters.setServerNames(List.of(new SNIHostName(name)));
        client.setSSLParameters(parameters);
        SSLEngine server = serverContext.createSSLEngine();
        server.setUseClientMode(false);
        shake(client, server);
        return (X509Certificate) client.getSession().getPeerCertificates()[0];
    }

    /** Passes records between the two engines until both have finished their handshake. */
    private static void shake(SSLEngine client, SSLEngine server) throws SSLException {
        int size = Math.max(client.getSession().getPacketBufferSize(), server.getSession().getPacketBufferSize());
        ByteBuffer toServer = ByteBuffer.allocate(size);
        ByteBuffer toClient = ByteBuffer.allocate(size);
        ByteBuffer empty = ByteBuffer.allocate(0);
        ByteBuffer sink = ByteBuffer.allocate(client.getSession().getApplicationBufferSize() * 2);
        client.beginHandshake();
        server.beginHandshake();
        for (int round = 0; round < 100; round++) {
            step(client, empty, toServer, toClient, sink);
            step(server, empty, toClient, toServer, sink);
            if (done(client) && done(server)) {
                return;
            }
        }
        throw new SSLException("the handshake did not finish in 100 rounds");
    }

    private static void step(SSLEngine engine, ByteBuffer empty, ByteBuffer out, ByteBuffer in, ByteBuffer sink)
            throws SSLException {
        SSLEngineResult.HandshakeStatus status = engine.getHandshakeStatus();
        while (status == SSLEngineResult.HandshakeStatus.NEED_TASK) {
            engine.getDelegatedTask().run();
            status = engine.getHandshakeStatus();
        }
        if (status == SSLEngineResult.HandshakeStatus.NEED_WRAP) {
            engine.wrap(empty, out);
        }
        in.flip();
        while (in.hasRemaining() && engine.getHandshakeStatus() == SSLEngineResult.HandshakeStatus.NEED_UNWRAP) {
            SSLEngineResult result = engine.unwrap(in, sink);
            sink.clear();
            while (engine.getHandshakeStatus() == SSLEngineResult.HandshakeStatus.NEED_TASK) {
                engine.getDelegatedTask().run();
            }
            if (result.getStatus() != SSLEngineResult.Status.OK) {
                break;
            }
        }
        in.compact();
    }

    private static boolean done(SSLEngine engine) {
        SSLEngineResult.HandshakeStatus status = engine.getHandshakeStatus();
        return status == SSLEngineResult.HandshakeStatus.FINISHED || status == SSLEngineResult.HandshakeStatus.NOT_HANDSHAKING;
    }
}
