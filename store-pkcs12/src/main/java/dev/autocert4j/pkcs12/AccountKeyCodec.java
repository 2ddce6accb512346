package dev.autocert4j.pkcs12;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8DecryptorProviderBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.OutputEncryptor;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfoBuilder;
import org.bouncycastle.pkcs.PKCSException;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Optional;

/**
 * Encodes an account's private key as password-encrypted PKCS#8, the format of a PEM
 * {@code ENCRYPTED PRIVATE KEY}: PBES2 with PBKDF2-HMAC-SHA256 ({@value #ITERATIONS} iterations: it
 * is read once per process) and AES-256-CBC, whatever the JVM's settings. Keys written before with
 * PBKDF2-HMAC-SHA1 are still read. The public key is kept as X.509 SubjectPublicKeyInfo.
 */
final class AccountKeyCodec {

    static final int ITERATIONS = 100_000;

    /** Made only for keys the JDK cannot decrypt: setting up Bouncy Castle's provider costs a cold process 0.1 s. */
    private static final class BouncyCastle {
        static final Provider PROVIDER = new BouncyCastleProvider();
    }

    private AccountKeyCodec() {
    }

    static byte[] encrypt(PrivateKey key, char[] password) throws IOException {
        try {
            OutputEncryptor encryptor = JdkPbeOperators.keyEncryptor(
                    JdkPbeOperators.KeyEncryptionKey.derive(password, ITERATIONS));
            return new PKCS8EncryptedPrivateKeyInfoBuilder(PrivateKeyInfo.getInstance(key.getEncoded()))
                    .build(encryptor).getEncoded();
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new IOException("Cannot encrypt the account key", e);
        }
    }

    /**
     * @throws IOException with a message saying the password is wrong, or the data damaged
     */
    static PrivateKey decrypt(byte[] encrypted, char[] password) throws IOException {
        PKCS8EncryptedPrivateKeyInfo info;
        try {
            info = new PKCS8EncryptedPrivateKeyInfo(encrypted);
        } catch (IOException | RuntimeException e) {
            throw new IOException("the account key is damaged", e);
        }
        try {
            // the JDK derives the key several times faster; anything but PBES2 with AES-256 goes to Bouncy Castle
            Optional<PrivateKeyInfo> byJdk = JdkPbeOperators.decryptPbes2(info, password);
            PrivateKeyInfo plain = byJdk.isPresent() ? byJdk.get() : info.decryptPrivateKeyInfo(
                    new JceOpenSSLPKCS8DecryptorProviderBuilder().setProvider(BouncyCastle.PROVIDER).build(password));
            return privateKey(plain);
        } catch (PKCSException | GeneralSecurityException e) {
            throw new IOException("the password is wrong or the key is damaged", e);
        } catch (OperatorCreationException | IOException | RuntimeException e) {
            throw new IOException("the account key is damaged", e);
        }
    }

    /** The key as the JDK's own key class, which its signatures use as they are. */
    private static PrivateKey privateKey(PrivateKeyInfo plain) throws IOException, GeneralSecurityException {
        ASN1ObjectIdentifier algorithm = plain.getPrivateKeyAlgorithm().getAlgorithm();
        String jdkName = X9ObjectIdentifiers.id_ecPublicKey.equals(algorithm) ? "EC"
                : PKCSObjectIdentifiers.rsaEncryption.equals(algorithm) ? "RSA" : null;
        if (jdkName == null) {
            return new JcaPEMKeyConverter().getPrivateKey(plain);
        }
        return KeyFactory.getInstance(jdkName).generatePrivate(new PKCS8EncodedKeySpec(plain.getEncoded()));
    }

    static PublicKey publicKey(String algorithm, byte[] encoded) throws IOException {
        try {
            return KeyFactory.getInstance(algorithm).generatePublic(new X509EncodedKeySpec(encoded));
        } catch (GeneralSecurityException e) {
            throw new IOException("the account's public key is damaged", e);
        }
    }
}
