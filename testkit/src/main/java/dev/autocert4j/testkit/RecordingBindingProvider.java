package dev.autocert4j.testkit;

import dev.autocert4j.Binding;
import dev.autocert4j.InstallResult;
import dev.autocert4j.IssuedCertificate;
import dev.autocert4j.spi.BindingProvider;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** A host with fixed bindings that records what was installed where. */
public final class RecordingBindingProvider implements BindingProvider {

    private final List<Binding> bindings;
    private final Map<Binding, IssuedCertificate> installed = new ConcurrentHashMap<>();
    private volatile InstallResult result = InstallResult.LIVE;

    /**
     * @param bindings the bindings the host listens on, as URLs
     */
    public RecordingBindingProvider(String... bindings) {
        this.bindings = java.util.Arrays.stream(bindings).map(Binding::parse).toList();
    }

    @Override
    public List<Binding> bindings() {
        return bindings;
    }

    @Override
    public InstallResult install(Binding httpsBinding, IssuedCertificate certificate) {
        installed.put(httpsBinding, certificate);
        return result;
    }

    /** @param next what the next installs answer */
    public void answer(InstallResult next) {
        this.result = next;
    }

    /** @return what was installed, by HTTPS binding */
    public Map<Binding, IssuedCertificate> installed() {
        return installed;
    }

    /** Takes the binding's certificate off, if it is for these names. */
    @Override
    public void uninstall(Binding httpsBinding, List<String> names) {
        installed.computeIfPresent(httpsBinding, (binding, certificate) ->
                certificate.metadata().domain().equals(names.get(0)) ? null : certificate);
    }
}
