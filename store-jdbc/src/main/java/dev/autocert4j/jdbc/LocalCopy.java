package dev.autocert4j.jdbc;

import dev.autocert4j.InvalidInputException;
import dev.autocert4j.IssuedCertificate;
import dev.autocert4j.spi.OwnerOnlyFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * This node's own encrypted copy of what it last read from or wrote to the database, in a folder:
 * it lets a node start and serve its certificates while the database is down, and keeps a
 * certificate obtained while the database could not take it ("pending") until it can. Files are
 * sealed with the store key, created 0600 in a folder created 0700 (never narrowed afterwards) and
 * replaced atomically; an existing folder other users can use is refused.
 */
final class LocalCopy {

    private static final Logger LOG = LoggerFactory.getLogger(LocalCopy.class);
    private static final String CERTIFICATE = ".certificate";
    private static final String PENDING = ".pending";
    private static final String ENROLLMENTS = "enrollments.sealed";

    private final Path folder;
    private final StoreKey key;

    /** @throws InvalidInputException if the folder exists and other users can use it */
    LocalCopy(Path folder, StoreKey key) {
        this.folder = folder.toAbsolutePath();
        this.key = key;
        requireOwnerOnly(this.folder);
    }

    private static void requireOwnerOnly(Path folder) {
        try {
            if (Files.isDirectory(folder) && folder.getFileSystem().supportedFileAttributeViews().contains("posix")
                    && OwnerOnlyFiles.othersCanUse(Files.getPosixFilePermissions(folder))) {
                throw new InvalidInputException("localCopy", folder.toString(), "can be used by other users (mode "
                        + PosixFilePermissions.toString(Files.getPosixFilePermissions(folder)) + "); it holds sealed"
                        + " certificates and this node's replay record: make it the owner's only (chmod 700 " + folder + ")");
            }
        } catch (IOException e) {
            throw new InvalidInputException("localCopy", folder.toString(), "cannot be read: " + e.getMessage());
        }
    }

    void keep(IssuedCertificate certificate) {
        write(certificate, CERTIFICATE);
    }

    void keepPending(IssuedCertificate certificate) {
        write(certificate, PENDING);
    }

    void forgetPending(String domain) {
        delete(folder.resolve(domain + PENDING));
    }

    void forget(String domain) {
        delete(folder.resolve(domain + CERTIFICATE));
        delete(folder.resolve(domain + PENDING));
    }

    /** @return the pending certificate of a domain if there is one, otherwise the copy */
    Optional<IssuedCertificate> newest(String domain) {
        Optional<IssuedCertificate> pending = read(domain, PENDING);
        return pending.isPresent() ? pending : read(domain, CERTIFICATE);
    }

    Optional<IssuedCertificate> pending(String domain) {
        return read(domain, PENDING);
    }

    /** @return the domains with a certificate the database has not taken yet */
    List<String> pendingDomains() {
        List<String> domains = new ArrayList<>();
        if (!Files.isDirectory(folder)) {
            return domains;
        }
        try (Stream<Path> files = Files.list(folder)) {
            files.map(file -> file.getFileName().toString()).filter(name -> name.endsWith(PENDING))
                    .forEach(name -> domains.add(name.substring(0, name.length() - PENDING.length())));
        } catch (IOException e) {
            LOG.warn("Cannot list the local copy in {}: {}", folder, e.toString());
        }
        return domains;
    }

    void keepEnrollments(Map<String, Map<String, String>> enrollments) {
        Properties all = new Properties();
        enrollments.forEach((name, choices) -> choices.forEach((k, v) -> all.setProperty(name + "\u0000" + k, v)));
        StringWriter text = new StringWriter();
        try {
            all.store(text, null);
        } catch (IOException e) {
            throw new IllegalStateException("a StringWriter does not fail", e);
        }
        writeFile(folder.resolve(ENROLLMENTS), key.seal(text.toString().getBytes(StandardCharsets.UTF_8), "local:enrollments"));
    }

    Optional<Map<String, Map<String, String>>> enrollments() {
        try {
            byte[] sealed = Files.readAllBytes(folder.resolve(ENROLLMENTS));
            Properties all = new Properties();
            all.load(new StringReader(new String(key.open(sealed, "local:enrollments"), StandardCharsets.UTF_8)));
            Map<String, Map<String, String>> enrollments = new LinkedHashMap<>();
            for (String name : all.stringPropertyNames()) {
                int split = name.indexOf('\u0000');
                enrollments.computeIfAbsent(name.substring(0, split), n -> new LinkedHashMap<>())
                        .put(name.substring(split + 1), all.getProperty(name));
            }
            return Optional.of(enrollments);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            LOG.warn("The local copy of the enrollments in {} cannot be read; ignored: {}", folder, e.toString());
            return Optional.empty();
        }
    }

    private void write(IssuedCertificate certificate, String suffix) {
        String domain = certificate.metadata().domain();
        writeFile(folder.resolve(domain + suffix), CertificateCodec.sealWhole(certificate, key, "local:" + domain));
    }

    private Optional<IssuedCertificate> read(String domain, String suffix) {
        Path file = folder.resolve(domain + suffix);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(CertificateCodec.openWhole(Files.readAllBytes(file), key, "local:" + domain));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            LOG.warn("The local copy {} cannot be read; ignored: {}", file, e.toString());
            return Optional.empty();
        }
    }

    private void writeFile(Path target, byte[] content) {
        try {
            OwnerOnlyFiles.replace(target, content);
        } catch (IOException e) {
            LOG.warn("Cannot write the local copy {}: {}", target, e.toString());
        }
    }

    private static void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.warn("Cannot delete the local copy {}: {}", file, e.toString());
        }
    }
}
