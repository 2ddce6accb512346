/**
 * autocert4j for Tomcat 11 embedded: {@link dev.autocert4j.tomcat.AcmeChallengeValve} and
 * {@link dev.autocert4j.tomcat.TomcatBindings}, which gives Tomcat its certificates as in-memory key stores
 * and replaces them live.
 */
package dev.autocert4j.tomcat;
