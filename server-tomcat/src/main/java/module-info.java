/**
 * autocert4j for Tomcat 11: {@code AcmeChallengeValve} answers HTTP-01 ahead of security
 * constraints, and {@code TomcatBindings} lists the service's connectors, replaces certificates
 * live through Tomcat's own SNI host configurations and opens HTTPS at run time.
 */
module dev.autocert4j.tomcat {
    requires transitive dev.autocert4j;
    requires transitive dev.autocert4j.http;
    requires transitive org.apache.tomcat.embed.core;
    requires org.slf4j;

    exports dev.autocert4j.tomcat;
}
