/**
 * Test support for hosts and plugin authors: a real Pebble ACME server as a JUnit 5 extension,
 * the contract suite every {@code CertificateStore} must pass, a clock tests move by hand, real
 * test certificates, and in-memory parts.
 */
module dev.autocert4j.testkit {
    requires transitive dev.autocert4j;
    requires transitive org.junit.jupiter.api;
    requires transitive java.net.http;
    requires org.assertj.core;
    requires org.bouncycastle.provider;
    requires org.bouncycastle.pkix;

    exports dev.autocert4j.testkit;
}
