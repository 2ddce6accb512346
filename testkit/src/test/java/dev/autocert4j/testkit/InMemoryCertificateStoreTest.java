package dev.autocert4j.testkit;

import dev.autocert4j.CertificateStore;

class InMemoryCertificateStoreTest extends CertificateStoreContract {

    private final InMemoryCertificateStore store = new InMemoryCertificateStore();

    @Override
    protected CertificateStore openStore() {
        return store;
    }
}
