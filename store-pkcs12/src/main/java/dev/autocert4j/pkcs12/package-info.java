/**
 * {@link dev.autocert4j.pkcs12.FolderStorage}: the folder under core's sealed store (chosen by the
 * name {@code folder}, which migrates a 0.2 folder once, {@link dev.autocert4j.pkcs12.Version02Migration});
 * and {@link dev.autocert4j.pkcs12.Pkcs12CertificateStore}: certificates, keys, ACME accounts and
 * enrollments in password-protected files on disk, in a documented layout that servers can also read.
 */
package dev.autocert4j.pkcs12;
