package dev.autocert4j.spring.boot;

import dev.autocert4j.admin.AdminAuthenticator;
import dev.autocert4j.admin.AdminRequest;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;

import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * Spring Security's login as the admin page's: a request is from an admin when its authentication
 * (from the security context of the request's thread) is authenticated, not anonymous, and holds
 * the configured authority.
 *
 * @since 0.2.0
 */
public final class SpringSecurityAdminAuthenticator implements AdminAuthenticator {

    private final String authority;

    /**
     * Creates the authenticator.
     *
     * @param authority the authority an admin holds, such as {@code ROLE_AUTOCERT4J_ADMIN}
     */
    public SpringSecurityAdminAuthenticator(String authority) {
        this.authority = requireNonNull(authority, "authority");
        if (authority.isBlank()) {
            throw new IllegalArgumentException("authority must not be blank");
        }
    }

    /** @return the user's name when Spring Security authenticated the user and the user holds the authority */
    @Override
    public Optional<String> authenticate(AdminRequest request) {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        if (authentication == null || !authentication.isAuthenticated()
                || authentication instanceof AnonymousAuthenticationToken) {
            return Optional.empty();
        }
        boolean holds = authentication.getAuthorities().stream()
                .anyMatch(granted -> authority.equals(granted.getAuthority()));
        return holds ? Optional.of(authentication.getName()) : Optional.empty();
    }
}
