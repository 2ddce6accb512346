package dev.autocert4j.pkcs12;

import dev.autocert4j.testkit.ApiDump;
import dev.autocert4j.testkit.ExportedSignatures;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ModuleBoundaryTest {

    @Test
    void exportsOnePackageWhoseSignaturesNameNoBouncyCastleType() {
        ExportedSignatures api = ExportedSignatures.ofModuleContaining(Pkcs12CertificateStore.class);

        assertThat(api.moduleName()).isEqualTo("dev.autocert4j.pkcs12");
        assertThat(api.exportedPackages()).containsExactly("dev.autocert4j.pkcs12");
        assertThat(api.violations("org.shredzone.", "org.bouncycastle.", "dev.autocert4j.internal")).isEmpty();
    }

    @Test
    void theExportedApiIsTheOneCheckedIn() {
        ApiDump.assertUnchanged(ExportedSignatures.ofModuleContaining(Pkcs12CertificateStore.class), "autocert4j-store-pkcs12");
    }
}
