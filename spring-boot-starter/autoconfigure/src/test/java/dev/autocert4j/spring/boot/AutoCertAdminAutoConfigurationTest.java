package dev.autocert4j.spring.boot;

import dev.autocert4j.AutoCert;
import dev.autocert4j.admin.AdminAuthenticator;
import dev.autocert4j.admin.AdminConsole;
import dev.autocert4j.admin.AdminProgress;
import dev.autocert4j.admin.AdminRequest;
import dev.autocert4j.admin.AdminTokenLogin;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.core.context.SecurityContextHolder;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.assertj.core.api.Assertions.assertThat;

/** The admin page's auto-configuration: mounted only when asked, behind Spring Security's login or the admin token. */
class AutoCertAdminAutoConfigurationTest {

    @TempDir
    Path state;

    private WebApplicationContextRunner runner() {
        return new WebApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class, AutoCertAutoConfiguration.class,
                        AutoCertAdminAutoConfiguration.class))
                .withPropertyValues("autocert4j.enabled=true", "autocert4j.domains=portal.example.com",
                        "autocert4j.email=admin@example.com", "autocert4j.accept-terms-of-service=true",
                        "server.port=443", "autocert4j.state-dir=" + state);
    }

    @AfterEach
    void clearSecurityContext() {
        SecurityContextHolder.clearContext();
    }

    @Test
    void nothingIsMountedUntilAsked() {
        runner().run(context -> assertThat(context).hasNotFailed().hasSingleBean(AutoCert.class)
                .doesNotHaveBean(AdminConsole.class).doesNotHaveBean(ServletRegistrationBean.class));
    }

    @Test
    void withSpringSecurityTheAdminIsAUserHoldingTheConfiguredAuthority() {
        runner().withPropertyValues("autocert4j.admin.enabled=true", "autocert4j.admin.authority=ROLE_PORTAL_ADMIN")
                .run(context -> {
                    assertThat(context).hasNotFailed().hasSingleBean(AdminConsole.class).hasSingleBean(AdminProgress.class);
                    assertThat(context.getBean(AdminAuthenticator.class)).isInstanceOf(SpringSecurityAdminAuthenticator.class);
                    assertThat(context.getBean(ServletRegistrationBean.class).getUrlMappings())
                            .containsExactlyInAnyOrder("/autocert4j", "/autocert4j/*");
                    assertThat(state.resolve(AdminTokenLogin.FILE_NAME)).as("no token with Spring Security").doesNotExist();

                    AdminAuthenticator authenticator = context.getBean(AdminAuthenticator.class);
                    AdminRequest request = AdminRequest.builder("GET", "/autocert4j/").build();
                    assertThat(authenticator.authenticate(request)).as("no one logged in").isEmpty();
                    SecurityContextHolder.getContext().setAuthentication(UsernamePasswordAuthenticationToken.authenticated(
                            "bob", "n/a", AuthorityUtils.createAuthorityList("ROLE_USER")));
                    assertThat(authenticator.authenticate(request)).as("without the authority").isEmpty();
                    SecurityContextHolder.getContext().setAuthentication(new AnonymousAuthenticationToken("key",
                            "anonymousUser", AuthorityUtils.createAuthorityList("ROLE_PORTAL_ADMIN")));
                    assertThat(authenticator.authenticate(request)).as("anonymous").isEmpty();
                    SecurityContextHolder.getContext().setAuthentication(UsernamePasswordAuthenticationToken.authenticated(
                            "alice", "n/a", AuthorityUtils.createAuthorityList("ROLE_PORTAL_ADMIN")));
                    assertThat(authenticator.authenticate(request)).contains("alice");
                });
    }

    @Test
    void withoutSpringSecurityTheAdminTokenIsMadeOwnerOnlyInTheStateFolder() {
        runner().withPropertyValues("autocert4j.admin.enabled=true", "autocert4j.admin.path=/ops/certificates")
                .withClassLoader(new FilteredClassLoader(SecurityContextHolder.class))
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context.getBean(AdminAuthenticator.class)).isInstanceOf(AdminTokenLogin.class);
                    Path token = state.resolve(AdminTokenLogin.FILE_NAME);
                    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(token))).isEqualTo("rw-------");
                    assertThat(context.getBean(AdminConsole.class).mountPath()).isEqualTo("/ops/certificates");
                    assertThat(context.getBean(ServletRegistrationBean.class).getUrlMappings())
                            .containsExactlyInAnyOrder("/ops/certificates", "/ops/certificates/*");
                });
    }

    @Test
    void behindAServletContextPathTheConsoleSeesItInItsMountPathAndTheServletIsMappedWithinTheContext() {
        runner().withPropertyValues("autocert4j.admin.enabled=true", "server.servlet.context-path=/app")
                .withClassLoader(new FilteredClassLoader(SecurityContextHolder.class))
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context.getBean(AdminConsole.class).mountPath()).as("the whole path the browser requests")
                            .isEqualTo("/app/autocert4j");
                    assertThat(context.getBean(ServletRegistrationBean.class).getUrlMappings()).as("within the context")
                            .containsExactlyInAnyOrder("/autocert4j", "/autocert4j/*");
                });
    }
}
