package dev.autocert4j;

import dev.autocert4j.testing.TlsTestServer;
import dev.autocert4j.testkit.TestCertificateAuthority;
import dev.autocert4j.testkit.TestCertificates;
import dev.autocert4j.testkit.TlsClient;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

@SuppressWarnings("removal")
class ReloadingKeyManagerTest {

    private final ReloadingKeyManager keyManager = new ReloadingKeyManager();

    @Test
    void servesATemporarySelfSignedCertificateUntilOneIsInstalled() {
        String alias = keyManager.chooseServerAlias("EC", null, null);

        assertThat(alias).isNotNull();
        assertThat(keyManager.getCertificateChain(alias)[0].getSubjectX500Principal().getName()).contains("temporary");
        assertThat(keyManager.current()).isEmpty();
    }

    @Test
    void afterUpdatesForTwoNamesEachNameGetsItsOwnCertificate() throws Exception {
        TestCertificateAuthority ca = new TestCertificateAuthority("Reloading test CA");
        IssuedCertificate first = ca.issue("first.example.com");
        IssuedCertificate second = ca.issue("second.example.com");
        keyManager.update(first);
        keyManager.update(second);

        try (TlsTestServer server = new TlsTestServer(keyManager.sslContext())) {
            TlsClient client = TlsClient.create();
            assertThat(client.handshake(server.address(), "first.example.com").get(0)).isEqualTo(first.leaf());
            assertThat(client.handshake(server.address(), "second.example.com").get(0)).isEqualTo(second.leaf());
            assertThat(client.handshake(server.address(), null).get(0)).as("the last update, as before")
                    .isEqualTo(second.leaf());
        }
    }

    @Test
    void offersTheCertificateOnlyForItsKeyType() {
        IssuedCertificate ec = TestCertificates.issued("portal.example.com");
        keyManager.update(ec);

        String alias = keyManager.chooseEngineServerAlias("EC", null, null);
        assertThat(alias).isNotNull();
        assertThat(keyManager.chooseServerAlias("RSA", null, null)).as("an EC key cannot sign for RSA suites").isNull();
        assertThat(keyManager.getCertificateChain(alias)).containsExactly(ec.leaf());
        assertThat(keyManager.getPrivateKey(alias)).isEqualTo(ec.privateKey());
    }

    @Test
    void aHandshakeThatChoseTheOldCertificateBeforeASwapCanStillFinish() {
        IssuedCertificate old = TestCertificates.issued("portal.example.com");
        keyManager.update(old);
        String chosenBeforeSwap = keyManager.chooseServerAlias("EC", null, null);

        IssuedCertificate renewed = TestCertificates.issued("portal.example.com");
        keyManager.update(renewed);

        assertThat(keyManager.getCertificateChain(chosenBeforeSwap)).containsExactly(old.leaf());
        assertThat(keyManager.getPrivateKey(chosenBeforeSwap)).isEqualTo(old.privateKey());
        String chosenAfterSwap = keyManager.chooseServerAlias("EC", null, null);
        assertThat(keyManager.getCertificateChain(chosenAfterSwap)).containsExactly(renewed.leaf());
        assertThat(keyManager.current()).contains(renewed);
    }

    @Test
    void neverActsAsAClient() {
        keyManager.update(TestCertificates.issued("portal.example.com"));

        assertThat(keyManager.chooseClientAlias(new String[]{"EC"}, null, null)).isNull();
        assertThat(keyManager.getClientAliases("EC", null)).isNull();
    }
}
