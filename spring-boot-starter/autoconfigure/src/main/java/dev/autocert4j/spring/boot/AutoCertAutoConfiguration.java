package dev.autocert4j.spring.boot;

import dev.autocert4j.AutoCert;
import dev.autocert4j.AutoCertListener;
import dev.autocert4j.CertificateAuthority;
import dev.autocert4j.CertificateStore;
import dev.autocert4j.EnrollmentRequest;
import dev.autocert4j.http.Http01Responder;
import dev.autocert4j.micrometer.AutoCertMetrics;
import dev.autocert4j.notify.WebhookNotifier;
import dev.autocert4j.pkcs12.Pkcs12StoreFactory;
import dev.autocert4j.servlet.AcmeChallengeFilter;
import dev.autocert4j.spi.CertificateStoreFactory;
import dev.autocert4j.spi.NamedPlugins;
import dev.autocert4j.spi.RenewalPolicy;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.catalina.connector.Connector;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.info.ConditionalOnEnabledInfoContributor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.jetty.servlet.JettyServletWebServerFactory;
import org.springframework.boot.ssl.SslBundleRegistry;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.server.autoconfigure.ServerProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Obtains, serves and renews the embedded server's certificate from the {@code autocert4j.*}
 * properties, when {@code autocert4j.enabled=true} in a servlet web application (Tomcat or Jetty):
 * <ul>
 *   <li>an SSL bundle ({@code autocert4j}) that the server uses unless {@code server.ssl.*} configures
 *       TLS otherwise, holding the
 *       stored certificate or a temporary one until the first is obtained, replaced live on renewal;</li>
 *   <li>the CA's HTTP-01 challenges answered on {@code autocert4j.http-port} (a connector is added)
 *       by a filter ahead of every other, Spring Security's included; other plain HTTP requests
 *       redirected to HTTPS;</li>
 *   <li>an {@link AutoCert} bean, started once the server listens, closed on shutdown;</li>
 *   <li>with the actuator, a health indicator ({@code autocert4j}) and an {@code info} section; with
 *       Micrometer, {@link AutoCertMetrics}; with {@code autocert4j.notify.webhook-url}, a
 *       {@link WebhookNotifier}.</li>
 * </ul>
 * Beans the application defines win: a {@link CertificateStore}, an {@link Http01Responder}, an
 * {@link AutoCert}; {@link AutoCertCustomizer} beans adjust the builder.
 *
 * @since 0.2.0
 */
@AutoConfiguration(afterName = {
        "org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration",
        "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
        "org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration"})
@ConditionalOnBooleanProperty("autocert4j.enabled")
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@EnableConfigurationProperties({AutoCertProperties.class, ServerProperties.class})
public class AutoCertAutoConfiguration {

    /** Creates the auto-configuration; Spring does. */
    public AutoCertAutoConfiguration() {
    }

    @Bean
    @ConditionalOnMissingBean
    CertificateStore autoCertStore(AutoCertProperties properties) {
        String name = properties.getStore().getName();
        Map<String, String> settings = new LinkedHashMap<>(properties.getStore().getSettings());
        if (name.equals(Pkcs12StoreFactory.NAME)) {
            settings.putIfAbsent("folder", properties.getStateDir().resolve("store").toString());
            settings.putIfAbsent("password-file", properties.getStateDir().resolve("store.password").toString());
        }
        return NamedPlugins.create(CertificateStoreFactory.class, name, settings,
                AutoCertAutoConfiguration.class.getClassLoader());
    }

    @Bean
    @ConditionalOnMissingBean
    Http01Responder autoCertChallenges() {
        return new Http01Responder();
    }

    @Bean
    CertificateBundles autoCertSslBundle(AutoCertProperties properties, ServerProperties server,
                                         CertificateStore store, ObjectProvider<Clock> clock) {
        return new CertificateBundles(properties.getBundle(), validated(properties, server).domain(), store,
                clock.getIfUnique(Clock::systemUTC));
    }

    @Bean
    SpringBootBindings autoCertBindings(AutoCertProperties properties, ServerProperties server,
                                        CertificateBundles bundles, SslBundleRegistry registry) {
        return new SpringBootBindings(properties.getDomains(), properties.getHttpPort(), configuredHttpsPort(server),
                bundles, registry);
    }

    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    AutoCert autoCert(AutoCertProperties properties, ServerProperties server, SpringBootBindings bindings,
                      CertificateStore store, Http01Responder challenges, ObjectProvider<AutoCertListener> listeners,
                      ObjectProvider<AutoCertCustomizer> customizers, ObjectProvider<Clock> clock) {
        validated(properties, server); // wrong properties fail the start here, before any network call
        List<CertificateAuthority> authorities = AutoCertSettings.certificateAuthorities(properties);
        AutoCert.Builder builder = AutoCert.builder()
                .certificateAuthorities(authorities.get(0),
                        authorities.subList(1, authorities.size()).toArray(new CertificateAuthority[0]))
                .bindingProvider(bindings)
                .challengeSolver(challenges)
                .certificateStore(store)
                .renewalPolicy(RenewalPolicy.of(properties.getCheckEvery(), properties.getRenewWithin()))
                .keyType(properties.getKeyType());
        if (properties.getProfile() != null && !properties.getProfile().isBlank()) {
            builder.profile(properties.getProfile().strip());
        }
        if (properties.getDns().isEnabled()) {
            builder.challengeSolver(AutoCertSettings.dnsSolver(properties.getDns()));
        }
        clock.ifUnique(builder::clock);
        listeners.orderedStream().forEach(builder::listener);
        customizers.orderedStream().forEach(customizer -> customizer.customize(builder));
        return builder.build();
    }

