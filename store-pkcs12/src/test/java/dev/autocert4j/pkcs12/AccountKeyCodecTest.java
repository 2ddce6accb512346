package dev.autocert4j.pkcs12;

import dev.autocert4j.KeyType;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.pkcs.PBES2Parameters;
import org.bouncycastle.asn1.pkcs.PBKDF2Params;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.PKCS8Generator;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.security.PrivateKey;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Account keys as written now and as written by earlier versions and other tools. */
class AccountKeyCodecTest {

    private static final char[] PASSWORD = "correct horse battery staple".toCharArray();
    private final PrivateKey key = KeyType.EC_P256.generate().getPrivate();

    @Test
    void writesPbes2WithPbkdf2HmacSha256AndReadsItBack() throws Exception {
        byte[] encrypted = AccountKeyCodec.encrypt(key, PASSWORD);

        PBES2Parameters pbes2 = PBES2Parameters.getInstance(
                new PKCS8EncryptedPrivateKeyInfo(encrypted).getEncryptionAlgorithm().getParameters());
        PBKDF2Params kdf = PBKDF2Params.getInstance(pbes2.getKeyDerivationFunc().getParameters());
        assertThat(kdf.getPrf().getAlgorithm()).isEqualTo(PKCS8Generator.PRF_HMACSHA256.getAlgorithm());
        assertThat(kdf.getIterationCount().intValue()).isEqualTo(AccountKeyCodec.ITERATIONS);
        assertThat(AccountKeyCodec.decrypt(encrypted, PASSWORD).getEncoded()).isEqualTo(key.getEncoded());
    }

    static Stream<Arguments> writtenByBouncyCastle() {
        return Stream.of(Arguments.of(PKCS8Generator.AES_256_CBC, PKCS8Generator.PRF_HMACSHA1),
                Arguments.of(PKCS8Generator.AES_256_CBC, PKCS8Generator.PRF_HMACSHA256),
                Arguments.of(PKCS8Generator.AES_128_CBC, PKCS8Generator.PRF_HMACSHA256));
    }

    @ParameterizedTest
    @MethodSource("writtenByBouncyCastle")
    void readsKeysEncryptedByEarlierVersionsAndOtherSchemes(ASN1ObjectIdentifier cipher, AlgorithmIdentifier prf)
            throws Exception {
        byte[] encrypted = new JcaPKCS8Generator(key, new JceOpenSSLPKCS8EncryptorBuilder(cipher)
                .setProvider(new BouncyCastleProvider()).setPRF(prf).setIterationCount(2048).setPassword(PASSWORD)
                .build()).generate().getContent();

        assertThat(AccountKeyCodec.decrypt(encrypted, PASSWORD).getEncoded()).isEqualTo(key.getEncoded());
        assertThatThrownBy(() -> AccountKeyCodec.decrypt(encrypted, "wrong".toCharArray()))
                .isInstanceOf(IOException.class).hasMessageContaining("password is wrong");
    }

    @Test
    void aWrongPasswordOrDamagedDataIsSaidSo() throws Exception {
        byte[] encrypted = AccountKeyCodec.encrypt(key, PASSWORD);

        assertThatThrownBy(() -> AccountKeyCodec.decrypt(encrypted, "wrong".toCharArray()))
                .isInstanceOf(IOException.class).hasMessageContaining("password is wrong");
        assertThatThrownBy(() -> AccountKeyCodec.decrypt(new byte[]{1, 2, 3}, PASSWORD))
                .isInstanceOf(IOException.class).hasMessageContaining("damaged");
    }
}
