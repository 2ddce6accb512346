package dev.autocert4j.micrometer;

import dev.autocert4j.testkit.ApiDump;
import dev.autocert4j.testkit.ExportedSignatures;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ModuleBoundaryTest {

    @Test
    void exportsOnePackageWhoseSignaturesNameOnlyJdkMicrometerAndAutocert4jApiTypes() {
        ExportedSignatures api = ExportedSignatures.ofModuleContaining(AutoCertMetrics.class);

        assertThat(api.moduleName()).isEqualTo("dev.autocert4j.micrometer");
        assertThat(api.exportedPackages()).containsExactly("dev.autocert4j.micrometer");
        assertThat(api.violations("org.shredzone.", "org.bouncycastle.", "dev.autocert4j.internal")).isEmpty();
    }

    @Test
    void theExportedApiIsTheOneCheckedIn() {
        ApiDump.assertUnchanged(ExportedSignatures.ofModuleContaining(AutoCertMetrics.class), "autocert4j-micrometer");
    }
}
