/**
 * Test support for hosts and plugin authors. {@link dev.autocert4j.testkit.PebbleExtension} runs a
 * real Pebble ACME server for a test class; {@link dev.autocert4j.testkit.CertificateStoreContract}
 * is the behaviour every {@link dev.autocert4j.CertificateStore} must have (extend it to test your
 * own store); {@link dev.autocert4j.testkit.StorageContract} is the behaviour every
 * {@link dev.autocert4j.spi.Storage} must have, with the integrity cases of the sealed store on top
 * (extend it to test a storage plugin; {@link dev.autocert4j.testkit.InMemoryStorage} passes it);
 * {@link dev.autocert4j.testkit.MutableClock} lets tests move time instead of sleeping;
 * {@link dev.autocert4j.testkit.TestCertificates} makes real certificates without a CA; and
 * {@link dev.autocert4j.testkit.InMemoryCertificateStore},
 * {@link dev.autocert4j.testkit.RecordingBindingProvider} and
 * {@link dev.autocert4j.testkit.InMemoryChallengeSolver} stand in for the host's parts. For the
 * admin page's tests, {@link dev.autocert4j.testkit.Chromium} drives a headless Debian Chromium
 * (Selenium and axe-core are optional dependencies: add them to use it) and
 * {@link dev.autocert4j.testkit.AdminClient} speaks to the page in raw HTTP.
 */
package dev.autocert4j.testkit;
