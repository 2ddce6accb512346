package dev.autocert4j.testkit;

import dev.autocert4j.CertificateStore;
import dev.autocert4j.CertificateStores;
import dev.autocert4j.StoreKey;

/** The certificate store core keeps on top of a storage keeps the contract of every certificate store. */
class CertificateStoreOnStorageTest extends CertificateStoreContract {

    private static final StoreKey KEY = StoreKey.generate();
    private final InMemoryStorage storage = new InMemoryStorage();

    @Override
    protected CertificateStore openStore() {
        return CertificateStores.onStorage(storage, KEY);
    }
}
