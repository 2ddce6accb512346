package dev.autocert4j.testkit;

import dev.autocert4j.spi.Storage;

class InMemoryStorageTest extends StorageContract {

    private final InMemoryStorage storage = new InMemoryStorage();

    @Override
    protected Storage openStorage() {
        return storage;
    }
}
