package dev.autocert4j.admin;

import dev.autocert4j.admin.servlet.ServletRoleAuthenticator;
import jakarta.servlet.http.HttpServletRequest;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.security.Principal;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The container's login as the admin page's: only an authenticated user with the role is an admin. */
class ServletRoleAuthenticatorTest {

    private final ServletRoleAuthenticator authenticator = ServletRoleAuthenticator.requiringRole("autocert4j-admin");

    @Test
    void anAuthenticatedUserWithTheRoleIsTheAdminByName() {
        assertThat(authenticator.authenticate(request("alice", Set.of("autocert4j-admin")))).contains("alice");
    }

    @Test
    void noUserAUserWithoutTheRoleOrARequestThatDidNotComeThroughTheServletIsNoOne() {
        assertThat(authenticator.authenticate(request(null, Set.of("autocert4j-admin")))).as("no principal").isEmpty();
        assertThat(authenticator.authenticate(request("mallory", Set.of("user")))).as("another role").isEmpty();
        assertThat(authenticator.authenticate(AdminRequest.builder("GET", "/autocert4j/").build())).as("no servlet request")
                .isEmpty();
        assertThatThrownBy(() -> ServletRoleAuthenticator.requiringRole(" ")).isInstanceOf(IllegalArgumentException.class);
    }

    private static AdminRequest request(String user, Set<String> roles) {
        HttpServletRequest servletRequest = (HttpServletRequest) Proxy.newProxyInstance(
                HttpServletRequest.class.getClassLoader(), new Class<?>[]{HttpServletRequest.class},
                (proxy, method, arguments) -> switch (method.getName()) {
                    case "getUserPrincipal" -> user == null ? null : (Principal) () -> user;
                    case "isUserInRole" -> user != null && roles.contains((String) arguments[0]);
                    default -> throw new UnsupportedOperationException(method.getName());
                });
        return AdminRequest.builder("GET", "/autocert4j/").nativeRequest(servletRequest).build();
    }
}
