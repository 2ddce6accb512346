package dev.autocert4j.bench;

import dev.autocert4j.AutoCert;
import dev.autocert4j.Binding;
import dev.autocert4j.CertificateAuthority;
import dev.autocert4j.CertificateStore;
import dev.autocert4j.InstallResult;
import dev.autocert4j.IssuedCertificate;
import dev.autocert4j.http.Http01Responder;
import dev.autocert4j.spi.BindingProvider;

import java.net.URI;
import java.util.List;

/** What the benchmarks that never reach a CA share: a builder pointed nowhere and a host that installs nothing. */
final class Offline {

    private Offline() {
    }

    /**
     * @param store the store under test
     * @param host  the bindings
     * @return a builder whose CA is never called and that asks no CA for renewal information
     */
    static AutoCert.Builder autoCert(CertificateStore store, BindingProvider host) {
        return AutoCert.builder()
                .certificateAuthority(CertificateAuthority.at(URI.create("https://127.0.0.1:9/never-called")))
                .bindingProvider(host)
                .challengeSolver(new Http01Responder())
                .certificateStore(store)
                .renewalInformation(false);
    }

    /** A host whose bindings are the benchmark's names; installing does nothing (the library is measured, not a server). */
    record DiscardingHost(List<Binding> bindings) implements BindingProvider {
        @Override
        public InstallResult install(Binding httpsBinding, IssuedCertificate certificate) {
            return InstallResult.LIVE;
        }
    }
}
