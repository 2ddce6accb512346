package dev.autocert4j.admin;

import java.util.Optional;

/**
 * The login the admin page trusts: tells who sends a request, or that no one is logged in. Every
 * page, asset and API call of the admin page asks it first; a request it names no one for is
 * refused. The host plugs its own login in (its container's principal and role, its security
 * framework's authentication, a callback); {@link AdminTokenLogin} is the built-in one.
 *
 * <p>Implementations must be thread-safe and must not trust anything in the request a browser on
 * another site could set (the console checks CSRF tokens, {@code Origin} and {@code Host} itself).
 */
@FunctionalInterface
public interface AdminAuthenticator {

    /**
     * Identifies the admin who sent the request.
     *
     * @param request the request, as the mount read it; {@link AdminRequest#nativeRequest(Class)} gives
     *                the server's own request object where the mount passes it
     * @return the admin's name as audit lines give it, or empty if the request is not from a logged-in admin
     */
    Optional<String> authenticate(AdminRequest request);
}
