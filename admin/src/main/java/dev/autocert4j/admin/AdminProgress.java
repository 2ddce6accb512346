package dev.autocert4j.admin;

import dev.autocert4j.AutoCertListener;
import dev.autocert4j.Binding;
import dev.autocert4j.CertificateMetadata;
import dev.autocert4j.InstallResult;
import dev.autocert4j.IssuedCertificate;

import java.util.function.Consumer;

/**
 * The admin page's progress line: a listener handed to the {@code AutoCert} builder (it exists
 * before the {@code AutoCert} does) and to {@link AdminConsole.Builder#progress(AdminProgress)},
 * which turns the library's events into the stages the page shows while an action runs:
 * validating, issued and installing, installed.
 */
public final class AdminProgress implements AutoCertListener {

    private volatile Consumer<String> stages = stage -> {
    };

    /** Creates a progress listener, not yet connected to a console. */
    public AdminProgress() {
    }

    void connect(Consumer<String> stages) {
        this.stages = stages;
    }

    /** Shows that the CA is validating the domain. */
    @Override
    public void obtaining(String domain) {
        stages.accept("Validating " + domain + " and requesting the certificate…");
    }

    /** Shows that the certificate is issued and being installed. */
    @Override
    public void obtained(IssuedCertificate certificate, boolean renewal) {
        stages.accept("Issued; installing the certificate…");
    }

    /** Shows that the certificate is installed, and whether the server must restart to serve it. */
    @Override
    public void installed(CertificateMetadata metadata, Binding httpsBinding, InstallResult result) {
        stages.accept(result == InstallResult.LIVE ? "Installed." : "Installed; restart the server to serve it.");
    }
}
