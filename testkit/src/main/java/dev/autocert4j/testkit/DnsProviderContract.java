package dev.autocert4j.testkit;

import dev.autocert4j.spi.DnsProvider;
import org.junit.jupiter.api.Test;

import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The behaviour every {@link DnsProvider} must have: a value is added next to the values already at a
 * name, never in their place (a certificate for {@code example.com} and {@code *.example.com} has two
 * values at {@code _acme-challenge.example.com} at once, and two certificates may be validating
 * together); removing takes away exactly that value; adding or removing twice does no harm; other
 * names are untouched; record names are taken with or without their trailing dot. A provider's test
 * extends this class, says how to make the provider over a zone the test owns, and reads the values
 * back from the DNS host itself (its API, its stub or its server), never from the provider.
 *
 * <pre>{@code
 * class MyProviderTest extends DnsProviderContract {
 *     @Override protected DnsProvider provider() { return new MyProvider(stubUrl, token); }
 *     @Override protected String zone() { return "example.com"; }
 *     @Override protected Set<String> txtValuesAt(String name) { return stub.txtValues(name); }
 * }
 * }</pre>
 *
 * @since 0.2.0
 */
public abstract class DnsProviderContract {

    /** @return the provider under test, with a credential the DNS host accepts */
    protected abstract DnsProvider provider();

    /** @return the zone the provider may write to, without a trailing dot, such as {@code example.com} */
    protected abstract String zone();

    /**
     * Reads the TXT values at a name from the DNS host itself.
     *
     * @param name the full name, without a trailing dot
     * @return the values there now, possibly none
     */
    protected abstract Set<String> txtValuesAt(String name);

    private String name(String label) {
        return label + "._acme-challenge." + zone();
    }

    @Test
    void anAddedValueCanBeReadBack() {
        provider().addTxtRecord(zone(), name("one"), "value-1");

        assertThat(txtValuesAt(name("one"))).containsExactly("value-1");
    }

    @Test
    void aSecondValueAtTheSameNameIsAddedNextToTheFirst() {
        DnsProvider provider = provider();
        provider.addTxtRecord(zone(), name("two"), "value-1");
        provider.addTxtRecord(zone(), name("two"), "value-2");

        assertThat(txtValuesAt(name("two"))).containsExactlyInAnyOrder("value-1", "value-2");
    }

    @Test
    void removingOneValueKeepsTheOtherValuesOfTheName() {
        DnsProvider provider = provider();
        provider.addTxtRecord(zone(), name("three"), "value-1");
        provider.addTxtRecord(zone(), name("three"), "value-2");

        provider.removeTxtRecord(zone(), name("three"), "value-1");

        assertThat(txtValuesAt(name("three"))).containsExactly("value-2");
    }

    @Test
    void removingTheLastValueLeavesNothingAtTheName() {
        DnsProvider provider = provider();
        provider.addTxtRecord(zone(), name("four"), "value-1");

        provider.removeTxtRecord(zone(), name("four"), "value-1");

        assertThat(txtValuesAt(name("four"))).isEmpty();
    }

    @Test
    void removingAValueThatIsNotThereDoesNothing() {
        DnsProvider provider = provider();
        provider.addTxtRecord(zone(), name("five"), "value-1");

        provider.removeTxtRecord(zone(), name("five"), "never-added");
        provider.removeTxtRecord(zone(), name("nothing-here"), "never-added");

        assertThat(txtValuesAt(name("five"))).containsExactly("value-1");
        assertThat(txtValuesAt(name("nothing-here"))).isEmpty();
    }

    @Test
    void addingOrRemovingTwiceDoesNoHarm() {
        DnsProvider provider = provider();
        provider.addTxtRecord(zone(), name("six"), "value-1");
        provider.addTxtRecord(zone(), name("six"), "value-1");
        assertThat(txtValuesAt(name("six"))).containsExactly("value-1");

        provider.removeTxtRecord(zone(), name("six"), "value-1");
        provider.removeTxtRecord(zone(), name("six"), "value-1");
        assertThat(txtValuesAt(name("six"))).isEmpty();
    }

    @Test
    void otherNamesAreUntouched() {
        DnsProvider provider = provider();
        provider.addTxtRecord(zone(), name("seven"), "value-1");
        provider.addTxtRecord(zone(), name("eight"), "value-1");

        provider.removeTxtRecord(zone(), name("seven"), "value-1");

        assertThat(txtValuesAt(name("eight"))).containsExactly("value-1");
    }

    @Test
    void aNameWithItsTrailingDotIsTheSameName() {
        DnsProvider provider = provider();
        provider.addTxtRecord(zone(), name("nine") + ".", "value-1");
        assertThat(txtValuesAt(name("nine"))).containsExactly("value-1");

        provider.removeTxtRecord(zone(), name("nine"), "value-1");
        assertThat(txtValuesAt(name("nine"))).isEmpty();

        provider.addTxtRecord(zone(), name("nine"), "value-2");
        provider.removeTxtRecord(zone(), name("nine") + ".", "value-2");
        assertThat(txtValuesAt(name("nine"))).isEmpty();
    }

    @Test
    void aValueWithSpacesAndQuotesComesBackAsGiven() {
        // ACME values are base64url, but a provider must not mangle text it does not understand
        provider().addTxtRecord(zone(), name("ten"), "v=1 \"quoted\" text");

        assertThat(txtValuesAt(name("ten"))).containsExactly("v=1 \"quoted\" text");
    }
}
