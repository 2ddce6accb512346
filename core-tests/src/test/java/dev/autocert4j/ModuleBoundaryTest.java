package dev.autocert4j;

import dev.autocert4j.spi.BindingProvider;
import dev.autocert4j.spi.RenewalPolicy;
import dev.autocert4j.testkit.ApiDump;
import dev.autocert4j.testkit.ExportedSignatures;
import dev.autocert4j.testkit.PackageGraph;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.pkix.PKIXIdentity;
import org.jose4j.jws.JsonWebSignature;
import org.junit.jupiter.api.Test;
import org.shredzone.acme4j.Session;
import org.slf4j.LoggerFactory;

import java.lang.module.Configuration;
import java.lang.module.ModuleFinder;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** core's module boundary: what it exports, what its exported signatures name, and that it resolves as a module. */
class ModuleBoundaryTest {

    @Test
    void onlyTheApiPackagesAreExportedAndTheyNameNoAcme4jOrBouncyCastleType() {
        ExportedSignatures api = ExportedSignatures.ofModuleContaining(AutoCert.class);

        assertThat(api.moduleName()).isEqualTo("dev.autocert4j");
        assertThat(api.exportedPackages()).containsExactly("dev.autocert4j", "dev.autocert4j.notify", "dev.autocert4j.spi", "dev.autocert4j.tls");
        assertThat(api.exportedTypes()).contains(AutoCert.class, CertificateStore.class, CertificateStatus.Builder.class);
        assertThat(api.violations("org.shredzone.", "org.bouncycastle.", "org.jose4j.", "org.slf4j.")).isEmpty();
    }

    @Test
    void noExportedSignatureNamesAnUnexportedType() {
        ExportedSignatures api = ExportedSignatures.ofModuleContaining(AutoCert.class);

        assertThat(api.violations("dev.autocert4j.internal.")).isEmpty();
    }

    /**
     * The packages form a hierarchy: API and SPI values at the bottom, the engine above them, the
     * facade's wiring on top. {@code AutoCert} and its builder are the composition root, the one
     * place that names the engine's packages. The types deprecated for removal that keep a 0.1 name
     * working ({@code ReloadingKeyManager} over {@code tls}, {@code BindingProvider} and
     * {@code RenewalPolicy} over {@code spi}) bridge upwards until 1.0 removes them.
     */
    @Test
    @SuppressWarnings("removal")
    void noPackageCycleBelowTheCompositionRoot() {
        PackageGraph graph = PackageGraph.ofLibraryContaining(AutoCert.class, "dev.autocert4j");

        assertThat(graph.withoutReferencesFrom(AutoCert.class, CertificateStores.class, ReloadingKeyManager.class,
                dev.autocert4j.BindingProvider.class, dev.autocert4j.RenewalPolicy.class).cycles()).isEmpty();
        assertThat(graph.classesNaming(AutoCert.class)).as("nothing below the root names the facade").isEmpty();
    }

    @Test
    void theCycleCheckSeesTheFacadeWiringTheEngine() {
        PackageGraph graph = PackageGraph.ofLibraryContaining(AutoCert.class, "dev.autocert4j");

        assertThat(graph.cycles()).as("with the composition root counted, the facade and the engine use each other")
                .anySatisfy(cycle -> assertThat(cycle).anyMatch(edge -> edge.startsWith("dev.autocert4j -> dev.autocert4j.internal")));
    }

    @Test
    void resolvesOnAModulePathWithItsDependenciesAndHidesTheEngine() throws Exception {
        ModuleFinder finder = ModuleFinder.of(locationOf(AutoCert.class), locationOf(Session.class),
                locationOf(BouncyCastleProvider.class), locationOf(PKIXIdentity.class),
                locationOf(org.bouncycastle.asn1.cmc.BodyPartID.class), locationOf(LoggerFactory.class),
                locationOf(JsonWebSignature.class));
        Configuration configuration = ModuleLayer.boot().configuration()
                .resolve(finder, ModuleFinder.of(), Set.of("dev.autocert4j"));
        ModuleLayer layer = ModuleLayer.boot().defineModulesWithOneLoader(configuration, ClassLoader.getPlatformClassLoader());

        Module core = layer.findModule("dev.autocert4j").orElseThrow();
        assertThat(core.isExported("dev.autocert4j")).isTrue();
        assertThat(core.isExported("dev.autocert4j.tls")).isTrue();
        assertThat(core.isExported("dev.autocert4j.notify")).isTrue();
        assertThat(core.isExported("dev.autocert4j.internal")).isFalse();
        assertThat(core.isExported("dev.autocert4j.internal.acme")).isFalse();
        assertThat(core.isExported("dev.autocert4j.internal.storage")).isFalse();
        assertThat(core.getDescriptor().uses()).contains(BindingProvider.class.getName(),
                CertificateStore.class.getName(), ChallengeResponder.class.getName(), RenewalPolicy.class.getName());
        Class<?> builder = layer.findLoader("dev.autocert4j").loadClass("dev.autocert4j.AutoCert");
        assertThat(builder.getModule()).isSameAs(core);
    }

    private static Path locationOf(Class<?> type) throws URISyntaxException {
        return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    @Test
    void thePluginInterfacesThatMovedAreInTheSpiPackageAndTheirOldNamesStillWork() {
        assertThat(List.of(BindingProvider.class, RenewalPolicy.class))
                .allMatch(type -> type.getPackageName().equals("dev.autocert4j.spi"));
        assertThat(BindingProvider.class).isAssignableFrom(dev.autocert4j.BindingProvider.class);
        assertThat(RenewalPolicy.class).isAssignableFrom(dev.autocert4j.RenewalPolicy.class);
    }

    @Test
    void theExportedApiIsTheOneCheckedIn() {
        ApiDump.assertUnchanged(ExportedSignatures.ofModuleContaining(AutoCert.class), "autocert4j-core");
    }
}
