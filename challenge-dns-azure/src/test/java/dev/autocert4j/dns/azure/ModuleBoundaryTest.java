package dev.autocert4j.dns.azure;

import dev.autocert4j.testkit.ApiDump;
import dev.autocert4j.testkit.ExportedSignatures;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ModuleBoundaryTest {

    @Test
    void exportsOnlyTheFactoryWhoseSignaturesNameNoAzureType() {
        ExportedSignatures api = ExportedSignatures.ofModuleContaining(AzureDnsProviderFactory.class);

        assertThat(api.moduleName()).isEqualTo("dev.autocert4j.dns.azure");
        assertThat(api.exportedPackages()).containsExactly("dev.autocert4j.dns.azure");
        assertThat(api.violations("com.azure.", "com.microsoft.", "reactor.", "org.shredzone.", "org.bouncycastle.", "dev.autocert4j.internal"))
                .isEmpty();
    }

    @Test
    void theExportedApiIsTheOneCheckedIn() {
        ApiDump.assertUnchanged(ExportedSignatures.ofModuleContaining(AzureDnsProviderFactory.class),
                "autocert4j-challenge-dns-azure");
    }
}
