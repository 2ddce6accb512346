package dev.autocert4j.servlet;

import dev.autocert4j.testkit.ApiDump;
import dev.autocert4j.testkit.ExportedSignatures;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ModuleBoundaryTest {

    @Test
    void exportsOnePackageWhoseSignaturesNameOnlyJdkServletAndAutocert4jApiTypes() {
        ExportedSignatures api = ExportedSignatures.ofModuleContaining(AcmeChallengeFilter.class);

        assertThat(api.moduleName()).isEqualTo("dev.autocert4j.servlet");
        assertThat(api.exportedPackages()).containsExactly("dev.autocert4j.servlet");
        assertThat(api.violations("org.shredzone.", "org.bouncycastle.", "dev.autocert4j.internal")).isEmpty();
    }

    @Test
    void theExportedApiIsTheOneCheckedIn() {
        ApiDump.assertUnchanged(ExportedSignatures.ofModuleContaining(AcmeChallengeFilter.class), "autocert4j-servlet");
    }
}
