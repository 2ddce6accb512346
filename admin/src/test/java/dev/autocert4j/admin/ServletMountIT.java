package dev.autocert4j.admin;

import dev.autocert4j.admin.servlet.AdminServlet;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/** The admin page as a servlet ({@link AdminServlet}) in Jetty 12's ee10 Servlet 6 container. */
class ServletMountIT extends MountScenarios {

    private Server server;

    @Override
    int start(AdminConsole console) throws Exception {
        server = new Server();
        ServerConnector http = new ServerConnector(server);
        http.setHost("127.0.0.1");
        server.addConnector(http);
        ServletContextHandler context = new ServletContextHandler("/");
        AdminServlet.register(context.getServletContext(), console);
        server.setHandler(context);
        server.start();
        return http.getLocalPort();
    }

    @Override
    void stop() throws Exception {
        if (server != null) {
            server.stop();
        }
    }

    @Override
    String name() {
        return "jetty";
    }
}
