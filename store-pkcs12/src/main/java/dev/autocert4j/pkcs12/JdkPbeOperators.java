package dev.autocert4j.pkcs12;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.EncryptionScheme;
import org.bouncycastle.asn1.pkcs.KeyDerivationFunc;
import org.bouncycastle.asn1.pkcs.PBES2Parameters;
import org.bouncycastle.asn1.pkcs.PBKDF2Params;
import org.bouncycastle.asn1.pkcs.PKCS12PBEParams;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.operator.GenericKey;
import org.bouncycastle.operator.MacCalculator;
import org.bouncycastle.operator.OutputEncryptor;
import org.bouncycastle.operator.jcajce.JceGenericKey;
import org.bouncycastle.pkcs.PKCS12MacCalculatorBuilder;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

import javax.crypto.Cipher;
import javax.crypto.CipherOutputStream;
import javax.crypto.Mac;
import javax.crypto.SecretKey;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.PBEParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.io.OutputStream;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Optional;

/**
 * The password-based operations of the store (writing a PKCS#12 file, encrypting and decrypting
 * account keys), done by the JDK's own providers:
 * its SHA-256 uses the processor's SHA instructions, which makes a 10,000-iteration derivation
 * about three times faster than Bouncy Castle's portable code (2.9 ms against 9.3 ms here). Bouncy
 * Castle still lays out the file; these hand it the encrypted key and the MAC. The results are the
 * standard PBES2 and PKCS#12 MAC structures, read back by the JDK's {@code KeyStore}.
 */
final class JdkPbeOperators {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int SALT_BYTES = 16;
    private static final int AES_256_KEY_BYTES = 32;
    private static final int AES_IV_BYTES = 16;
    private static final AlgorithmIdentifier HMAC_SHA256 =
            new AlgorithmIdentifier(PKCSObjectIdentifiers.id_hmacWithSHA256, DERNull.INSTANCE);

    private JdkPbeOperators() {
    }

    /**
     * A key derived from the store password by PBKDF2-HMAC-SHA256, with the salt it was derived
     * with, for encrypting private keys. One store derives it once and uses it for every file it
     * writes (each file with its own random IV): all of a store's files share one password, so a
     * salt per file would cost a derivation per save without making any file harder to open.
     */
    static final class KeyEncryptionKey {
        private final byte[] salt;
        private final int iterations;
        private final SecretKey aesKey;

        private KeyEncryptionKey(byte[] salt, int iterations, SecretKey aesKey) {
            this.salt = salt;
            this.iterations = iterations;
            this.aesKey = aesKey;
        }

        /**
         * @param password   the store password
         * @param iterations the PBKDF2 iteration count
         * @return a key derived with a fresh random salt
         */
        static KeyEncryptionKey derive(char[] password, int iterations) throws GeneralSecurityException {
            byte[] salt = random(SALT_BYTES);
            return new KeyEncryptionKey(salt, iterations,
                    pbkdf2("PBKDF2WithHmacSHA256", password, salt, iterations, "AES"));
        }
    }

    /**
     * @param key the store's key encryption key
     * @return an encryptor for a shrouded key bag: PBES2 with PBKDF2-HMAC-SHA256 and AES-256-CBC,
     *         under a fresh random IV
     */
    static OutputEncryptor keyEncryptor(KeyEncryptionKey key) throws GeneralSecurityException {
        byte[] iv = random(AES_IV_BYTES);
        SecretKey aesKey = key.aesKey;
        Cipher cipher = Cipher.getInstance("AES/CBC/PKCS5Padding");
        cipher.init(Cipher.ENCRYPT_MODE, aesKey, new IvParameterSpec(iv));
        AlgorithmIdentifier algorithm = new AlgorithmIdentifier(PKCSObjectIdentifiers.id_PBES2, new PBES2Parameters(
                new KeyDerivationFunc(PKCSObjectIdentifiers.id_PBKDF2,
                        new PBKDF2Params(key.salt, key.iterations, AES_256_KEY_BYTES, HMAC_SHA256)),
                new EncryptionScheme(NISTObjectIdentifiers.id_aes256_CBC, new DEROctetString(iv))));
        return new OutputEncryptor() {
            @Override
            public AlgorithmIdentifier getAlgorithmIdentifier() {
                return algorithm;
            }

            @Override
            public OutputStream getOutputStream(OutputStream encryptedOut) {
                return new CipherOutputStream(encryptedOut, cipher);
            }

            @Override
            public GenericKey getKey() {
                return new JceGenericKey(algorithm, aesKey);
            }
        };
    }

