package dev.autocert4j.netty;

import dev.autocert4j.testkit.ApiDump;
import dev.autocert4j.testkit.ExportedSignatures;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ModuleBoundaryTest {

    @Test
    void exportsOnePackageWhoseSignaturesNameOnlyJdkNettyAndAutocert4jApiTypes() {
        ExportedSignatures api = ExportedSignatures.ofModuleContaining(NettyBindings.class);

        assertThat(api.moduleName()).isEqualTo("dev.autocert4j.netty");
        assertThat(api.exportedPackages()).containsExactly("dev.autocert4j.netty");
        assertThat(api.violations("org.shredzone.", "org.bouncycastle.", "dev.autocert4j.internal")).isEmpty();
    }

    @Test
    void theExportedApiIsTheOneCheckedIn() {
        ApiDump.assertUnchanged(ExportedSignatures.ofModuleContaining(NettyBindings.class), "autocert4j-netty");
    }
}
