package dev.autocert4j.dns.google;

import dev.autocert4j.testkit.ApiDump;
import dev.autocert4j.testkit.ExportedSignatures;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ModuleBoundaryTest {

    @Test
    void exportsOnlyTheFactoryWhoseSignaturesNameNoGoogleType() {
        ExportedSignatures api = ExportedSignatures.ofModuleContaining(GoogleCloudDnsProviderFactory.class);

        assertThat(api.moduleName()).isEqualTo("dev.autocert4j.dns.google");
        assertThat(api.exportedPackages()).containsExactly("dev.autocert4j.dns.google");
        assertThat(api.violations("com.google.", "org.shredzone.", "org.bouncycastle.", "dev.autocert4j.internal"))
                .isEmpty();
    }

    @Test
    void theExportedApiIsTheOneCheckedIn() {
        ApiDump.assertUnchanged(ExportedSignatures.ofModuleContaining(GoogleCloudDnsProviderFactory.class),
                "autocert4j-challenge-dns-google");
    }
}