    @Bean
    AutoCertStarter autoCertStarter(AutoCert autoCert, AutoCertProperties properties, SpringBootBindings bindings) {
        return new AutoCertStarter(autoCert, properties, bindings);
    }

    @Bean
    FilterRegistrationBean<AcmeChallengeFilter> autoCertChallengeFilter(Http01Responder challenges) {
        FilterRegistrationBean<AcmeChallengeFilter> registration =
                new FilterRegistrationBean<>(new AcmeChallengeFilter(challenges));
        registration.addUrlPatterns(AcmeChallengeFilter.URL_PATTERN);
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
        registration.setAsyncSupported(true);
        return registration;
    }

    @Bean
    @ConditionalOnBooleanProperty(name = "autocert4j.redirect-to-https", matchIfMissing = true)
    FilterRegistrationBean<HttpsRedirectFilter> autoCertHttpsRedirect(AutoCertProperties properties,
                                                                      SpringBootBindings bindings) {
        FilterRegistrationBean<HttpsRedirectFilter> registration = new FilterRegistrationBean<>(
                new HttpsRedirectFilter(properties.getHttpPort(), bindings::httpsPort, properties.getDomains()));
        registration.addUrlPatterns("/*");
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 1);
        return registration;
    }

    /**
     * Checks the properties as they stand before the server listens; with {@code server.port=0}
     * (any free port) the port is checked once it is known.
     */
    private static EnrollmentRequest validated(AutoCertProperties properties, ServerProperties server) {
        int port = configuredHttpsPort(server);
        return AutoCertSettings.request(properties, port > 0 ? port : properties.getHttpPort() == 443 ? 8443 : 443);
    }

    /** The port HTTPS is configured on; 0 means any free port, known once the server listens. */
    private static int configuredHttpsPort(ServerProperties server) {
        return server.getPort() == null ? 8080 : server.getPort();
    }

    @Bean
    SslBundleDefault autoCertSslBundleDefault(AutoCertProperties properties) {
        return new SslBundleDefault(properties.getBundle());
    }

    /** Tomcat: reloads the bundle by itself; needs the plain HTTP connector. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(TomcatServletWebServerFactory.class)
    static class TomcatConfiguration {

        @Bean
        WebServerFactoryCustomizer<TomcatServletWebServerFactory> autoCertTomcatHttpConnector(
                AutoCertProperties properties) {
            return factory -> {
                int httpPort = properties.getHttpPort();
                if (factory.getPort() == httpPort) {
                    return;
                }
                Connector http = new Connector();
                http.setPort(httpPort);
                if (factory.getAddress() != null) {
                    http.setProperty("address", factory.getAddress().getHostAddress());
                }
                factory.addAdditionalConnectors(http);
            };
        }
    }

    /** Jetty: needs the plain HTTP connector and the reload of the bundle. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(JettyServletWebServerFactory.class)
    static class JettyConfiguration {

        @Bean
        WebServerFactoryCustomizer<JettyServletWebServerFactory> autoCertJettyCustomizer(
                AutoCertProperties properties, SslBundles sslBundles, SslBundleDefault sslDefault) {
            return factory -> factory.addServerCustomizers(new JettyBundleReloader(sslBundles, properties.getBundle(),
                    () -> sslDefault.servesBundle(factory), properties.getHttpPort(), factory.getAddress()));
        }
    }

    /** The actuator's health indicator. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.boot.health.contributor.HealthIndicator")
    @ConditionalOnEnabledHealthIndicator("autocert4j")
    static class HealthConfiguration {

        @Bean
        @ConditionalOnMissingBean(name = "autocert4jHealthIndicator")
        AutoCertHealthIndicator autocert4jHealthIndicator(AutoCert autoCert, AutoCertProperties properties,
                                                          ServerProperties server, AutoCertStarter starter,
                                                          ObjectProvider<Clock> clock) {
            return new AutoCertHealthIndicator(autoCert, validated(properties, server).domain(),
                    properties.getHealth().getFailingWithin(),
                    clock.getIfUnique(Clock::systemUTC), starter::startFailure);
        }
    }

    /** The actuator's info section. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.boot.actuate.info.InfoContributor")
    @ConditionalOnEnabledInfoContributor("autocert4j")
    static class InfoConfiguration {

        @Bean
        @ConditionalOnMissingBean
        AutoCertInfoContributor autoCertInfoContributor(AutoCert autoCert) {
            return new AutoCertInfoContributor(autoCert);
        }
    }

    /** Micrometer meters, when the application has a registry. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass({MeterRegistry.class, AutoCertMetrics.class})
    @ConditionalOnBean(MeterRegistry.class)
    static class MetricsConfiguration {

        @Bean
        @ConditionalOnMissingBean
        AutoCertMetrics autoCertMetrics(MeterRegistry registry, ObjectProvider<Clock> clock) {
            return new AutoCertMetrics(registry, clock.getIfUnique(Clock::systemUTC));
        }
    }

    /** The webhook, when a URL is configured. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnProperty("autocert4j.notify.webhook-url")
    static class WebhookConfiguration {

        @Bean(destroyMethod = "close")
        @ConditionalOnMissingBean
        WebhookNotifier autoCertWebhook(AutoCertProperties properties, ObjectProvider<Clock> clock) {
            AutoCertProperties.Notify notify = properties.getNotify();
            WebhookNotifier.Builder webhook = WebhookNotifier.to(notify.getWebhookUrl())
                    .notifyObtained(notify.isOnSuccess()).clock(clock.getIfUnique(Clock::systemUTC));
            notify.getWebhookHeaders().forEach(webhook::header);
            return webhook.build();
        }
    }
}
