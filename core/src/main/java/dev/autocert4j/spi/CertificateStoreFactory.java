package dev.autocert4j.spi;

import dev.autocert4j.CertificateStore;

/**
 * Makes a {@link CertificateStore} chosen by name, such as {@code pkcs12}.
 *
 * @since 0.2.0
 */
public interface CertificateStoreFactory extends PluginFactory<CertificateStore> {
}
