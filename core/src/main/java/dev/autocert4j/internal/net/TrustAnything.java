package dev.autocert4j.internal.net;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;

/**
 * A TLS client context that accepts every server certificate. Used only to look at what a server
 * presents (the self-check following a redirect, the check after install), never to send anything
 * secret.
 */
public final class TrustAnything {

    private TrustAnything() {
    }

    /** @return a new TLS context that trusts any server */
    public static SSLContext sslContext() {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[]{new AcceptingTrustManager()}, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("This JVM cannot create a TLS context", e);
        }
    }

    private static final class AcceptingTrustManager implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
            // a client context: never asked
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
            // only looked at, never trusted with anything
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
