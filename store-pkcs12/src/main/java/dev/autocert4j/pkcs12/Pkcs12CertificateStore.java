package dev.autocert4j.pkcs12;

import dev.autocert4j.AcmeAccount;
import dev.autocert4j.CertificateMetadata;
import dev.autocert4j.CertificateStore;
import dev.autocert4j.CertificateStoreException;
import dev.autocert4j.IssuedCertificate;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.UnrecoverableKeyException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A {@link CertificateStore} in a folder on disk:
 * <ul>
 *   <li>{@code certificates/<domain>.p12}: the chain and private key in a password-protected
 *       PKCS#12 file (alias {@value #ALIAS}), which servers such as Tomcat or Jetty can also read;</li>
 *   <li>{@code certificates/<domain>.properties}: the metadata (issued at, validity, serial, issuer,
 *       CA directory, account URL);</li>
 *   <li>{@code accounts/<hash of directory URL>.account}: the ACME account URL and its key pair,
 *       the private key encrypted with the same password;</li>
 *   <li>{@code enrollments/<domain>.properties}: the choices of each enrollment (binding, HTTPS
 *       port, email, challenge type, key type, profile), so that {@code AutoCert.start()} resumes
 *       it; no secret is kept there.</li>
 * </ul>
 * Every file is written atomically (temporary file, sync, rename) with permissions 0600 in folders
 * 0700. The PKCS#12 file is the source of truth: metadata whose serial number does not match it
 * (a crash between the two writes) is ignored and rebuilt from the certificate.
 *
 * <p>Thread-safe. Saves hold an exclusive lock on {@code <root>/.lock}, so several processes
 * (or several store objects) can share one folder; loads need no lock.
 */
public final class Pkcs12CertificateStore implements CertificateStore {

    /** The alias of the key entry in each PKCS#12 file. */
    public static final String ALIAS = "certificate";

    private static final String PKCS12_SHA256 = "pkcs12Sha256";
    private static final Pattern DOMAIN = Pattern.compile("[a-z0-9]([a-z0-9-]{0,62})(\\.[a-z0-9]([a-z0-9-]{0,62}))*");

    private final Path root;
    private final char[] password;

    /**
     * Opens (or creates on first save) a store in a folder.
     *
     * @param root     the folder; created with permissions 0700 when first needed
     * @param password the password of the PKCS#12 files and account keys; copied, so the caller may clear it
     * @throws IllegalArgumentException if the password is empty
     */
    public Pkcs12CertificateStore(Path root, char[] password) {
        Objects.requireNonNull(root, "root");
        Objects.requireNonNull(password, "password");
        if (password.length == 0) {
            throw new IllegalArgumentException("password must not be empty: the store protects private keys with it");
        }
        this.root = root.toAbsolutePath();
        this.password = password.clone();
    }

    /** @return the store's folder */
    public Path root() {
        return root;
    }

    /**
     * @param domain a domain with a saved certificate
     * @return the PKCS#12 file holding its chain and key
     */
    public Path certificateFile(String domain) {
        return certificates().resolve(requireDomain(domain) + ".p12");
    }

    private Path metadataFile(String domain) {
        return certificates().resolve(requireDomain(domain) + ".properties");
    }

    private Path certificates() {
        return root.resolve("certificates");
    }

    private Path enrollmentFile(String name) {
        return enrollments().resolve(requireDomain(name) + ".properties");
    }

    private Path enrollments() {
        return root.resolve("enrollments");
    }

    private Path accountFile(URI caDirectory) {
        return root.resolve("accounts").resolve(hash(caDirectory.toString()) + ".account");
    }

