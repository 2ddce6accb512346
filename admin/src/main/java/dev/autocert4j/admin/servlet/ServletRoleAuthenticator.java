package dev.autocert4j.admin.servlet;

import dev.autocert4j.admin.AdminAuthenticator;
import dev.autocert4j.admin.AdminRequest;
import jakarta.servlet.http.HttpServletRequest;

import java.security.Principal;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * The container's own login as the admin page's: a request is from an admin when the container has
 * authenticated its user and that user has the role. Only a request that came through
 * {@link AdminServlet} is looked at.
 */
public final class ServletRoleAuthenticator implements AdminAuthenticator {

    private final String role;

    private ServletRoleAuthenticator(String role) {
        this.role = role;
    }

    /**
     * @param role the role an admin has, such as {@code autocert4j-admin}
     * @return the authenticator
     */
    public static ServletRoleAuthenticator requiringRole(String role) {
        if (requireNonNull(role, "role").isBlank()) {
            throw new IllegalArgumentException("role must not be blank");
        }
        return new ServletRoleAuthenticator(role);
    }

    /** @return the user's name when the container authenticated the user and the user has the role */
    @Override
    public Optional<String> authenticate(AdminRequest request) {
        return request.nativeRequest(HttpServletRequest.class)
                .filter(servletRequest -> servletRequest.getUserPrincipal() != null && servletRequest.isUserInRole(role))
                .map(HttpServletRequest::getUserPrincipal).map(Principal::getName);
    }
}
