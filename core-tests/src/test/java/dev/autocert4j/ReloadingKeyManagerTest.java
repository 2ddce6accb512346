package dev.autocert4j;

import dev.autocert4j.testkit.TestCertificates;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ReloadingKeyManagerTest {

    private final ReloadingKeyManager keyManager = new ReloadingKeyManager();

    @Test
    void servesNothingUntilACertificateIsInstalled() {
        assertThat(keyManager.chooseServerAlias("EC", null, null)).isNull();
        assertThat(keyManager.current()).isEmpty();
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
