/**
 * Everything that speaks ACME through acme4j: the issuer, polling, the translation of acme4j's
 * failures. Not API: the only package that uses acme4j types, and not exported.
 */
package dev.autocert4j.internal.acme;
