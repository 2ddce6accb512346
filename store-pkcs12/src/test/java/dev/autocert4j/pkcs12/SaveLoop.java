package dev.autocert4j.pkcs12;

import dev.autocert4j.AcmeAccount;
import dev.autocert4j.IssuedCertificate;
import dev.autocert4j.KeyType;
import dev.autocert4j.testkit.TestCertificateAuthority;

import java.net.URI;
import java.nio.file.Path;

/**
 * A separate process for the crash and sharing tests: saves new certificates (and account keys)
 * for one domain into a store, printing "saved SERIAL" after each, {@code count} times or forever.
 */
public final class SaveLoop {

    private SaveLoop() {
    }

    /**
     * @param args the store folder, the password, the domain, and how many saves (0 = until killed)
     */
    public static void main(String[] args) {
        Pkcs12CertificateStore store = new Pkcs12CertificateStore(Path.of(args[0]), args[1].toCharArray());
        String domain = args[2];
        int count = Integer.parseInt(args[3]);
        URI directory = URI.create("https://ca.test/dir");
        TestCertificateAuthority ca = new TestCertificateAuthority("Save loop CA");
        for (int i = 0; count == 0 || i < count; i++) {
            IssuedCertificate certificate = ca.issue(domain);
            store.saveCertificate(certificate);
            store.saveAccount(new AcmeAccount(directory, KeyType.EC_P256.generate(), URI.create("https://ca.test/acct/" + i)));
            System.out.println("saved " + certificate.metadata().serialNumber());
            System.out.flush();
        }
    }
}
