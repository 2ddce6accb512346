package dev.autocert4j.bench.jmh;

import dev.autocert4j.IssuedCertificate;
import dev.autocert4j.KeyType;
import dev.autocert4j.pkcs12.Pkcs12CertificateStore;
import dev.autocert4j.testkit.TestCertificates;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.shredzone.acme4j.util.CSRBuilder;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** Micro-benchmarks of the per-certificate local work: key generation, CSR, PKCS#12 save and load. */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class CryptoBenchmark {

    /** Key generation per key type. */
    @State(Scope.Benchmark)
    public static class Keys {
        @Param({"EC_P256", "EC_P384", "RSA_2048", "RSA_3072"})
        public KeyType keyType;
    }

    /** A store folder and a certificate to save into it. */
    @State(Scope.Benchmark)
    public static class Store {
        Pkcs12CertificateStore store;
        IssuedCertificate certificate;
        KeyPair keyPair;

        @Setup(Level.Trial)
        public void setUp() throws IOException {
            Path folder = Files.createTempDirectory("bench-store");
            store = new Pkcs12CertificateStore(folder, "bench".toCharArray());
            certificate = TestCertificates.issued("store.bench.test");
            store.saveCertificate(certificate);
            keyPair = KeyType.EC_P256.generate();
        }
    }

    /** @return a new key pair of the parameter's type */
    @Benchmark
    public KeyPair generateKey(Keys keys) {
        return keys.keyType.generate();
    }

    /** @return a signed CSR for one name, as the ACME engine builds it */
    @Benchmark
    public byte[] buildCsr(Store state) throws IOException {
        CSRBuilder csr = new CSRBuilder();
        csr.addDomain("store.bench.test");
        csr.sign(state.keyPair);
        return csr.getEncoded();
    }

    /** Saves chain, key and metadata atomically (temporary file, fsync, rename). */
    @Benchmark
    public void savePkcs12(Store state) {
        state.store.saveCertificate(state.certificate);
    }

    /** @return the certificate and key, decrypted */
    @Benchmark
    public Optional<IssuedCertificate> loadPkcs12(Store state) {
        return state.store.loadCertificate("store.bench.test");
    }

    /** @return only the metadata, as a renewal check reads it */
    @Benchmark
    public Object loadMetadata(Store state) {
        return state.store.loadMetadata("store.bench.test");
    }
}
