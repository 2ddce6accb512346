package dev.autocert4j.jdbc;

import dev.autocert4j.testkit.ApiDump;
import dev.autocert4j.testkit.ExportedSignatures;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ModuleBoundaryTest {

    @Test
    void exportsOnePackageWhoseSignaturesNameNoDriverOrEngineType() {
        ExportedSignatures api = ExportedSignatures.ofModuleContaining(JdbcCertificateStore.class);

        assertThat(api.moduleName()).isEqualTo("dev.autocert4j.jdbc");
        assertThat(api.exportedPackages()).containsExactly("dev.autocert4j.jdbc");
        assertThat(api.exportedTypes()).contains(JdbcCertificateStore.class, JdbcCertificateStore.Builder.class, StoreKey.class)
                .doesNotContain(Database.class, LocalCopy.class, JdbcRenewalLock.class);
        assertThat(api.violations("org.postgresql.", "com.zaxxer.", "org.shredzone.", "dev.autocert4j.internal")).isEmpty();
    }

    @Test
    void theExportedApiIsTheOneCheckedIn() {
        ApiDump.assertUnchanged(ExportedSignatures.ofModuleContaining(JdbcCertificateStore.class), "autocert4j-store-jdbc");
    }
}
