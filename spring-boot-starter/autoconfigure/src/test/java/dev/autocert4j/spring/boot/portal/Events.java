package dev.autocert4j.spring.boot.portal;

import dev.autocert4j.AutoCertException;
import dev.autocert4j.AutoCertListener;
import dev.autocert4j.Binding;
import dev.autocert4j.InstallResult;
import dev.autocert4j.IssuedCertificate;

import java.time.Instant;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** An {@link AutoCertListener} bean that lets a test wait for what the application's autocert4j did. */
public final class Events implements AutoCertListener {

    private final BlockingQueue<IssuedCertificate> installed = new LinkedBlockingQueue<>();
    private final BlockingQueue<AutoCertException> failures = new LinkedBlockingQueue<>();

    @Override
    public void installed(IssuedCertificate certificate, Binding httpsBinding, InstallResult result) {
        installed.add(certificate);
    }

    @Override
    public void failed(String domain, AutoCertException failure, Instant nextAttempt) {
        failures.add(failure);
    }

    /** @return the next certificate installed, waiting up to a minute for it */
    public IssuedCertificate nextInstalled() throws InterruptedException {
        IssuedCertificate next = installed.poll(60, TimeUnit.SECONDS);
        if (next == null) {
            throw new AssertionError("no certificate was installed within a minute");
        }
        return next;
    }

    /** @return the next failure, waiting up to a minute for it */
    public AutoCertException nextFailure() throws InterruptedException {
        AutoCertException next = failures.poll(60, TimeUnit.SECONDS);
        if (next == null) {
            throw new AssertionError("no attempt failed within a minute");
        }
        return next;
    }
}
