package dev.autocert4j.spring.boot;

import dev.autocert4j.testkit.ApiDump;
import dev.autocert4j.testkit.ExportedSignatures;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The auto-configuration runs on the class path (as Spring Boot does), so all its public types are its API. */
class ModuleBoundaryTest {

    private final ExportedSignatures api = ExportedSignatures.ofLibraryContaining(AutoCertAutoConfiguration.class,
            "dev.autocert4j.spring.boot");

    @Test
    void itsPublicSignaturesNameNoAcme4jBouncyCastleOrInternalType() {
        assertThat(api.exportedPackages()).containsExactly("dev.autocert4j.spring.boot");
        assertThat(api.violations("org.shredzone.", "org.bouncycastle.", "dev.autocert4j.internal")).isEmpty();
    }

    @Test
    void itsPublicApiIsTheOneCheckedIn() {
        ApiDump.assertUnchanged(api, "autocert4j-spring-boot-autoconfigure");
    }
}
