package dev.autocert4j.servlet;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;

import static org.assertj.core.api.Assertions.assertThat;

class ClientAddressTest {

    @Test
    void ipLiteralsBecomeAddressesSoSharedTokenLookupsAreLimitedPerClient() throws Exception {
        assertThat(AcmeChallengeFilter.clientAddress("127.0.0.7")).isEqualTo(InetAddress.getByName("127.0.0.7"));
        assertThat(AcmeChallengeFilter.clientAddress("2001:db8::1")).isEqualTo(InetAddress.getByName("2001:db8::1"));
    }

    @Test
    void anythingButAnIpLiteralIsUnknownAndNeverLookedUpInTheDns() {
        assertThat(AcmeChallengeFilter.clientAddress("attacker.example")).isNull();
        assertThat(AcmeChallengeFilter.clientAddress("cafe")).isNull();
        assertThat(AcmeChallengeFilter.clientAddress(null)).isNull();
        assertThat(AcmeChallengeFilter.clientAddress("1.2.3.4.5")).isNull();
    }
}
