package dev.autocert4j.tomcat;

import dev.autocert4j.testkit.ApiDump;
import dev.autocert4j.testkit.ExportedSignatures;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ModuleBoundaryTest {

    @Test
    void exportsOnePackageWhoseSignaturesNameOnlyJdkTomcatAndAutocert4jApiTypes() {
        ExportedSignatures api = ExportedSignatures.ofModuleContaining(TomcatBindings.class);

        assertThat(api.moduleName()).isEqualTo("dev.autocert4j.tomcat");
        assertThat(api.exportedPackages()).containsExactly("dev.autocert4j.tomcat");
        assertThat(api.violations("org.shredzone.", "org.bouncycastle.", "dev.autocert4j.internal")).isEmpty();
    }

    @Test
    void theExportedApiIsTheOneCheckedIn() {
        ApiDump.assertUnchanged(ExportedSignatures.ofModuleContaining(TomcatBindings.class), "autocert4j-tomcat");
    }
}
