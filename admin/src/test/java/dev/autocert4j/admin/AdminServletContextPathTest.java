package dev.autocert4j.admin;

import dev.autocert4j.AutoCert;
import dev.autocert4j.CertificateAuthority;
import dev.autocert4j.admin.servlet.AdminServlet;
import dev.autocert4j.testkit.AdminClient;
import dev.autocert4j.testkit.InMemoryCertificateStore;
import dev.autocert4j.testkit.InMemoryChallengeSolver;
import dev.autocert4j.testkit.Ports;
import dev.autocert4j.testkit.RecordingBindingProvider;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link AdminServlet#register} in an application with a context path ({@code /app}): the page, its
 * forms and its actions (stop managing included) answer under the context's path, not twice under it
 * and not outside it; a console mounted outside the context is refused at startup, not left to answer
 * 404 to every request.
 */
class AdminServletContextPathTest {

    @TempDir
    Path folder;

    private AutoCert autoCert;
    private AdminConsole console;
    private Server server;

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.stop();
        }
        if (console != null) {
            console.close();
        }
        if (autoCert != null) {
            autoCert.close();
        }
    }

    @Test
    void inAContextWithAPathThePageAndItsActionsAnswerUnderThatPath() throws Exception {
        AdminTokenLogin login = AdminTokenLogin.readOrCreate(folder.resolve("state"));
        int port = start("/app", "/app/autocert4j", login);

        AdminClient admin = AdminClient.loggedIn(port, "/app/autocert4j", login.file());
        String page = admin.get("/app/autocert4j/");
        assertThat(page).startsWith("HTTP/1.1 200").contains("action=\"/app/autocert4j/rollover\"")
                .contains("action=\"/app/autocert4j/logout\"").contains("href=\"/app/autocert4j/configure\"");
        String unmanage = admin.postWithCsrf("/app/autocert4j/unmanage", "domain=portal.example.com");
        assertThat(unmanage).as("the console answered the form (with a 303 back to the page)").startsWith("HTTP/1.1 303")
                .containsPattern("(?i)Location: /app/autocert4j/");
        assertThat(admin.get("/app/autocert4j/")).as("the action reached the console, which refused the unknown name")
                .contains("is not a domain this server manages");
        assertThat(admin.get("/app/app/autocert4j/")).as("not mounted twice under the context").startsWith("HTTP/1.1 404");
    }

    @Test
    void aConsoleMountedOutsideTheContextIsRefusedAtStartup() {
        assertThatThrownBy(() -> start("/app", "/autocert4j", AdminTokenLogin.readOrCreate(folder.resolve("state"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("/app").hasMessageContaining("/autocert4j");
    }

    /** @return the port of a Jetty serving the console in a context at the path */
    private int start(String contextPath, String mountPath, AdminTokenLogin login) throws Exception {
        autoCert = AutoCert.builder()
                .certificateAuthority(CertificateAuthority.at(URI.create("https://127.0.0.1:" + Ports.free() + "/dir")))
                .bindingProvider(new RecordingBindingProvider("http://portal.example.com:80"))
                .challengeSolver(new InMemoryChallengeSolver())
                .certificateStore(new InMemoryCertificateStore())
                .build();
        console = AdminConsole.builder(autoCert).mountPath(mountPath).authenticator(login).build();
        server = new Server();
        ServerConnector http = new ServerConnector(server);
        http.setHost("127.0.0.1");
        server.addConnector(http);
        ServletContextHandler context = new ServletContextHandler(contextPath);
        AdminServlet.register(context.getServletContext(), console);
        server.setHandler(context);
        server.start();
        return http.getLocalPort();
    }
}
