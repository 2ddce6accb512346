package dev.autocert4j.testkit;

import dev.autocert4j.testkit.fixture.LeakyApi;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ExportedSignaturesTest {

    @Test
    void findsEveryForeignTypeInPublicAndProtectedSignaturesAndNothingElse() {
        List<String> violations = ExportedSignatures.violations(List.of(LeakyApi.class, LeakyApi.Nested.class),
                name -> name.startsWith("org.bouncycastle."));

        assertThat(violations).containsExactly(
                "dev.autocert4j.testkit.fixture.LeakyApi#issuer() takes names org.bouncycastle.asn1.x500.X500Name",
                "dev.autocert4j.testkit.fixture.LeakyApi#names() returns names org.bouncycastle.asn1.x500.X500Name",
                "dev.autocert4j.testkit.fixture.LeakyApi#subject names org.bouncycastle.asn1.x500.X500Name",
                "dev.autocert4j.testkit.fixture.LeakyApi$Nested extends names org.bouncycastle.asn1.x500.X500Name");
    }

    @Test
    void theTestKitItselfExportsOnePackageAndNoDependencysTypes() {
        ExportedSignatures api = ExportedSignatures.ofModuleContaining(PebbleExtension.class);

        assertThat(api.moduleName()).isEqualTo("dev.autocert4j.testkit");
        assertThat(api.exportedPackages()).containsExactly("dev.autocert4j.testkit");
        assertThat(api.exportedTypes()).contains(PebbleExtension.class, CertificateStoreContract.class);
        assertThat(api.violations("org.shredzone.", "org.bouncycastle.", "org.assertj.")).isEmpty();
    }
}
