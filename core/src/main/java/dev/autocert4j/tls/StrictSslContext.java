package dev.autocert4j.tls;

import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLContextSpi;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.security.KeyManagementException;
import java.security.SecureRandom;

/** A TLS context whose defaults, engines and server sockets follow {@link TlsPolicy}'s protocols and suites. */
final class StrictSslContext extends SSLContext {

    StrictSslContext(SSLContext delegate) {
        super(new Spi(delegate), delegate.getProvider(), delegate.getProtocol());
    }

    private static final class Spi extends SSLContextSpi {
        private final SSLContext delegate;

        Spi(SSLContext delegate) {
            this.delegate = delegate;
        }

        @Override
        protected void engineInit(KeyManager[] keyManagers, TrustManager[] trustManagers, SecureRandom random)
                throws KeyManagementException {
            delegate.init(keyManagers, trustManagers, random);
        }

        @Override
        protected SSLSocketFactory engineGetSocketFactory() {
            return delegate.getSocketFactory();
        }

        @Override
        protected SSLServerSocketFactory engineGetServerSocketFactory() {
            return new StrictServerSocketFactory(delegate);
        }

        @Override
        protected SSLEngine engineCreateSSLEngine() {
            return strict(delegate.createSSLEngine());
        }

        @Override
        protected SSLEngine engineCreateSSLEngine(String host, int port) {
            return strict(delegate.createSSLEngine(host, port));
        }

        private SSLEngine strict(SSLEngine engine) {
            engine.setSSLParameters(TlsPolicy.apply(engine.getSSLParameters(), delegate));
            return engine;
        }

        @Override
        protected SSLSessionContext engineGetServerSessionContext() {
            return delegate.getServerSessionContext();
        }

        @Override
        protected SSLSessionContext engineGetClientSessionContext() {
            return delegate.getClientSessionContext();
        }

        @Override
        protected SSLParameters engineGetDefaultSSLParameters() {
            return TlsPolicy.apply(delegate.getDefaultSSLParameters(), delegate);
        }

        @Override
        protected SSLParameters engineGetSupportedSSLParameters() {
            return delegate.getSupportedSSLParameters();
        }
    }

    private static final class StrictServerSocketFactory extends SSLServerSocketFactory {
        private final SSLContext context;
        private final SSLServerSocketFactory delegate;

        StrictServerSocketFactory(SSLContext context) {
            this.context = context;
            this.delegate = context.getServerSocketFactory();
        }

        private ServerSocket strict(ServerSocket socket) {
            SSLServerSocket tls = (SSLServerSocket) socket;
            tls.setSSLParameters(TlsPolicy.apply(tls.getSSLParameters(), context));
            return tls;
        }

        @Override
        public ServerSocket createServerSocket() throws IOException {
            return strict(delegate.createServerSocket());
        }

        @Override
        public ServerSocket createServerSocket(int port) throws IOException {
            return strict(delegate.createServerSocket(port));
        }

        @Override
        public ServerSocket createServerSocket(int port, int backlog) throws IOException {
            return strict(delegate.createServerSocket(port, backlog));
        }

        @Override
        public ServerSocket createServerSocket(int port, int backlog, InetAddress address) throws IOException {
            return strict(delegate.createServerSocket(port, backlog, address));
        }

        @Override
        public String[] getDefaultCipherSuites() {
            return TlsPolicy.apply(context.getDefaultSSLParameters(), context).getCipherSuites();
        }

        @Override
        public String[] getSupportedCipherSuites() {
            return delegate.getSupportedCipherSuites();
        }
    }
}
