package dev.autocert4j.pkcs12;

import dev.autocert4j.CertificateMetadata;
import dev.autocert4j.IssuedCertificate;
import dev.autocert4j.testkit.TestCertificates;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code store.index}: a restart reads one file instead of every metadata and enrollment file, and
 * never believes it over a file that changed, nor when it was edited or damaged.
 */
class StoreIndexTest {

    private static final char[] PASSWORD = "correct horse battery staple".toCharArray();
    private static final String DOMAIN = "portal.example.com";
    private static final Map<String, String> CHOICES = Map.of("binding", "http://portal.example.com:80", "email", "ops@example.com");

    @TempDir
    Path folder;

    private Pkcs12CertificateStore store() {
        return new Pkcs12CertificateStore(folder.resolve("state"), PASSWORD);
    }

    private Path index() {
        return folder.resolve("state/store.index");
    }

    /** What a server does at start: its enrollments, then the metadata of their certificates. */
    private static Map<String, CertificateMetadata> start(Pkcs12CertificateStore store) {
        return store.loadAllMetadata(store.loadEnrollments().keySet());
    }

    private IssuedCertificate savedWithEnrollment() {
        IssuedCertificate certificate = TestCertificates.issued(DOMAIN);
        store().saveCertificate(certificate);
        store().saveEnrollment(DOMAIN, CHOICES);
        return certificate;
    }

    @Test
    void theFirstStartWritesTheIndexOwnerOnlyAndARestartTakesMetadataFromIt() throws Exception {
        IssuedCertificate saved = savedWithEnrollment();
        assertThat(start(store())).containsEntry(DOMAIN, saved.metadata());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(index()))).isEqualTo("rw-------");

        // damaged metadata file: read from the files, the metadata would be rebuilt from the certificate without CA or account
        Files.writeString(folder.resolve("state/certificates/portal.example.com.properties"), "damaged");
        Pkcs12CertificateStore restarted = store();

        assertThat(restarted.loadEnrollments()).containsExactly(Map.entry(DOMAIN, CHOICES));
        CertificateMetadata fromIndex = restarted.loadAllMetadata(List.of(DOMAIN)).get(DOMAIN);
        assertThat(fromIndex).isEqualTo(saved.metadata());
        assertThat(fromIndex.caDirectory()).as("only the index still knows it").isNotNull();
    }

    @Test
    void aCertificateSavedSinceTheIndexWasWrittenIsReadFromItsFiles() {
        savedWithEnrollment();
        start(store());
        IssuedCertificate renewed = TestCertificates.issued(DOMAIN);
        store().saveCertificate(renewed); // another store object, as another process would

        assertThat(start(store())).containsEntry(DOMAIN, renewed.metadata());
    }

    @Test
    void anOlderCertificateFileCopiedBackIsReadFromItsFilesNotTakenFromTheIndex() throws Exception {
        IssuedCertificate older = savedWithEnrollment();
        Path certificateFile = store().certificateFile(DOMAIN);
        Path metadataFile = folder.resolve("state/certificates/portal.example.com.properties");
        Path backup = Files.createDirectory(folder.resolve("backup"));
        Files.copy(certificateFile, backup.resolve("a.p12"));
        Files.copy(metadataFile, backup.resolve("a.properties"));
        store().saveCertificate(TestCertificates.issued(DOMAIN));
        start(store());

        Files.copy(backup.resolve("a.p12"), certificateFile, StandardCopyOption.REPLACE_EXISTING);
        Files.copy(backup.resolve("a.properties"), metadataFile, StandardCopyOption.REPLACE_EXISTING);

        assertThat(start(store())).containsEntry(DOMAIN, older.metadata());
    }

    @Test
    void anEnrollmentFileEditedInPlaceIsReadAgain() throws Exception {
        savedWithEnrollment();
        start(store());
        Path enrollment = folder.resolve("state/enrollments/portal.example.com.properties");
        Files.writeString(enrollment, Files.readString(enrollment).replace("ops@example.com", "security@example.com"));

        assertThat(store().loadEnrollments().get(DOMAIN)).containsEntry("email", "security@example.com");
    }

    @Test
    void deletedCertificatesAndEnrollmentsAreGoneAfterARestart() {
        savedWithEnrollment();
        start(store());
        store().deleteCertificate(DOMAIN);
        store().deleteEnrollment(DOMAIN);

        assertThat(store().loadEnrollments()).isEmpty();
        assertThat(store().loadAllMetadata(List.of(DOMAIN))).isEmpty();
    }

    @Test
    void anEditedIndexIsNotBelievedAndIsWrittenAnew() throws Exception {
        IssuedCertificate saved = savedWithEnrollment();
        start(store());
        byte[] index = Files.readAllBytes(index());
        // push every expiry (a long of seconds since the epoch) a year later: a forged index asking for no renewal
        byte[] notAfter = ByteBuffer.allocate(8).putLong(saved.metadata().notAfter().getEpochSecond()).array();
        byte[] forged = ByteBuffer.allocate(8).putLong(saved.metadata().notAfter().getEpochSecond() + 365 * 86_400L).array();
        int at = indexOf(index, notAfter);
        assertThat(at).as("the expiry is in the index").isPositive();
        System.arraycopy(forged, 0, index, at, 8);
        Files.write(index(), index);

        assertThat(start(store())).containsEntry(DOMAIN, saved.metadata());
        assertThat(Files.readAllBytes(index())).as("written anew").isNotEqualTo(index);
        assertThat(start(store())).containsEntry(DOMAIN, saved.metadata());
    }

    @Test
    void aDamagedTruncatedOrMissingIndexIsIgnored() throws Exception {
        IssuedCertificate saved = savedWithEnrollment();
        start(store());
        byte[] index = Files.readAllBytes(index());
        byte[] hugeCount = index.clone();
        ByteBuffer.wrap(hugeCount).putInt("autocert4j store index 2\n".length(), Integer.MAX_VALUE);

        for (byte[] damaged : List.of("not an index".getBytes(StandardCharsets.US_ASCII),
                java.util.Arrays.copyOf(index, index.length - 40), hugeCount, new byte[0])) {
            Files.write(index(), damaged);
            assertThat(start(store())).containsEntry(DOMAIN, saved.metadata());
            assertThat(store().loadEnrollments()).containsExactly(Map.entry(DOMAIN, CHOICES));
        }
        Files.delete(index());
        assertThat(start(store())).containsEntry(DOMAIN, saved.metadata());
        assertThat(index()).exists();
    }

    @Test
    void valuesWithTabsLineBreaksAndNonAsciiCharactersComeBackAsTheyWere() {
        Map<String, String> choices = Map.of("note", "tab\there\nnew line \\ backslash", "email", "zoë@example.com");
        store().saveEnrollment(DOMAIN, choices);
        start(store());
        assertThat(index()).exists();

        assertThat(store().loadEnrollments()).containsExactly(Map.entry(DOMAIN, choices));
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            if (java.util.Arrays.equals(haystack, i, i + needle.length, needle, 0, needle.length)) {
                return i;
            }
        }
        return -1;
    }
}
