package dev.autocert4j.spring.boot;

import dev.autocert4j.AutoCert;
import dev.autocert4j.admin.AdminAuthenticator;
import dev.autocert4j.admin.AdminConsole;
import dev.autocert4j.admin.AdminProgress;
import dev.autocert4j.admin.AdminTokenLogin;
import dev.autocert4j.admin.servlet.AdminServlet;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingClass;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Mounts the admin page (the Certificates view, the Configure Let's Encrypt dialog and the JSON API)
 * at {@code autocert4j.admin.path} ({@code /autocert4j}) when {@code autocert4j.admin.enabled=true},
 * over the {@link AutoCert} bean. Its login: Spring Security's, for users holding
 * {@code autocert4j.admin.authority}, when Spring Security is present; else the admin token in
 * {@code autocert4j.admin.token-file} (by default {@code admin.token} in the state folder, made at
 * the first start, its path logged). An {@link AdminAuthenticator} bean of the application's wins.
 * With Spring Security, exempt the mount path from Spring's own CSRF check: the page carries its own.
 *
 * @since 0.2.0
 */
@AutoConfiguration(after = AutoCertAutoConfiguration.class)
@ConditionalOnBooleanProperty({"autocert4j.enabled", "autocert4j.admin.enabled"})
@ConditionalOnClass(AdminConsole.class)
@EnableConfigurationProperties(AutoCertAdminProperties.class)
public class AutoCertAdminAutoConfiguration {

    /** Creates the auto-configuration; Spring does. */
    public AutoCertAdminAutoConfiguration() {
    }

    @Bean
    AdminProgress autoCertAdminProgress() {
        return new AdminProgress(); // an AutoCertListener: the AutoCert bean takes it
    }

    /** The console sees whole paths, so behind {@code server.servlet.context-path} its mount path starts with it. */
    @Bean(destroyMethod = "close")
    AdminConsole autoCertAdminConsole(AutoCert autoCert, AdminAuthenticator authenticator, AdminProgress progress,
                                      AutoCertAdminProperties admin, Environment environment) {
        return AdminConsole.builder(autoCert).mountPath(contextPath(environment) + admin.getPath())
                .authenticator(authenticator).progress(progress).build();
    }

    /** The servlet is mapped within the application's context, at the admin path itself. */
    @Bean
    ServletRegistrationBean<AdminServlet> autoCertAdminServlet(AdminConsole console, AutoCertAdminProperties admin) {
        ServletRegistrationBean<AdminServlet> registration = new ServletRegistrationBean<>(new AdminServlet(console),
                admin.getPath(), admin.getPath() + "/*");
        registration.setName("autocert4j-admin");
        return registration;
    }

    /** {@code server.servlet.context-path}, without a trailing slash; empty at the root. */
    private static String contextPath(Environment environment) {
        String path = environment.getProperty("server.servlet.context-path", "").strip();
        return path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }

    /** With Spring Security: its users holding the configured authority. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.security.core.context.SecurityContextHolder")
    static class SpringSecurityLogin {
        @Bean
        @ConditionalOnMissingBean
        AdminAuthenticator autoCertAdminAuthenticator(AutoCertAdminProperties admin) {
            return new SpringSecurityAdminAuthenticator(admin.getAuthority());
        }
    }

    /** Without Spring Security: the built-in token login. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnMissingClass("org.springframework.security.core.context.SecurityContextHolder")
    static class TokenLogin {
        @Bean
        @ConditionalOnMissingBean
        AdminAuthenticator autoCertAdminAuthenticator(AutoCertAdminProperties admin, AutoCertProperties properties) {
            try {
                return admin.getTokenFile() != null ? AdminTokenLogin.readFrom(admin.getTokenFile())
                        : AdminTokenLogin.readOrCreate(properties.getStateDir());
            } catch (IOException e) {
                throw new UncheckedIOException("the admin page's token: " + e.getMessage(), e);
            }
        }
    }
}
