/**
 * The API and SPI of autocert4j.
 *
 * <p>Hosts build an {@link dev.autocert4j.AutoCert}, show the admin its
 * {@link dev.autocert4j.AutoCert#bindings() bindings} and the CA's Terms of Service, and
 * {@link dev.autocert4j.AutoCert#enroll enroll} the chosen binding; at every start,
 * {@link dev.autocert4j.AutoCert#start()} resumes what was enrolled. Values such as
 * {@link dev.autocert4j.CertificateStatus} are immutable final classes that can grow without
 * breaking callers.
 *
 * <p>Plugins implement the SPI interfaces: {@link dev.autocert4j.spi.BindingProvider} (the host's
 * listeners), {@link dev.autocert4j.spi.ChallengeSolver} (answers challenges),
 * {@link dev.autocert4j.CertificateStore} (keeps accounts, certificates and enrollments),
 * {@link dev.autocert4j.spi.RenewalPolicy} (when to renew) and {@link dev.autocert4j.AutoCertListener}
 * (hears what happens). Every exception thrown on purpose is an {@link dev.autocert4j.AutoCertException}.
 */
package dev.autocert4j;
