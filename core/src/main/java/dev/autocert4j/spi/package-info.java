/**
 * What plugins implement and use: the service provider interface of autocert4j.
 * <ul>
 *   <li>{@link dev.autocert4j.spi.BindingProvider}, the host's listeners, and
 *       {@link dev.autocert4j.spi.RenewalPolicy}, when to renew (both under {@code dev.autocert4j}
 *       before 0.2.0, where deprecated names stay until 1.0);</li>
 *   <li>{@link dev.autocert4j.spi.PluginFactory} and its kinds ({@link dev.autocert4j.spi.CertificateStoreFactory},
 *       {@link dev.autocert4j.spi.ChallengeSolverFactory}): plugins chosen by name and made from
 *       {@link dev.autocert4j.spi.PluginSettings}, found by {@link dev.autocert4j.spi.NamedPlugins};</li>
 *   <li>{@link dev.autocert4j.spi.ChallengeSolver}, what answers one challenge type, and the
 *       {@link dev.autocert4j.spi.PendingChallenge} it is given;</li>
 *   <li>{@link dev.autocert4j.spi.Storage}, what a store plugin implements: bytes by key, with
 *       compare-and-set, an optional lease lock and change feed; autocert4j keeps its sealed format on
 *       top ({@code CertificateStores.onStorage});</li>
 *   <li>{@link dev.autocert4j.spi.NamedThreads}, the thread factory of the library and its plugins;</li>
 *   <li>{@link dev.autocert4j.spi.OwnerOnlyFiles}, secret files written owner-only and atomically.</li>
 * </ul>
 * The other plugin interfaces that still live in {@code dev.autocert4j} move here as they are
 * reshaped.
 */
package dev.autocert4j.spi;
