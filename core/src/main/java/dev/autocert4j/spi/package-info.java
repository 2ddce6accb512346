/**
 * What plugins implement and use: the service provider interface of autocert4j. It starts with
 * {@link dev.autocert4j.spi.NamedThreads}, the thread factory of the library and its plugins; the
 * plugin interfaces that live in {@code dev.autocert4j} today move here in a coming release.
 */
package dev.autocert4j.spi;
