package dev.autocert4j.http;

import dev.autocert4j.testkit.ApiDump;
import dev.autocert4j.testkit.ExportedSignatures;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ModuleBoundaryTest {

    @Test
    void exportsOnePackageWhoseSignaturesNameOnlyJdkAndAutocert4jTypes() {
        ExportedSignatures api = ExportedSignatures.ofModuleContaining(Http01Responder.class);

        assertThat(api.moduleName()).isEqualTo("dev.autocert4j.http");
        assertThat(api.exportedPackages()).containsExactly("dev.autocert4j.http");
        assertThat(api.violations("org.shredzone.", "org.bouncycastle.", "dev.autocert4j.internal")).isEmpty();
    }

    @Test
    void theExportedApiIsTheOneCheckedIn() {
        ApiDump.assertUnchanged(ExportedSignatures.ofModuleContaining(Http01Responder.class), "autocert4j-challenge-http");
    }
}
