/**
 * Answers ACME HTTP-01 challenges: {@link dev.autocert4j.http.Http01Responder} holds the published
 * tokens and answers requests for them (on the JDK HTTP server through its handler, or on any
 * server through {@link dev.autocert4j.http.Http01Responder#answer}); {@link dev.autocert4j.http.Http01Listener}
 * serves them on a port of its own.
 */
package dev.autocert4j.http;