    /**
     * Decrypts a PBES2-encrypted private key (PBKDF2 with HMAC-SHA256 or HMAC-SHA1, AES-256-CBC).
     *
     * @param info     the encrypted key
     * @param password its password
     * @return the key, or empty if it uses another scheme, for a more general decryptor
     * @throws GeneralSecurityException if the password is wrong (the padding, or the structure
     *                                  decrypted, does not check out)
     */
    static Optional<PrivateKeyInfo> decryptPbes2(PKCS8EncryptedPrivateKeyInfo info, char[] password)
            throws GeneralSecurityException {
        AlgorithmIdentifier scheme = info.getEncryptionAlgorithm();
        if (!PKCSObjectIdentifiers.id_PBES2.equals(scheme.getAlgorithm())) {
            return Optional.empty();
        }
        PBES2Parameters pbes2 = PBES2Parameters.getInstance(scheme.getParameters());
        if (!PKCSObjectIdentifiers.id_PBKDF2.equals(pbes2.getKeyDerivationFunc().getAlgorithm())
                || !NISTObjectIdentifiers.id_aes256_CBC.equals(pbes2.getEncryptionScheme().getAlgorithm())) {
            return Optional.empty();
        }
        PBKDF2Params kdf = PBKDF2Params.getInstance(pbes2.getKeyDerivationFunc().getParameters());
        String derivation = kdfName(kdf.getPrf().getAlgorithm());
        if (derivation == null) {
            return Optional.empty();
        }
        SecretKey aesKey = pbkdf2(derivation, password, kdf.getSalt(), kdf.getIterationCount().intValueExact(), "AES");
        Cipher cipher = Cipher.getInstance("AES/CBC/PKCS5Padding");
        byte[] iv = ASN1OctetString.getInstance(pbes2.getEncryptionScheme().getParameters()).getOctets();
        cipher.init(Cipher.DECRYPT_MODE, aesKey, new IvParameterSpec(iv));
        byte[] plain = cipher.doFinal(info.getEncryptedData());
        try {
            return Optional.of(PrivateKeyInfo.getInstance(plain));
        } catch (RuntimeException e) {
            // a wrong password yields valid padding once in about 256 tries, and then noise
            throw new GeneralSecurityException("the decrypted key is no PKCS#8 structure", e);
        }
    }

    /**
     * @param derivation   such as {@code PBKDF2WithHmacSHA256}
     * @param password     the password
     * @param salt         the salt
     * @param iterations   the iteration count
     * @param keyAlgorithm what the 256-bit key is for, such as {@code AES} or {@code HmacSHA256}
     * @return the derived key (the intermediate bytes cleared)
     */
    static SecretKeySpec pbkdf2(String derivation, char[] password, byte[] salt, int iterations, String keyAlgorithm)
            throws GeneralSecurityException {
        byte[] derived = SecretKeyFactory.getInstance(derivation)
                .generateSecret(new PBEKeySpec(password, salt, iterations, AES_256_KEY_BYTES * 8)).getEncoded();
        SecretKeySpec key = new SecretKeySpec(derived, keyAlgorithm);
        Arrays.fill(derived, (byte) 0);
        return key;
    }

    private static String kdfName(ASN1ObjectIdentifier prf) {
        if (PKCSObjectIdentifiers.id_hmacWithSHA256.equals(prf)) {
            return "PBKDF2WithHmacSHA256";
        }
        return PKCSObjectIdentifiers.id_hmacWithSHA1.equals(prf) ? "PBKDF2WithHmacSHA1" : null;
    }

    /**
     * @param iterations the PKCS#12 key derivation's iteration count
     * @return the file's integrity MAC: HMAC-SHA256 keyed by the PKCS#12 key derivation
     */
    static PKCS12MacCalculatorBuilder macSha256(int iterations) {
        AlgorithmIdentifier sha256 = new AlgorithmIdentifier(NISTObjectIdentifiers.id_sha256, DERNull.INSTANCE);
        return new PKCS12MacCalculatorBuilder() {
            @Override
            public AlgorithmIdentifier getDigestAlgorithmIdentifier() {
                return sha256;
            }

            @Override
            public MacCalculator build(char[] password) throws org.bouncycastle.operator.OperatorCreationException {
                try {
                    return macCalculator(password, iterations, sha256.getAlgorithm());
                } catch (GeneralSecurityException e) {
                    throw new org.bouncycastle.operator.OperatorCreationException(
                            "Cannot compute the PKCS#12 MAC: " + e.getMessage(), e);
                }
            }
        };
    }

    private static MacCalculator macCalculator(char[] password, int iterations, ASN1ObjectIdentifier digest)
            throws GeneralSecurityException {
        byte[] salt = random(SALT_BYTES);
        SecretKey passwordKey = SecretKeyFactory.getInstance("PBE").generateSecret(new PBEKeySpec(password));
        Mac mac = Mac.getInstance("HmacPBESHA256");
        mac.init(passwordKey, new PBEParameterSpec(salt, iterations));
        // what the PKCS#12 MacData records: the salt and the iteration count
        AlgorithmIdentifier algorithm = new AlgorithmIdentifier(digest, new PKCS12PBEParams(salt, iterations));
        return new MacCalculator() {
            @Override
            public AlgorithmIdentifier getAlgorithmIdentifier() {
                return algorithm;
            }

            @Override
            public OutputStream getOutputStream() {
                return new OutputStream() {
                    @Override
                    public void write(int b) {
                        mac.update((byte) b);
                    }

                    @Override
                    public void write(byte[] bytes, int offset, int length) {
                        mac.update(bytes, offset, length);
                    }
                };
            }

            @Override
            public byte[] getMac() {
                return mac.doFinal();
            }

            @Override
            public GenericKey getKey() {
                return new GenericKey(algorithm, passwordKey.getEncoded());
            }
        };
    }

    private static byte[] random(int length) {
        byte[] bytes = new byte[length];
        RANDOM.nextBytes(bytes);
        return bytes;
    }
}
