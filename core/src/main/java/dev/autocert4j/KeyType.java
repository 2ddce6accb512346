package dev.autocert4j;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;

/** The kind of key a new certificate gets. Every certificate gets a fresh key of this kind. */
public enum KeyType {
    /** ECDSA on NIST P-256, the default: small, fast and accepted everywhere. */
    EC_P256("EC", "secp256r1", 0),
    /** ECDSA on NIST P-384. */
    EC_P384("EC", "secp384r1", 0),
    /** RSA with a 2048-bit modulus, for old clients. */
    RSA_2048("RSA", null, 2048),
    /** RSA with a 3072-bit modulus. */
    RSA_3072("RSA", null, 3072),
    /** RSA with a 4096-bit modulus. */
    RSA_4096("RSA", null, 4096);

    private final String algorithm;
    private final String curve;
    private final int bits;

    KeyType(String algorithm, String curve, int bits) {
        this.algorithm = algorithm;
        this.curve = curve;
        this.bits = bits;
    }

    /**
     * Generates a new key pair of this type with the JDK's default providers.
     *
     * @return a new key pair
     */
    public KeyPair generate() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm);
            if (curve != null) {
                generator.initialize(new ECGenParameterSpec(curve));
            } else {
                generator.initialize(bits);
            }
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("This JVM cannot generate " + this + " keys", e);
        }
    }
}