    @Override
    public synchronized Optional<AcmeAccount> loadAccount(URI caDirectory) {
        Objects.requireNonNull(caDirectory, "caDirectory");
        Path file = accountFile(caDirectory);
        Optional<Properties> properties = readProperties(file);
        if (properties.isEmpty()) {
            return Optional.empty();
        }
        try {
            Properties p = properties.get();
            String algorithm = required(p, "keyAlgorithm", file);
            PrivateKey privateKey = AccountKeyCodec.decrypt(decode(required(p, "privateKey", file)), password);
            KeyPair keyPair = new KeyPair(AccountKeyCodec.publicKey(algorithm, decode(required(p, "publicKey", file))), privateKey);
            String location = p.getProperty("location", "");
            return Optional.of(new AcmeAccount(caDirectory, keyPair, location.isEmpty() ? null : URI.create(location)));
        } catch (IOException | IllegalArgumentException e) {
            throw new CertificateStoreException("Cannot read the ACME account in " + file + ": " + e.getMessage()
                    + ". The file was left as it is.", e);
        }
    }

    @Override
    public synchronized void saveAccount(AcmeAccount account) {
        Objects.requireNonNull(account, "account");
        Path file = accountFile(account.caDirectory());
        try {
            Properties p = new Properties();
            p.setProperty("directory", account.caDirectory().toString());
            p.setProperty("location", account.location() == null ? "" : account.location().toString());
            p.setProperty("keyAlgorithm", account.keyPair().getPublic().getAlgorithm());
            p.setProperty("publicKey", encode(account.keyPair().getPublic().getEncoded()));
            p.setProperty("privateKey", encode(AccountKeyCodec.encrypt(account.keyPair().getPrivate(), password)));
            FolderLock.whileLocked(root, () -> writeProperties(file, p, "ACME account for " + account.caDirectory()));
        } catch (IOException e) {
            throw saveFailed(file, e);
        }
    }

    @Override
    public synchronized Optional<IssuedCertificate> loadCertificate(String domain) {
        Path file = certificateFile(domain);
        Optional<byte[]> bytes = readIfExists(file);
        if (bytes.isEmpty()) {
            return Optional.empty();
        }
        KeyStore keyStore = parseKeyStore(file, bytes.get());
        try {
            Key key = keyStore.getKey(ALIAS, password);
            Certificate[] chain = keyStore.getCertificateChain(ALIAS);
            if (!(key instanceof PrivateKey privateKey) || chain == null || chain.length == 0) {
                throw new CertificateStoreException(file + " holds no '" + ALIAS + "' key entry with a certificate chain;"
                        + " it was not written by this store. The file was left as it is.", null);
            }
            List<X509Certificate> x509Chain = new ArrayList<>();
            for (Certificate certificate : chain) {
                x509Chain.add((X509Certificate) certificate);
            }
            CertificateMetadata metadata = metadataFor(requireDomain(domain), x509Chain.get(0));
            return Optional.of(new IssuedCertificate(x509Chain, privateKey, metadata));
        } catch (GeneralSecurityException | ClassCastException e) {
            throw new CertificateStoreException("Cannot read the key in " + file + ": " + e.getMessage()
                    + ". The file was left as it is.", e);
        }
    }

