/**
 * The admin page in a Netty 4.2 HTTP pipeline: {@link dev.autocert4j.admin.netty.AdminNettyHandler}.
 * Needs {@code netty-codec-http} and {@code netty-handler}, which the host already has.
 */
package dev.autocert4j.admin.netty;
