/**
 * The admin page in a Jakarta Servlet 6 container: {@link dev.autocert4j.admin.servlet.AdminServlet}
 * and the container's login as its authenticator ({@link dev.autocert4j.admin.servlet.ServletRoleAuthenticator}).
 * Needs {@code jakarta.servlet-api} 6, which the container provides.
 */
package dev.autocert4j.admin.servlet;
