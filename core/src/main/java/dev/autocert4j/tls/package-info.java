/**
 * TLS for the host's HTTPS listeners: {@link dev.autocert4j.tls.SniKeyManager} serves every
 * certificate autocert4j obtains, chosen by SNI, swapped live on renewal. Server adapters
 * (Jetty, Tomcat, Netty, Spring Boot) translate it into their server's terms.
 */
package dev.autocert4j.tls;
