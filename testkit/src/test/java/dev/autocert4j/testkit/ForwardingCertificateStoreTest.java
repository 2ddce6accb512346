package dev.autocert4j.testkit;

import dev.autocert4j.CertificateStore;

/** Every call, the default methods included, reaches the store behind: it passes the same contract. */
class ForwardingCertificateStoreTest extends CertificateStoreContract {

    private final InMemoryCertificateStore store = new InMemoryCertificateStore();

    @Override
    protected CertificateStore openStore() {
        return new ForwardingCertificateStore(store);
    }
}
