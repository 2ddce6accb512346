package dev.autocert4j.servlet;

import dev.autocert4j.AutoCert;
import dev.autocert4j.CertificateStatus;
import dev.autocert4j.http.Http01Responder;
import dev.autocert4j.testkit.InMemoryCertificateStore;
import dev.autocert4j.testkit.PebbleExtension;
import dev.autocert4j.testkit.RawHttp;
import dev.autocert4j.testkit.RecordingBindingProvider;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.ServletContext;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.catalina.Context;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.EnumSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The challenge filter in two real servlet containers, Tomcat 11 and Jetty 12 ee10, against a
 * real Pebble, while the application's own filters redirect every plain HTTP request to HTTPS and
 * want a login.
 */
class AcmeChallengeFilterIT {

    @RegisterExtension
    static final PebbleExtension PEBBLE = PebbleExtension.withDefaults();

    @TempDir
    Path baseDir;

    /** The application's filter: plain HTTP goes to HTTPS. */
    private static final Filter REDIRECT_TO_HTTPS = (request, response, chain) -> {
        HttpServletRequest http = (HttpServletRequest) request;
        if (!http.isSecure()) {
            ((HttpServletResponse) response).sendRedirect("https://" + http.getServerName() + http.getRequestURI());
            return;
        }
        chain.doFilter(request, response);
    };

    /** The application's filter: nothing without a login. */
    private static final Filter LOGIN_REQUIRED = (request, response, chain) -> {
        if (((HttpServletRequest) request).getHeader("Authorization") == null) {
            ((HttpServletResponse) response).sendError(401);
            return;
        }
        chain.doFilter(request, response);
    };

    private static final HttpServlet PORTAL = new HttpServlet() {
        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            response.getWriter().write("portal");
        }
    };

    private static void addApplicationFilters(ServletContext context) {
        context.addFilter("redirect", REDIRECT_TO_HTTPS).addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), true, "/*");
        context.addFilter("login", LOGIN_REQUIRED).addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), true, "/*");
    }

    @Test
    void onTomcatTheChallengeGetsThroughAheadOfTheApplicationsFilters() throws Exception {
        Http01Responder challenges = new Http01Responder();
        Tomcat tomcat = new Tomcat();
        tomcat.setBaseDir(baseDir.toString());
        Connector http = new Connector();
        http.setPort(PEBBLE.httpChallengePort());
        http.setProperty("address", "127.0.0.1");
        tomcat.setConnector(http);
        Context context = tomcat.addContext("", baseDir.toString());
        Tomcat.addServlet(context, "portal", PORTAL);
        context.addServletMapping("/*", "portal");
        context.addServletContainerInitializer((classes, servletContext) -> {
            addApplicationFilters(servletContext);
            AcmeChallengeFilter.register(servletContext, challenges); // registered last, matched first
        }, null);
        tomcat.start();
        try {
            assertTheChallengeGetsThrough(challenges, "tomcat.servlet.test");
        } finally {
            tomcat.stop();
            tomcat.destroy();
        }
    }

    @Test
    void onJettyEe10TheChallengeGetsThroughAheadOfTheApplicationsFilters() throws Exception {
        Http01Responder challenges = new Http01Responder();
        Server server = new Server();
        ServerConnector http = new ServerConnector(server);
        http.setHost("127.0.0.1");
        http.setPort(PEBBLE.httpChallengePort());
        server.addConnector(http);
        ServletContextHandler context = new ServletContextHandler("/");
        context.addServlet(new ServletHolder(PORTAL), "/*");
        context.addFilter(new FilterHolder(REDIRECT_TO_HTTPS), "/*", EnumSet.of(DispatcherType.REQUEST));
        context.addFilter(new FilterHolder(LOGIN_REQUIRED), "/*", EnumSet.of(DispatcherType.REQUEST));
        AcmeChallengeFilter.register(context.getServletContext(), challenges);
        server.setHandler(context);
        server.start();
        try {
            assertTheChallengeGetsThrough(challenges, "jetty.servlet.test");
        } finally {
            server.stop();
        }
    }

    private static void assertTheChallengeGetsThrough(Http01Responder challenges, String host) throws Exception {
        String binding = "http://" + host + ":" + PEBBLE.httpChallengePort();
        assertThat(RawHttp.plain(PEBBLE.httpChallengePort(), "GET /account HTTP/1.1\r\nHost: " + host + "\r\n\r\n")).as("the application's redirect")
                .startsWith("HTTP/1.1 302").containsIgnoringCase("Location: https://" + host + "/account");
        assertThat(RawHttp.plain(PEBBLE.httpChallengePort(), "GET /.well-known/acme-challenge/unknown HTTP/1.1\r\nHost: " + host + "\r\n\r\n"))
                .as("never redirected, never asked to log in").startsWith("HTTP/1.1 404");

        try (AutoCert autoCert = AutoCert.builder().certificateAuthority(PEBBLE.certificateAuthority())
                .bindingProvider(new RecordingBindingProvider(binding)).challengeSolver(challenges)
                .certificateStore(new InMemoryCertificateStore()).build()) {
            CertificateStatus status = autoCert.enroll(dev.autocert4j.EnrollmentRequest.builder()
                    .binding(dev.autocert4j.Binding.parse(binding)).httpsPort(8443).email("admin@autocert4j.test")
                    .termsOfServiceAccepted(true).build());

            assertThat(status.hasCertificate()).as("Pebble validated through the filter").isTrue();
            assertThat(status.lastError()).isNull();
        }
    }
}
