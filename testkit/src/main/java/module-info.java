/**
 * Test support for hosts and plugin authors: a real Pebble ACME server as a JUnit 5 extension,
 * the contract suite every {@code CertificateStore} must pass, a clock tests move by hand, real
 * test certificates, in-memory parts, and for browser tests a headless Chromium and a raw HTTP
 * client of the admin page.
 */
module dev.autocert4j.testkit {
    requires transitive dev.autocert4j;
    requires transitive org.junit.jupiter.api;
    requires transitive java.net.http;
    requires org.assertj.core;
    requires org.bouncycastle.provider;
    requires org.bouncycastle.pkix;
    // Chromium only: the test kit's users who drive a browser bring it (optional in the pom)
    requires static transitive org.seleniumhq.selenium.chrome_driver;

    exports dev.autocert4j.testkit;
}
