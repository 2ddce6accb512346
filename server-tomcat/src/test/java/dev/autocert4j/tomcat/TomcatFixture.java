package dev.autocert4j.tomcat;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.catalina.Context;
import org.apache.catalina.authenticator.BasicAuthenticator;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.descriptor.web.LoginConfig;
import org.apache.tomcat.util.descriptor.web.SecurityCollection;
import org.apache.tomcat.util.descriptor.web.SecurityConstraint;

import java.io.IOException;
import java.nio.file.Path;

/** An embedded Tomcat on loopback with one servlet, optionally behind HTTPS-only and BASIC authentication. */
final class TomcatFixture {

    private TomcatFixture() {
    }

    static Tomcat start(Path baseDir, int httpPort, int redirectPort, boolean locked) throws Exception {
        Tomcat tomcat = new Tomcat();
        tomcat.setBaseDir(baseDir.toString());
        Connector http = new Connector();
        http.setPort(httpPort);
        http.setProperty("address", "127.0.0.1");
        http.setRedirectPort(redirectPort);
        tomcat.setConnector(http);
        Context context = tomcat.addContext("", baseDir.toString());
        Tomcat.addServlet(context, "portal", new HttpServlet() {
            @Override
            protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
                response.setContentType("text/plain");
                response.getWriter().write("portal");
            }
        });
        context.addServletMapping("/*", "portal");
        if (locked) {
            SecurityConstraint constraint = new SecurityConstraint();
            constraint.setUserConstraint("CONFIDENTIAL"); // Tomcat redirects plain HTTP to HTTPS
            SecurityCollection everything = new SecurityCollection();
            everything.addPattern("/*");
            constraint.addCollection(everything);
            constraint.addAuthRole("admin");
            context.addConstraint(constraint);
            context.addSecurityRole("admin");
            LoginConfig login = new LoginConfig();
            login.setAuthMethod("BASIC");
            login.setRealmName("portal");
            context.setLoginConfig(login);
            context.getPipeline().addValve(new BasicAuthenticator());
        }
        tomcat.start();
        return tomcat;
    }

}
