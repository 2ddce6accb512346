package dev.autocert4j.admin;

import dev.autocert4j.testkit.ApiDump;
import dev.autocert4j.testkit.ExportedSignatures;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ModuleBoundaryTest {

    @Test
    void exportsTheConsoleAndItsMountsWhoseSignaturesNameNoEngineNorLoggingType() {
        ExportedSignatures api = ExportedSignatures.ofModuleContaining(AdminConsole.class);

        assertThat(api.moduleName()).isEqualTo("dev.autocert4j.admin");
        assertThat(api.exportedPackages()).containsExactlyInAnyOrder("dev.autocert4j.admin", "dev.autocert4j.admin.servlet",
                "dev.autocert4j.admin.netty");
        assertThat(api.violations("org.shredzone.", "org.bouncycastle.", "dev.autocert4j.internal", "org.slf4j.")).isEmpty();
    }

    @Test
    void theExportedApiIsTheOneCheckedIn() {
        ApiDump.assertUnchanged(ExportedSignatures.ofModuleContaining(AdminConsole.class), "autocert4j-admin");
    }
}
