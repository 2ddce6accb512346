package dev.autocert4j;

/**
 * The host's view of its own listeners, under its 0.1 name.
 *
 * @deprecated moved to {@link dev.autocert4j.spi.BindingProvider}, where the interfaces plugins
 *             implement live; implement that one. This name goes in 1.0.
 */
@Deprecated(since = "0.2.0", forRemoval = true)
public interface BindingProvider extends dev.autocert4j.spi.BindingProvider {
}
