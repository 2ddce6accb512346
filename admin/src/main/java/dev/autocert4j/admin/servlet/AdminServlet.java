package dev.autocert4j.admin.servlet;

import dev.autocert4j.admin.AdminConsole;
import dev.autocert4j.admin.AdminRequest;
import dev.autocert4j.admin.AdminResponse;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletRegistration;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.util.Collections;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * The admin page in any Jakarta Servlet 6 container (Tomcat, Jetty ee10, Undertow), mapped at the
 * console's mount path:
 * <pre>{@code
 * AdminServlet.register(servletContext, console); // at console.mountPath() + "/*"
 * }</pre>
 * The console's mount path is the path from the server's root: in an application with a context
 * path, include it ({@code /app/autocert4j}); {@link #register} maps the servlet at the rest.
 */
public final class AdminServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    private final transient AdminConsole console;

    /**
     * Creates the servlet.
     *
     * @param console the console to answer with
     */
    public AdminServlet(AdminConsole console) {
        this.console = requireNonNull(console, "console");
    }

    /**
     * Registers the servlet at the console's mount path: in a context whose path is the root, at the
     * mount path itself; in a context with a path, at the rest of the mount path after it.
     *
     * @param context the application's servlet context (while it starts)
     * @param console the console to answer with, mounted inside the context ({@code /app/autocert4j} in {@code /app})
     * @return the registration, for further settings
     * @throws IllegalArgumentException if the console's mount path is not inside the context's path,
     *                                  where no request the servlet gets would be the console's
     */
    public static ServletRegistration.Dynamic register(ServletContext context, AdminConsole console) {
        String mapping = pathInContext(context.getContextPath(), console.mountPath());
        ServletRegistration.Dynamic registration = context.addServlet("autocert4j-admin", new AdminServlet(console));
        registration.addMapping(mapping, mapping + "/*");
        return registration;
    }

    /** The servlet sees paths after the context's; the console sees them whole ({@link HttpServletRequest#getRequestURI}). */
    private static String pathInContext(String contextPath, String mountPath) {
        if (contextPath == null || contextPath.isEmpty() || contextPath.equals("/")) {
            return mountPath;
        }
        if (!mountPath.startsWith(contextPath + "/")) {
            throw new IllegalArgumentException("The admin console's mount path " + mountPath + " is not inside the context path "
                    + contextPath + ": build the console with mountPath(\"" + contextPath + mountPath + "\")");
        }
        return mountPath.substring(contextPath.length());
    }

    /** Answers every method with the console (it refuses all but GET, HEAD and POST itself). */
    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        AdminResponse answer = console.handle(adminRequest(request));
        response.setStatus(answer.status());
        for (Map.Entry<String, String> header : answer.headers()) {
            response.addHeader(header.getKey(), header.getValue());
        }
        byte[] body = answer.body();
        response.setContentLength(body.length);
        if (body.length > 0) {
            response.getOutputStream().write(body);
        }
    }

    private static AdminRequest adminRequest(HttpServletRequest request) throws IOException {
        AdminRequest.Builder builder = AdminRequest.builder(request.getMethod(), request.getRequestURI())
                .remoteAddress(InetAddress.getByName(request.getRemoteAddr())) // a literal address: no lookup
                .secure(request.isSecure()).nativeRequest(request);
        for (String name : Collections.list(request.getHeaderNames())) {
            for (String value : Collections.list(request.getHeaders(name))) {
                builder.header(name, value);
            }
        }
        try (InputStream body = request.getInputStream()) {
            builder.body(body.readNBytes(AdminRequest.MAX_BODY_BYTES + 1));
        }
        return builder.build();
    }
}
