package dev.autocert4j.pkcs12;

import dev.autocert4j.IssuedCertificate;
import org.bouncycastle.asn1.DERBMPString;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.operator.OutputEncryptor;
import org.bouncycastle.pkcs.PKCS12PfxPdu;
import org.bouncycastle.pkcs.PKCS12PfxPduBuilder;
import org.bouncycastle.pkcs.PKCS12SafeBagBuilder;
import org.bouncycastle.pkcs.PKCSException;
import org.bouncycastle.pkcs.jcajce.JcaPKCS12SafeBagBuilder;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;

/**
 * Writes PKCS#12 files with fixed, modern algorithms, whatever the JVM's settings (a JVM started
 * with {@code -Dkeystore.pkcs12.legacy} would otherwise write 3DES, RC2 and a SHA-1 MAC):
 * <ul>
 *   <li>the private key in a PBES2 shrouded key bag: PBKDF2 with HMAC-SHA256, AES-256-CBC,
 *       {@value #ITERATIONS} iterations;</li>
 *   <li>the certificates unencrypted: they are public, and encrypting them would only add a key
 *       derivation to every load;</li>
 *   <li>the whole file under an HMAC-SHA256 integrity MAC, {@value #ITERATIONS} iterations.</li>
 * </ul>
 * {@value #ITERATIONS} is the JDK's and close to OpenSSL's own count: a load derives two keys, and
 * that keeps it near 5 ms, so that thousands of certificates load in seconds. The protection rests
 * on the store password, which should be random (the demo generates one). Files are read with the
 * JDK's {@link KeyStore}, which also reads older files written with any algorithm it knows. The
 * key derivations run on the JDK's providers ({@link JdkPbeOperators}); Bouncy Castle lays out the file.
 */
final class Pkcs12Files {

    /** The alias (friendly name) of the key entry. */
    static final String ALIAS = Pkcs12CertificateStore.ALIAS;
    static final int ITERATIONS = 10_000;

    private Pkcs12Files() {
    }

    /**
     * @param certificate      the chain and key to write
     * @param password         the file's password
     * @param keyEncryptionKey derived from that password, for the private key
     * @return the PKCS#12 file's bytes
     */
    static byte[] write(IssuedCertificate certificate, char[] password, JdkPbeOperators.KeyEncryptionKey keyEncryptionKey)
            throws IOException, GeneralSecurityException {
        try {
            X509Certificate leaf = certificate.leaf();
            byte[] keyId = new JcaX509ExtensionUtils().createSubjectKeyIdentifier(leaf.getPublicKey()).getKeyIdentifier();
            OutputEncryptor keyEncryptor = JdkPbeOperators.keyEncryptor(keyEncryptionKey);
            PKCS12SafeBagBuilder keyBag = new JcaPKCS12SafeBagBuilder(certificate.privateKey(), keyEncryptor);
            name(keyBag, keyId);
            PKCS12PfxPduBuilder pfx = new PKCS12PfxPduBuilder();
            for (int i = 0; i < certificate.chain().size(); i++) {
                PKCS12SafeBagBuilder certificateBag = new JcaPKCS12SafeBagBuilder(certificate.chain().get(i));
                if (i == 0) {
                    name(certificateBag, keyId);
                }
                pfx.addData(certificateBag.build());
            }
            pfx.addData(keyBag.build());
            PKCS12PfxPdu pdu = pfx.build(JdkPbeOperators.macSha256(ITERATIONS), password);
            return pdu.getEncoded("DER");
        } catch (PKCSException e) {
            throw new GeneralSecurityException("Cannot write the PKCS#12 file: " + e.getMessage(), e);
        }
    }

    /** Gives a bag the alias and the local key id that pair the key with its certificate. */
    private static void name(PKCS12SafeBagBuilder bag, byte[] keyId) {
        bag.addBagAttribute(PKCSObjectIdentifiers.pkcs_9_at_friendlyName, new DERBMPString(ALIAS));
        bag.addBagAttribute(PKCSObjectIdentifiers.pkcs_9_at_localKeyId, new org.bouncycastle.asn1.DEROctetString(keyId));
    }

    /**
     * @param bytes    a PKCS#12 file's bytes
     * @param password its password
     * @return the loaded key store
     * @throws IOException if the password is wrong or the file damaged (JDK's message)
     */
    static KeyStore read(byte[] bytes, char[] password) throws IOException, GeneralSecurityException {
        KeyStore keyStore = KeyStore.getInstance("PKCS12");
        keyStore.load(new ByteArrayInputStream(bytes), password);
        return keyStore;
    }
}
