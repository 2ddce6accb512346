/**
 * autocert4j for any Jakarta Servlet 6 container: {@code AcmeChallengeFilter} answers HTTP-01
 * ahead of the application's own filters.
 */
module dev.autocert4j.servlet {
    requires transitive dev.autocert4j.http;
    requires transitive jakarta.servlet;

    exports dev.autocert4j.servlet;
}
