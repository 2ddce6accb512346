package dev.autocert4j.pkcs12;

import dev.autocert4j.spi.StoreKeyFiles;
import dev.autocert4j.CertificateStore;
import dev.autocert4j.CertificateStores;
import dev.autocert4j.IssuedCertificate;
import dev.autocert4j.StoreKey;
import dev.autocert4j.spi.CertificateStoreFactory;
import dev.autocert4j.spi.NamedPlugins;
import dev.autocert4j.testkit.TestCertificates;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The folder store chosen by its name: a store key made once beside the folder, and the sealed format in it. */
class FolderStoreFactoryTest {

    @TempDir
    Path folder;

    private CertificateStore create(Map<String, String> settings) {
        return NamedPlugins.create(CertificateStoreFactory.class, "folder", settings, getClass().getClassLoader());
    }

    @Test
    void isFoundByItsNameAndMakesItsStoreKeyOnceBesideTheFolder() throws Exception {
        Path state = folder.resolve("state");
        IssuedCertificate certificate = TestCertificates.issued("portal.example.com");
        create(Map.of("folder", state.toString())).saveCertificate(certificate);

        Path keyFile = folder.resolve("store.key");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile))).isEqualTo("rw-------");
        assertThat(create(Map.of("folder", state.toString())).loadCertificate("portal.example.com")).contains(certificate);
        assertThat(new FolderStorage(state).fileOf("certificates/portal.example.com")).isRegularFile()
                .hasParent(state.resolve("certificates.d").resolve(FolderStorage.shardOf("portal.example.com")));
        assertThat(folder.resolve("store.password")).as("no 0.2 folder, so no 0.2 password is needed").doesNotExist();
    }

    @Test
    void aStoreKeyFileGivenIsTheOneUsed() {
        Path keyFile = folder.resolve("keys").resolve("cluster.key");
        StoreKey key = StoreKeyFiles.createFile(keyFile);
        Path state = folder.resolve("state");
        IssuedCertificate certificate = TestCertificates.issued("portal.example.com");

        create(Map.of("folder", state.toString(), "store-key-file", keyFile.toString())).saveCertificate(certificate);

        assertThat(CertificateStores.onStorage(new FolderStorage(state), key).loadCertificate("portal.example.com"))
                .contains(certificate);
        assertThat(folder.resolve("store.key")).doesNotExist();
    }
}
