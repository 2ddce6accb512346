package dev.autocert4j.http;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;

import static org.assertj.core.api.Assertions.assertThat;

class ClientAddressTest {

    @Test
    void ipLiteralsBecomeAddressesSoSharedTokenLookupsAreLimitedPerClient() throws Exception {
        assertThat(Http01Responder.clientAddress("127.0.0.7")).isEqualTo(InetAddress.getByName("127.0.0.7"));
        assertThat(Http01Responder.clientAddress("2001:db8::1")).isEqualTo(InetAddress.getByName("2001:db8::1"));
    }

    @Test
    void anythingButAnIpLiteralIsUnknownAndNeverLookedUpInTheDns() {
        assertThat(Http01Responder.clientAddress("attacker.example")).isNull();
        assertThat(Http01Responder.clientAddress("cafe")).isNull();
        assertThat(Http01Responder.clientAddress(null)).isNull();
        assertThat(Http01Responder.clientAddress("1.2.3.4.5")).isNull();
    }
}
