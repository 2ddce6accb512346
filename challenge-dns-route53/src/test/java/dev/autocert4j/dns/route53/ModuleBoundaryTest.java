package dev.autocert4j.dns.route53;

import dev.autocert4j.testkit.ApiDump;
import dev.autocert4j.testkit.ExportedSignatures;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ModuleBoundaryTest {

    @Test
    void exportsOnlyTheFactoryWhoseSignaturesNameNoAwsType() {
        ExportedSignatures api = ExportedSignatures.ofModuleContaining(Route53ProviderFactory.class);

        assertThat(api.moduleName()).isEqualTo("dev.autocert4j.dns.route53");
        assertThat(api.exportedPackages()).containsExactly("dev.autocert4j.dns.route53");
        assertThat(api.violations("software.amazon.", "org.shredzone.", "org.bouncycastle.", "dev.autocert4j.internal"))
                .isEmpty();
    }

    @Test
    void theExportedApiIsTheOneCheckedIn() {
        ApiDump.assertUnchanged(ExportedSignatures.ofModuleContaining(Route53ProviderFactory.class),
                "autocert4j-challenge-dns-route53");
    }
}
