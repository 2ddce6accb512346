package dev.autocert4j.spring.boot;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.nio.file.Path;

/**
 * The admin page's settings, under {@code autocert4j.admin}.
 *
 * @since 0.2.0
 */
@ConfigurationProperties("autocert4j.admin")
public class AutoCertAdminProperties {

    /** Whether to mount the admin page (the Certificates view, the Configure dialog and the JSON API). */
    private boolean enabled;

    /** Where the admin page is mounted, from the server's root. */
    private String path = "/autocert4j";

    /** The authority a Spring Security user needs to use the admin page (when Spring Security is present). */
    private String authority = "ROLE_AUTOCERT4J_ADMIN";

    /**
     * Without Spring Security: the file holding the admin token (readable by its owner only); by
     * default {@code admin.token} in {@code autocert4j.state-dir}, made at the first start.
     */
    private Path tokenFile;

    /** Creates the settings with their defaults. */
    public AutoCertAdminProperties() {
    }

    /** @return whether to mount the admin page */
    public boolean isEnabled() {
        return enabled;
    }

    /** @param enabled whether to mount the admin page */
    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    /** @return where the admin page is mounted */
    public String getPath() {
        return path;
    }

    /**
     * @param path where the admin page is mounted, such as {@code /autocert4j}: within the application,
     *             so behind {@code server.servlet.context-path=/app} the page is at {@code /app/autocert4j}
     */
    public void setPath(String path) {
        this.path = path;
    }

    /** @return the authority a Spring Security user needs */
    public String getAuthority() {
        return authority;
    }

    /** @param authority the authority a Spring Security user needs, such as {@code ROLE_ADMIN} */
    public void setAuthority(String authority) {
        this.authority = authority;
    }

    /** @return the admin token's file, or null for the default */
    public Path getTokenFile() {
        return tokenFile;
    }

    /** @param tokenFile the admin token's file */
    public void setTokenFile(Path tokenFile) {
        this.tokenFile = tokenFile;
    }
}
