package dev.autocert4j.examples.servers;

import dev.autocert4j.testkit.Ports;
import dev.autocert4j.AutoCert;
import dev.autocert4j.Binding;
import dev.autocert4j.CertificateAuthority;
import dev.autocert4j.CertificateStatus;
import dev.autocert4j.EnrollmentRequest;
import dev.autocert4j.pkcs12.Pkcs12CertificateStore;
import dev.autocert4j.testkit.PebbleExtension;
import dev.autocert4j.testkit.TlsClient;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.catalina.Context;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each server example, as README quotes it, against a real Pebble: enroll, serve the certificate
 * over HTTPS, then restart with the CA unreachable and get the stored certificate back on HTTPS
 * from {@code start()} alone.
 */
class ServerExamplesIT {

    @RegisterExtension
    static final PebbleExtension PEBBLE = PebbleExtension.withDefaults();

    private static final char[] PASSWORD = "example store password".toCharArray();

    @TempDir
    Path folder;

    /** Starts a server with an example and returns what to stop; the HTTPS port comes from the enrollment. */
    @FunctionalInterface
    private interface Portal {
        Running start(CertificateAuthority ca) throws Exception;
    }

    private record Running(AutoCert autoCert, AutoCloseable server) {
    }

    private void assertEnrollsServesAndComesBackAfterARestart(String name, Portal portal) throws Exception {
        int httpsPort = Ports.free();
        String serial;
        Running first = portal.start(PEBBLE.certificateAuthority());
        try {
            CertificateStatus status = first.autoCert().enroll(EnrollmentRequest.builder()
                    .binding(new Binding("http", name, PEBBLE.httpChallengePort())).httpsPort(httpsPort)
                    .email("admin@autocert4j.test").termsOfServiceAccepted(true).build());
            serial = status.serialNumber();
            assertThat(status.lastError()).isNull();
            assertThat(served(httpsPort, name)).isEqualTo(serial);
        } finally {
            first.autoCert().close();
            first.server().close();
        }

        Running restarted = portal.start(CertificateAuthority.at(URI.create("https://127.0.0.1:" + Ports.free() + "/dir")));
        try {
            assertThat(served(httpsPort, name)).as("start() alone put the stored certificate back, no CA needed")
                    .isEqualTo(serial);
        } finally {
            restarted.autoCert().close();
            restarted.server().close();
        }
    }

    private Pkcs12CertificateStore store() {
        return new Pkcs12CertificateStore(folder.resolve("store"), PASSWORD);
    }

    private static String served(int port, String name) throws IOException {
        return TlsClient.create().servedSerial(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), name);
    }

    @Test
    void jetty() throws Exception {
        assertEnrollsServesAndComesBackAfterARestart("jetty.examples.test", ca -> {
            Server server = new Server();
            ServerConnector http = new ServerConnector(server);
            http.setHost("127.0.0.1");
            http.setPort(PEBBLE.httpChallengePort());
            server.addConnector(http);
            server.setHandler(new Handler.Abstract() {
                @Override
                public boolean handle(org.eclipse.jetty.server.Request request, org.eclipse.jetty.server.Response response,
                                      org.eclipse.jetty.util.Callback callback) {
                    response.setStatus(200);
                    callback.succeeded();
                    return true;
                }
            });
            AutoCert autoCert = JettyExample.enable(server, ca, store(), "jetty.examples.test");
            server.start();
            return new Running(autoCert, server::stop);
        });
    }

    @Test
    void tomcat() throws Exception {
        assertEnrollsServesAndComesBackAfterARestart("tomcat.examples.test", ca -> {
            Tomcat tomcat = new Tomcat();
            tomcat.setBaseDir(folder.resolve("tomcat").toString());
            Connector http = new Connector();
            http.setPort(PEBBLE.httpChallengePort());
            http.setProperty("address", "127.0.0.1");
            tomcat.setConnector(http);
            Context context = tomcat.addContext("", folder.toString());
            Tomcat.addServlet(context, "portal", portalServlet());
            context.addServletMapping("/*", "portal");
            AutoCert autoCert = TomcatExample.enable(tomcat, ca, store(), "tomcat.examples.test");
            tomcat.start();
            return new Running(autoCert, () -> {
                tomcat.stop();
                tomcat.destroy();
            });
        });
    }

    @Test
    void servletOnJettyEe10() throws Exception {
        assertEnrollsServesAndComesBackAfterARestart("servlet.examples.test", ca -> {
            Server server = new Server();
            ServerConnector http = new ServerConnector(server);
            http.setHost("127.0.0.1");
            http.setPort(PEBBLE.httpChallengePort());
            server.addConnector(http);
            ServletContextHandler context = new ServletContextHandler("/");
            context.addServlet(new ServletHolder(portalServlet()), "/*");
            server.setHandler(context);
            AutoCert autoCert = ServletExample.enable(server, context, ca, store(), "servlet.examples.test");
            server.start();
            return new Running(autoCert, server::stop);
        });
    }

    @Test
    void netty() throws Exception {
        assertEnrollsServesAndComesBackAfterARestart("netty.examples.test", ca -> {
            EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
            ServerBootstrap bootstrap = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class);
            NettyExample example = NettyExample.start(bootstrap, PortalHandler::new, InetAddress.getLoopbackAddress(),
                    PEBBLE.httpChallengePort(), ca, store(), "netty.examples.test");
            return new Running(example.autoCert(), () -> {
                example.stop();
                group.shutdownGracefully(0, 0, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
            });
        });
    }

    /** The Netty portal's own handler: a 200 for every request. */
    private static final class PortalHandler extends SimpleChannelInboundHandler<HttpObject> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, HttpObject message) {
            if (message instanceof HttpRequest request) {
                DefaultFullHttpResponse response = new DefaultFullHttpResponse(request.protocolVersion(), HttpResponseStatus.OK);
                response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, 0);
                ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
            }
        }
    }

    private static HttpServlet portalServlet() {
        return new HttpServlet() {
            @Override
            protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
                response.getWriter().write("portal");
            }
        };
    }

}
