/**
 * autocert4j for Jetty 12 (core API, so it serves ee10 and every other environment too):
 * {@link dev.autocert4j.jetty.AcmeChallengeHandler} and {@link dev.autocert4j.jetty.JettyBindings}.
 */
package dev.autocert4j.jetty;
