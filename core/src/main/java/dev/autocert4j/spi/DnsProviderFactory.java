package dev.autocert4j.spi;

/**
 * Makes a {@link DnsProvider} chosen by name, such as {@code powerdns} or {@code route53}, from its
 * settings (an API's address, the file or environment variable holding its credential, read with
 * {@link PluginSettings#secret}). Found with {@link java.util.ServiceLoader}: register it in
 * {@code module-info} ({@code provides dev.autocert4j.spi.DnsProviderFactory with ...}) and in
 * {@code META-INF/services/dev.autocert4j.spi.DnsProviderFactory}.
 *
 * @since 0.2.0
 */
public interface DnsProviderFactory extends PluginFactory<DnsProvider> {
}
