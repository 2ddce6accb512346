package dev.autocert4j.dns;

import dev.autocert4j.testkit.ApiDump;
import dev.autocert4j.testkit.ExportedSignatures;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ModuleBoundaryTest {

    @Test
    void exportsOnePackageWhoseSignaturesNameNoDnsjavaAcme4jOrInternalType() {
        ExportedSignatures api = ExportedSignatures.ofModuleContaining(Dns01Responder.class);

        assertThat(api.moduleName()).isEqualTo("dev.autocert4j.dns");
        assertThat(api.exportedPackages()).containsExactly("dev.autocert4j.dns");
        assertThat(api.violations("org.xbill.", "org.shredzone.", "org.bouncycastle.", "dev.autocert4j.internal")).isEmpty();
    }

    @Test
    void theExportedApiIsTheOneCheckedIn() {
        ApiDump.assertUnchanged(ExportedSignatures.ofModuleContaining(Dns01Responder.class), "autocert4j-challenge-dns");
    }
}
