package dev.autocert4j;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BindingTest {

    @Test
    void parsesAUrlWithPort() {
        Binding binding = Binding.parse("HTTP://Portal.Example.com:5002");

        assertThat(binding).isEqualTo(new Binding("http", "portal.example.com", 5002));
        assertThat(binding.toString()).isEqualTo("http://portal.example.com:5002");
    }

    @Test
    void usesTheSchemesDefaultPort() {
        assertThat(Binding.parse("http://portal.example.com").port()).isEqualTo(80);
        assertThat(Binding.parse("https://portal.example.com/").port()).isEqualTo(443);
    }

    @Test
    void derivesTheHttpsBindingForTheSameHost() {
        Binding https = Binding.parse("http://portal.example.com:8080").withHttpsPort(8443);

        assertThat(https).isEqualTo(new Binding("https", "portal.example.com", 8443));
        assertThat(https.isHttps()).isTrue();
    }

    @Test
    void rejectsOtherSchemesPathsAndPortsOutOfRange() {
        assertThatThrownBy(() -> Binding.parse("ftp://portal.example.com"))
                .isInstanceOf(InvalidInputException.class).hasMessage("scheme 'ftp' must be 'http' or 'https'");
        assertThatThrownBy(() -> Binding.parse("http://portal.example.com/admin"))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("scheme, host and port only");
        assertThatThrownBy(() -> new Binding("https", "portal.example.com", 70000))
                .isInstanceOf(InvalidInputException.class).hasMessage("port '70000' must be between 1 and 65535");
        assertThatThrownBy(() -> Binding.parse("not a url"))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("binding 'not a url'");
    }
}