    private KeyStore parseKeyStore(Path file, byte[] bytes) {
        try {
            KeyStore keyStore = KeyStore.getInstance("PKCS12");
            keyStore.load(new ByteArrayInputStream(bytes), password);
            return keyStore;
        } catch (IOException e) {
            boolean wrongPassword = e.getCause() instanceof UnrecoverableKeyException
                    || String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT).contains("password");
            throw new CertificateStoreException("Cannot open " + file + ": "
                    + (wrongPassword ? "the keystore password is wrong" : "it is damaged or not a PKCS#12 file ("
                    + e.getMessage() + ")") + ". The file was left as it is.", e);
        } catch (GeneralSecurityException e) {
            throw new CertificateStoreException("Cannot open " + file + ": " + e.getMessage(), e);
        }
    }

    /** The stored metadata if it belongs to this certificate, otherwise what the certificate itself says. */
    private CertificateMetadata metadataFor(String domain, X509Certificate leaf) {
        String serial = CertificateMetadata.hexSerial(leaf.getSerialNumber());
        Properties p = readProperties(metadataFile(domain)).orElseGet(Properties::new);
        if (!serial.equals(p.getProperty("serialNumber"))) {
            return CertificateMetadata.of(domain, leaf, leaf.getNotBefore().toInstant(), null, null);
        }
        return CertificateMetadata.of(domain, leaf, Instant.parse(p.getProperty("issuedAt")),
                optionalUri(p.getProperty("caDirectory")), optionalUri(p.getProperty("accountLocation")));
    }

    /**
     * Reads the metadata file alone, without decrypting the key: fast enough to check thousands of
     * certificates. It is trusted only if it names the SHA-256 of the PKCS#12 file as it is now;
     * otherwise (a crash between the two writes) the certificate itself is read.
     */
    @Override
    public synchronized Optional<CertificateMetadata> loadMetadata(String domain) {
        Optional<byte[]> pkcs12 = readIfExists(certificateFile(domain));
        if (pkcs12.isEmpty()) {
            return Optional.empty();
        }
        Properties p = readProperties(metadataFile(domain)).orElseGet(Properties::new);
        if (!sha256(pkcs12.get()).equals(p.getProperty(PKCS12_SHA256))) {
            return loadCertificate(domain).map(IssuedCertificate::metadata);
        }
        try {
            return Optional.of(new CertificateMetadata(requireDomain(domain), Instant.parse(p.getProperty("issuedAt")),
                    Instant.parse(p.getProperty("notBefore")), Instant.parse(p.getProperty("notAfter")),
                    p.getProperty("serialNumber"), p.getProperty("issuer"), optionalUri(p.getProperty("caDirectory")),
                    optionalUri(p.getProperty("accountLocation"))));
        } catch (RuntimeException e) {
            return loadCertificate(domain).map(IssuedCertificate::metadata);
        }
    }

    @Override
    public synchronized void saveCertificate(IssuedCertificate certificate) {
        Objects.requireNonNull(certificate, "certificate");
        CertificateMetadata metadata = certificate.metadata();
        Path file = certificateFile(metadata.domain());
        try {
            byte[] pkcs12 = pkcs12Bytes(certificate);
            Properties properties = metadataProperties(metadata);
            properties.setProperty(PKCS12_SHA256, sha256(pkcs12));
            FolderLock.whileLocked(root, () -> {
                AtomicFiles.createPrivateFolder(certificates());
                AtomicFiles.write(file, pkcs12);
                writeProperties(metadataFile(metadata.domain()), properties, "Certificate metadata for " + metadata.domain());
            });
        } catch (IOException | GeneralSecurityException e) {
            throw saveFailed(file, e);
        }
    }

    private byte[] pkcs12Bytes(IssuedCertificate certificate) throws IOException, GeneralSecurityException {
        KeyStore keyStore = KeyStore.getInstance("PKCS12");
        keyStore.load(null, null);
        keyStore.setKeyEntry(ALIAS, certificate.privateKey(), password,
                certificate.chain().toArray(new X509Certificate[0]));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        keyStore.store(out, password);
        return out.toByteArray();
    }

    private static Properties metadataProperties(CertificateMetadata metadata) {
        Properties p = new Properties();
        p.setProperty("domain", metadata.domain());
        p.setProperty("issuedAt", metadata.issuedAt().toString());
        p.setProperty("notBefore", metadata.notBefore().toString());
        p.setProperty("notAfter", metadata.notAfter().toString());
        p.setProperty("serialNumber", metadata.serialNumber());
        p.setProperty("issuer", metadata.issuer());
        if (metadata.caDirectory() != null) {
            p.setProperty("caDirectory", metadata.caDirectory().toString());
        }
        if (metadata.accountLocation() != null) {
            p.setProperty("accountLocation", metadata.accountLocation().toString());
        }
        return p;
    }

    @Override
    public synchronized List<String> domains() {
        Path folder = certificates();
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(f -> isOwnFile(f, ".p12"))
                    .map(f -> f.getFileName().toString())
                    .map(name -> name.substring(0, name.length() - ".p12".length()))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new CertificateStoreException("Cannot list " + folder + ": " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized void deleteCertificate(String domain) {
        Path file = certificateFile(domain);
        try {
            FolderLock.whileLocked(root, () -> {
                Files.deleteIfExists(metadataFile(domain));
                Files.deleteIfExists(file);
            });
        } catch (IOException e) {
            throw new CertificateStoreException("Cannot delete " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public boolean keepsEnrollments() {
        return true;
    }

    @Override
    public synchronized void saveEnrollment(String name, Map<String, String> choices) {
        Objects.requireNonNull(choices, "choices");
        Path file = enrollmentFile(name);
        Properties properties = new Properties();
        properties.putAll(choices);
        try {
            FolderLock.whileLocked(root, () -> writeProperties(file, properties, "autocert4j enrollment of " + name));
        } catch (IOException e) {
            throw saveFailed(file, e);
        }
    }

    @Override
    public synchronized Map<String, Map<String, String>> loadEnrollments() {
        Path folder = enrollments();
        if (!Files.isDirectory(folder)) {
            return Map.of();
        }
        Map<String, Map<String, String>> loaded = new TreeMap<>();
        try (Stream<Path> files = Files.list(folder)) {
            for (Path file : files.filter(f -> isOwnFile(f, ".properties")).toList()) {
                String name = file.getFileName().toString();
                Map<String, String> choices = new LinkedHashMap<>();
                readProperties(file).orElseGet(Properties::new)
                        .forEach((key, value) -> choices.put((String) key, (String) value));
                loaded.put(name.substring(0, name.length() - ".properties".length()), choices);
            }
        } catch (IOException e) {
            throw new CertificateStoreException("Cannot list " + folder + ": " + e.getMessage(), e);
        }
        return loaded;
    }

    @Override
    public synchronized void deleteEnrollment(String name) {
        Path file = enrollmentFile(name);
        try {
            FolderLock.whileLocked(root, () -> Files.deleteIfExists(file));
        } catch (IOException e) {
            throw new CertificateStoreException("Cannot delete " + file + ": " + e.getMessage(), e);
        }
    }

    private static boolean isOwnFile(Path file, String suffix) {
        String name = file.getFileName().toString();
        return name.endsWith(suffix) && !name.startsWith(".");
    }

    private void writeProperties(Path file, Properties properties, String comment) throws IOException {
        AtomicFiles.createPrivateFolder(file.getParent());
        StringWriter text = new StringWriter();
        properties.store(text, comment);
        AtomicFiles.write(file, text.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static Optional<byte[]> readIfExists(Path file) {
        try {
            return Optional.of(Files.readAllBytes(file));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new CertificateStoreException("Cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static Optional<Properties> readProperties(Path file) {
        try {
            String text = Files.readString(file, StandardCharsets.UTF_8);
            Properties properties = new Properties();
            properties.load(new StringReader(text));
            return Optional.of(properties);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException | IllegalArgumentException e) {
            throw new CertificateStoreException("Cannot read " + file + ": " + e.getMessage()
                    + ". The file was left as it is.", e);
        }
    }

    private static CertificateStoreException saveFailed(Path file, Exception e) {
        return new CertificateStoreException("Cannot save " + file + ": " + e.getMessage()
                + ". What was stored before is unchanged.", e);
    }

    private static String required(Properties p, String key, Path file) throws IOException {
        String value = p.getProperty(key);
        if (value == null || value.isEmpty()) {
            throw new IOException("'" + key + "' is missing from " + file);
        }
        return value;
    }

    private static String requireDomain(String domain) {
        Objects.requireNonNull(domain, "domain");
        String name = domain.toLowerCase(Locale.ROOT);
        if (name.length() > 253 || !DOMAIN.matcher(name).matches()) {
            throw new IllegalArgumentException("domain '" + domain + "' is not a DNS name");
        }
        return name;
    }

    private static URI optionalUri(String value) {
        return value == null || value.isEmpty() ? null : URI.create(value);
    }

    private static String encode(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }

    private static byte[] decode(String text) {
        return Base64.getDecoder().decode(text);
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    private static String hash(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(Arrays.copyOf(digest, 16));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    @Override
    public String toString() {
        return "Pkcs12CertificateStore[" + root + "]";
    }
}
