package dev.autocert4j.jetty;

import dev.autocert4j.testkit.ApiDump;
import dev.autocert4j.testkit.ExportedSignatures;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ModuleBoundaryTest {

    @Test
    void exportsOnePackageWhoseSignaturesNameOnlyJdkJettyAndAutocert4jApiTypes() {
        ExportedSignatures api = ExportedSignatures.ofModuleContaining(JettyBindings.class);

        assertThat(api.moduleName()).isEqualTo("dev.autocert4j.jetty");
        assertThat(api.exportedPackages()).containsExactly("dev.autocert4j.jetty");
        assertThat(api.violations("org.shredzone.", "org.bouncycastle.", "dev.autocert4j.internal")).isEmpty();
    }

    @Test
    void theExportedApiIsTheOneCheckedIn() {
        ApiDump.assertUnchanged(ExportedSignatures.ofModuleContaining(JettyBindings.class), "autocert4j-jetty");
    }
}
