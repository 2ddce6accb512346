/** {@link dev.autocert4j.servlet.AcmeChallengeFilter}: HTTP-01 in any Jakarta Servlet 6 container. */
package dev.autocert4j.servlet;
