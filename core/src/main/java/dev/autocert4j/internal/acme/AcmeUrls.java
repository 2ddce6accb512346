package dev.autocert4j.internal.acme;

import dev.autocert4j.CertificateAuthorityException;

import java.net.MalformedURLException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;

/** acme4j speaks {@link URL}s, the project {@link URI}s; a malformed one is the CA's or the store's fault. */
final class AcmeUrls {

    private AcmeUrls() {
    }

    static URL toUrl(URI uri) {
        try {
            return uri.toURL();
        } catch (MalformedURLException e) {
            throw new CertificateAuthorityException("The stored account URL " + uri + " is malformed", null, null, e);
        }
    }

    static URI toUri(URL url) {
        try {
            return url.toURI();
        } catch (URISyntaxException e) {
            throw new CertificateAuthorityException("The CA sent a malformed URL " + url, null, null, e);
        }
    }
}
