package dev.autocert4j.pkcs12;

import dev.autocert4j.CertificateStore;
import dev.autocert4j.InvalidInputException;
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
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The PKCS#12 store chosen by its name, as the demo's --store and Spring Boot's properties do. */
class Pkcs12StoreFactoryTest {

    @TempDir
    Path folder;

    @Test
    void isFoundByItsNameAndKeepsItsPasswordInAnOwnerOnlyFile() throws Exception {
        Path certificates = folder.resolve("certificates");
        Path passwordFile = folder.resolve("secrets").resolve("store.password");

        CertificateStore store = NamedPlugins.create(CertificateStoreFactory.class, "pkcs12",
                Map.of("folder", certificates.toString(), "password-file", passwordFile.toString()),
                getClass().getClassLoader());
        store.saveCertificate(TestCertificates.issued("portal.example.com"));

        assertThat(store).isInstanceOf(Pkcs12CertificateStore.class);
        assertThat(store.loadCertificate("portal.example.com")).isPresent();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(passwordFile))).isEqualTo("rw-------");
    }

    @Test
    void withoutAPasswordFileItKeepsOneBesideTheFolder() {
        Path certificates = folder.resolve("certificates");

        NamedPlugins.create(CertificateStoreFactory.class, "pkcs12", Map.of("folder", certificates.toString()),
                getClass().getClassLoader()).saveCertificate(TestCertificates.issued("portal.example.com"));

        assertThat(folder.resolve("store.password")).isRegularFile();
    }

    @Test
    void theFolderIsRequiredAndAnUnknownSettingIsRefused() {
        assertThatThrownBy(() -> NamedPlugins.create(CertificateStoreFactory.class, "pkcs12", Map.of(),
                getClass().getClassLoader())).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("folder").hasMessageContaining("is required by the pkcs12 plugin");
        assertThatThrownBy(() -> NamedPlugins.create(CertificateStoreFactory.class, "pkcs12",
                Map.of("folder", folder.toString(), "password", "secret"), getClass().getClassLoader()))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("it reads folder, password-file")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("secret"));
    }
}
