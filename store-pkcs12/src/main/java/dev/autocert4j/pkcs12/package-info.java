/**
 * {@link dev.autocert4j.pkcs12.Pkcs12CertificateStore}: certificates, keys, ACME accounts and
 * enrollments in password-protected files on disk, in a documented layout that servers can also read.
 */
package dev.autocert4j.pkcs12;
