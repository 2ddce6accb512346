package dev.autocert4j.pkcs12;

import dev.autocert4j.AcmeAccount;
import dev.autocert4j.CertificateMetadata;
import dev.autocert4j.CertificateStore;
import dev.autocert4j.CertificateStoreException;
import dev.autocert4j.IssuedCertificate;
import dev.autocert4j.PendingOrder;
import dev.autocert4j.spi.OwnerOnlyFiles;

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
import java.util.ArrayList;
import java.util.Collection;
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
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A {@link CertificateStore} in a folder on disk. The layout is stable, so hosts and servers may
 * read the files themselves:
 * <ul>
 *   <li>{@code certificates/<domain>.p12}: the chain (end-entity certificate first) and private key
 *       in a PKCS#12 file protected by the store password, key entry alias {@value #ALIAS}; Tomcat,
 *       Jetty, OpenSSL and {@code keytool} read it as it is;</li>
 *   <li>{@code certificates/<domain>.properties}: the metadata (names, issued at, validity, serial,
 *       issuer, CA directory, account URL), which lets renewal checks run without decrypting a key;</li>
 *   <li>{@code accounts/<hash of directory URL>.account}: the ACME account URL, its key pair (the
 *       private key encrypted with the store password), its contacts and the link of the Terms of
 *       Service the admin accepted (files from before 0.2.0 have neither, and still load);</li>
 *   <li>{@code enrollments/<domain>.properties}: the choices of each enrollment (binding, HTTPS
 *       port, email, challenge type, key type, profile), so that {@code AutoCert.start()} resumes
 *       it; no secret is kept there;</li>
 *   <li>{@code pending-orders/<domain>.properties}: the order about to be finalized, while its
 *       certificate is not stored yet: its URL, the CA, the names and the new certificate's key
 *       (encrypted as an account key is), under an HMAC keyed from the store password;</li>
 *   <li>{@code store.index}: a cache of what start-up reads from the metadata and enrollment files,
 *       with each file's size, modification time and identity, under an HMAC keyed from the store
 *       password; an entry is used only while its file is unchanged, and the file may be deleted at
 *       any time (it is written anew).</li>
 * </ul>
 *
 * <p>Every file is written atomically (temporary file, sync, rename) with permissions 0600 in
 * folders 0700. Keys are encrypted with AES-256 under PBKDF2-HMAC-SHA256, whatever the JVM's
 * settings; files written by earlier versions stay readable. The store password should be random.
 * A store folder owned by another user, or writable by other users, is refused.
 *
 * <p>The PKCS#12 file is the source of truth. A metadata file is trusted only if its HMAC (keyed
 * from the store password) is right and it names the SHA-256 of the PKCS#12 file as it is now;
 * otherwise (edited, damaged, or left by a crash between the two writes) the certificate itself is
 * read and the metadata file written anew. Anything unreadable is a {@link CertificateStoreException}
 * naming the file, which is left as it is.
 *
 * <p>Thread-safe. Saves and deletes hold an exclusive lock on {@code <root>/.lock}, so several
 * processes (or several store objects) can share one folder; loads need no lock.
 *
 * <p>This is the store of 0.1 and 0.2, kept for hosts that use it. Its successor is a
 * {@link FolderStorage} under core's sealed store ({@code CertificateStores.onStorage}, or the plugin
 * named {@code folder}), which seals every entry with a store key, refuses entries replayed from an
 * older generation, and migrates a folder of this store once ({@link Version02Migration}).
 */
public final class Pkcs12CertificateStore implements CertificateStore {

    /** The alias of the key entry in each PKCS#12 file. */
    public static final String ALIAS = "certificate";

    private static final Pattern IPV6 = Pattern.compile("[0-9a-f]{1,4}(:[0-9a-f]{1,4}){7}");
    private static final Pattern DOMAIN = Pattern.compile("[a-z0-9]([a-z0-9-]{0,62})(\\.[a-z0-9]([a-z0-9-]{0,62}))*");

    private final Path root;
    private final char[] password;
    private final MetadataFile metadataFiles;
    /**
     * Metadata already checked against its PKCS#12 file, with that file's stamp, in memory and in
     * {@code store.index} across restarts: a renewal check of thousands of certificates asks the file
     * system, not the files, whether they changed (an atomic replace makes a new file). Enrollments too.
     */
    private final StoreIndex index;
    private final PendingOrderFile pendingOrders;
    private volatile boolean rootChecked;
    /** Derived from the password at the first save; deriving it at each would be most of a save's cost. */
    private volatile JdkPbeOperators.KeyEncryptionKey keyEncryptionKey;

    /**
     * Opens (or creates on first save) a store in a folder. Nothing is read until it is used.
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
        this.metadataFiles = new MetadataFile(this.password);
        this.index = new StoreIndex(this.root, metadataFiles::key);
        this.pendingOrders = new PendingOrderFile(this.password, metadataFiles);
    }

    /**
     * Opens a store in a folder, its password kept in a file: read from there, or on first use a
     * random password is made and written there (owner-only, 0600, atomically; concurrent first
     * starts agree on one). For hosts with nowhere better to keep a secret; keep the file out of
     * backups that leave the machine, or pass a password from a secret manager to the constructor.
     *
     * @param root         the store folder
     * @param passwordFile the password file, for example {@code root.resolveSibling("store.password")}
     * @return the store
     * @throws CertificateStoreException if the file cannot be read or written, is empty, or other
     *                                   users can read it
     * @since 0.2.0
     */
    public static Pkcs12CertificateStore withPasswordFile(Path root, Path passwordFile) {
        Objects.requireNonNull(root, "root");
        Objects.requireNonNull(passwordFile, "passwordFile");
        char[] password;
        try {
            password = PasswordFile.readOrCreate(passwordFile);
        } catch (IOException e) {
            throw new CertificateStoreException("Cannot open the store password: " + e.getMessage(), e);
        }
        try {
            return new Pkcs12CertificateStore(root, password);
        } finally {
            Arrays.fill(password, '\0');
        }
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
        return certificates().resolve(fileStem(domain) + ".p12");
    }

    private Path metadataFile(String domain) {
        return certificates().resolve(fileStem(domain) + ".properties");
    }

    private Path certificates() {
        return root.resolve("certificates");
    }

    private Path enrollmentFile(String name) {
        return enrollments().resolve(fileStem(name) + ".properties");
    }

    private Path enrollments() {
        return root.resolve("enrollments");
    }

    private Path pendingOrderFile(String domain) {
        return root.resolve("pending-orders").resolve(fileStem(domain) + ".properties");
    }

    private Path accountFile(URI caDirectory) {
        return root.resolve("accounts").resolve(hash(caDirectory.toString()) + ".account");
    }

    /** Checks the folder's owner and permissions once, before the first use. */
    private void requireSafeRoot() {
        if (rootChecked) {
            return;
        }
        try {
            OwnerOnlyFiles.requirePrivateFolder(root);
        } catch (IOException e) {
            throw new CertificateStoreException("The store folder " + root + " is not safe to keep keys in: "
                    + e.getMessage() + ".", e);
        }
        rootChecked = Files.exists(root);
    }

    @Override
    public synchronized Optional<AcmeAccount> loadAccount(URI caDirectory) {
        Objects.requireNonNull(caDirectory, "caDirectory");
        requireSafeRoot();
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
            String terms = p.getProperty("acceptedTermsOfService", "");
            return Optional.of(new AcmeAccount(caDirectory, keyPair, location.isEmpty() ? null : URI.create(location),
                    contacts(p.getProperty("contacts", "")), terms.isEmpty() ? null : URI.create(terms)));
        } catch (IOException | RuntimeException e) {
            throw new CertificateStoreException("Cannot read the ACME account in " + file + ": " + e.getMessage()
                    + ". The file was left as it is.", e);
        }
    }

    @Override
    public synchronized void saveAccount(AcmeAccount account) {
        Objects.requireNonNull(account, "account");
        requireSafeRoot();
        Path file = accountFile(account.caDirectory());
        try {
            Properties p = new Properties();
            p.setProperty("directory", account.caDirectory().toString());
            p.setProperty("location", account.location() == null ? "" : account.location().toString());
            p.setProperty("keyAlgorithm", account.keyPair().getPublic().getAlgorithm());
            p.setProperty("publicKey", encode(account.keyPair().getPublic().getEncoded()));
            p.setProperty("privateKey", encode(AccountKeyCodec.encrypt(account.keyPair().getPrivate(), password)));
            if (!account.contacts().isEmpty()) {
                p.setProperty("contacts", String.join(",", account.contacts()));
            }
            account.acceptedTermsOfService().ifPresent(terms -> p.setProperty("acceptedTermsOfService", terms.toString()));
            FolderLock.whileLocked(root, () -> writeProperties(file, p, "ACME account for " + account.caDirectory()));
        } catch (IOException e) {
            throw saveFailed(file, e);
        }
    }

    /** The contact emails of an account file, comma-separated (an email holds no comma); none in files before 0.2.0. */
    private static List<String> contacts(String text) {
        return text.isBlank() ? List.of() : List.of(text.split(","));
    }

    @Override
    public Optional<IssuedCertificate> loadCertificate(String domain) {
        // not synchronized: handshakes that each need a key decrypted (lazy install) must not wait in
        // line; reading replaces no file, and rebuilding a metadata file takes the folder lock
        requireSafeRoot();
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
            String sha256 = sha256(bytes.get());
            CertificateMetadata metadata = trustedMetadata(requireDomain(domain), sha256)
                    .orElseGet(() -> rebuildMetadata(requireDomain(domain), x509Chain.get(0), sha256));
            return Optional.of(new IssuedCertificate(x509Chain, privateKey, metadata));
        } catch (GeneralSecurityException | ClassCastException e) {
            throw new CertificateStoreException("Cannot read the key in " + file + ": " + e.getMessage()
                    + ". The file was left as it is.", e);
        }
    }

    private KeyStore parseKeyStore(Path file, byte[] bytes) {
        try {
            return Pkcs12Files.read(bytes, password);
        } catch (IOException e) {
            boolean wrongPassword = e.getCause() instanceof UnrecoverableKeyException
                    || String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT).contains("password");
            throw new CertificateStoreException("Cannot open " + file + ": "
                    + (wrongPassword ? "the keystore password is wrong" : "it is damaged or not a PKCS#12 file ("
                    + e.getMessage() + ")") + ". The file was left as it is.", e);
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new CertificateStoreException("Cannot open " + file + ": " + e.getMessage()
                    + ". The file was left as it is.", e);
        }
    }

    /** The metadata file, if it is authentic and belongs to the PKCS#12 file with this hash. */
    private Optional<CertificateMetadata> trustedMetadata(String domain, String pkcs12Sha256) {
        Optional<byte[]> content = readIfExists(metadataFile(domain));
        return content.flatMap(bytes -> metadataFiles.read(domain, bytes, pkcs12Sha256));
    }

    /**
     * Metadata from the certificate itself, when the metadata file cannot be trusted: "issued at"
     * becomes the start of validity, CA and account are unknown. Written anew for the next reader;
     * a failure to write is no failure to load.
     */
    private CertificateMetadata rebuildMetadata(String domain, X509Certificate leaf, String pkcs12Sha256) {
        CertificateMetadata rebuilt = CertificateMetadata.of(domain, leaf, leaf.getNotBefore().toInstant(), null, null);
        CertificateMetadata[] result = {rebuilt};
        try {
            FolderLock.whileLocked(root, () -> {
                if (!readIfExists(certificateFile(domain)).map(Pkcs12CertificateStore::sha256).orElse("").equals(pkcs12Sha256)) {
                    return; // replaced meanwhile: its own metadata file was written with it
                }
                // a save that was between its two writes when this load read them has finished now
                Optional<CertificateMetadata> saved = trustedMetadata(domain, pkcs12Sha256);
                if (saved.isPresent()) {
                    result[0] = saved.get();
                } else {
                    OwnerOnlyFiles.replace(metadataFile(domain), metadataFiles.write(rebuilt, pkcs12Sha256));
                }
            });
        } catch (IOException | RuntimeException e) {
            // the next load rebuilds it again
        }
        return result[0];
    }

    /**
     * Reads the metadata file alone, without decrypting the key: fast enough to check thousands of
     * certificates. If it cannot be trusted, the certificate itself is read and the file rebuilt.
     */
    @Override
    public Optional<CertificateMetadata> loadMetadata(String domain) {
        // not synchronized: reads replace no file, and thousands of them may run on several threads
        requireSafeRoot();
        String name = requireDomain(domain);
        return Optional.ofNullable(currentMetadata(name));
    }

    /**
     * Reads the metadata of many certificates: each PKCS#12 file is asked for its stamp, and the
     * metadata kept in {@code store.index} for that stamp is used; only certificates saved since the
     * index was written are read from their files (and the index written anew).
     */
    @Override
    public Map<String, CertificateMetadata> loadAllMetadata(Collection<String> domains) {
        Objects.requireNonNull(domains, "domains");
        requireSafeRoot();
        Map<String, CertificateMetadata> all = new LinkedHashMap<>();
        try {
            for (String domain : domains) {
                CertificateMetadata metadata = currentMetadata(requireDomain(domain));
                if (metadata != null) {
                    all.put(domain, metadata);
                }
            }
        } finally {
            index.writeIfChanged(); // what was read before one file failed is kept too
        }
        return all;
    }

    /** The metadata of the PKCS#12 file as it is now, or {@code null} if there is none. */
    private CertificateMetadata currentMetadata(String name) {
        // the stamp is taken before reading: a file replaced in between has a new stamp and is read again next time
        StoreIndex.Stamp pkcs12Stamp = StoreIndex.Stamp.of(certificateFile(name));
        if (pkcs12Stamp == null) {
            index.removeCertificate(name);
            return null;
        }
        CertificateMetadata known = index.certificate(name, pkcs12Stamp);
        if (known != null) {
            return known; // the PKCS#12 file was not replaced since its metadata was checked
        }
        Optional<byte[]> pkcs12 = readIfExists(certificateFile(name));
        if (pkcs12.isEmpty()) {
            return null;
        }
        Optional<CertificateMetadata> trusted = trustedMetadata(name, sha256(pkcs12.get()));
        if (trusted.isEmpty()) {
            // rebuilt from the certificate (and its file rewritten); not kept, so that it is checked again next time
            return loadCertificate(name).map(IssuedCertificate::metadata).orElse(null);
        }
        index.putCertificate(name, pkcs12Stamp, trusted.get());
        return trusted.get();
    }

    @Override
    public void saveCertificate(IssuedCertificate certificate) {
        Objects.requireNonNull(certificate, "certificate");
        CertificateMetadata metadata = certificate.metadata();
        Path file = certificateFile(metadata.domain());
        byte[] pkcs12;
        byte[] sidecar;
        try {
            // encrypting is most of the cost: done before taking the lock, so that saves run in parallel
            pkcs12 = Pkcs12Files.write(certificate, password, keyEncryptionKey());
            sidecar = metadataFiles.write(metadata, sha256(pkcs12));
        } catch (IOException | GeneralSecurityException e) {
            throw saveFailed(file, e);
        }
        synchronized (this) {
            requireSafeRoot();
            index.removeCertificate(requireDomain(metadata.domain()));
            try {
                FolderLock.whileLocked(root, () -> {
                    OwnerOnlyFiles.createFolders(certificates());
                    OwnerOnlyFiles.replace(file, pkcs12);
                    OwnerOnlyFiles.replace(metadataFile(metadata.domain()), sidecar);
                });
            } catch (IOException e) {
                throw saveFailed(file, e);
            }
        }
    }

    @Override
    public synchronized List<String> domains() {
        requireSafeRoot();
        Path folder = certificates();
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(f -> isOwnFile(f, ".p12"))
                    .map(f -> f.getFileName().toString())
                    .map(name -> domainOf(name.substring(0, name.length() - ".p12".length())))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new CertificateStoreException("Cannot list " + folder + ": " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized void deleteCertificate(String domain) {
        requireSafeRoot();
        Path file = certificateFile(domain);
        index.removeCertificate(requireDomain(domain));
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
        requireSafeRoot();
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
        Map<String, Map<String, String>> loaded = new TreeMap<>();
        enrollmentFiles().forEach((name, file) -> loaded.put(name, enrollmentChoices(name, file)));
        index.retainEnrollments(loaded.keySet());
        // written by the loadAllMetadata that start-up calls next, so that a first start writes it once
        return loaded;
    }

    /** The enrollment names from the file names alone: nothing is read or stamped. */
    @Override
    public Set<String> enrollmentNames() {
        return Set.copyOf(enrollmentFiles().keySet());
    }

    /** Each enrollment's file, by enrollment name. */
    private Map<String, Path> enrollmentFiles() {
        requireSafeRoot();
        Path folder = enrollments();
        if (!Files.isDirectory(folder)) {
            return Map.of();
        }
        Map<String, Path> files = new LinkedHashMap<>();
        try (Stream<Path> listed = Files.list(folder)) {
            listed.filter(f -> isOwnFile(f, ".properties")).forEach(file -> {
                String fileName = file.getFileName().toString();
                files.put(domainOf(fileName.substring(0, fileName.length() - ".properties".length())), file);
            });
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new CertificateStoreException("Cannot list " + folder + ": " + e.getMessage(), e);
        }
        return files;
    }

    /** An enrollment file's choices: from {@code store.index} while the file is unchanged, else read. */
    private Map<String, String> enrollmentChoices(String name, Path file) {
        StoreIndex.Stamp stamp = StoreIndex.Stamp.of(file); // before reading, as for metadata
        Map<String, String> indexed = stamp == null ? null : index.enrollment(name, stamp);
        if (indexed != null) {
            return new LinkedHashMap<>(indexed);
        }
        Map<String, String> choices = new LinkedHashMap<>();
        readProperties(file).orElseGet(Properties::new)
                .forEach((key, value) -> choices.put((String) key, (String) value));
        if (stamp != null) {
            index.putEnrollment(name, stamp, choices);
        }
        return choices;
    }

    @Override
    public synchronized void deleteEnrollment(String name) {
        requireSafeRoot();
        Path file = enrollmentFile(name);
        try {
            FolderLock.whileLocked(root, () -> Files.deleteIfExists(file));
        } catch (IOException e) {
            throw new CertificateStoreException("Cannot delete " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public boolean keepsPendingOrders() {
        return true;
    }

    @Override
    public synchronized void savePendingOrder(PendingOrder order) {
        Objects.requireNonNull(order, "order");
        requireSafeRoot();
        Path file = pendingOrderFile(order.domain());
        try {
            byte[] content = pendingOrders.write(order);
            FolderLock.whileLocked(root, () -> {
                OwnerOnlyFiles.createFolders(file.getParent());
                OwnerOnlyFiles.replace(file, content);
            });
        } catch (IOException | GeneralSecurityException e) {
            throw saveFailed(file, e);
        }
    }

    /** A file that was edited, copied from another domain or cannot be decrypted is refused, and left as it is. */
    @Override
    public synchronized Optional<PendingOrder> loadPendingOrder(String domain) {
        requireSafeRoot();
        Path file = pendingOrderFile(domain);
        Optional<byte[]> content = readIfExists(file);
        if (content.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(pendingOrders.read(requireDomain(domain), content.get()));
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            throw new CertificateStoreException("The pending order in " + file + " is refused: " + e.getMessage()
                    + ".", e);
        }
    }

    @Override
    public synchronized void deletePendingOrder(String domain) {
        requireSafeRoot();
        Path file = pendingOrderFile(domain);
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
        OwnerOnlyFiles.createFolders(file.getParent());
        StringWriter text = new StringWriter();
        properties.store(text, comment);
        OwnerOnlyFiles.replace(file, text.toString().getBytes(StandardCharsets.UTF_8));
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

    private JdkPbeOperators.KeyEncryptionKey keyEncryptionKey() throws GeneralSecurityException {
        JdkPbeOperators.KeyEncryptionKey key = keyEncryptionKey;
        if (key == null) {
            key = JdkPbeOperators.KeyEncryptionKey.derive(password, Pkcs12Files.ITERATIONS); // a race derives twice, harmlessly
            keyEncryptionKey = key;
        }
        return key;
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

    /** @return the domain in lower case, if it is a DNS name, an IPv4 address or an IPv6 address in canonical form */
    private static String requireDomain(String domain) {
        Objects.requireNonNull(domain, "domain");
        String name = domain.toLowerCase(Locale.ROOT);
        if (!IPV6.matcher(name).matches() && (name.length() > 253 || !DOMAIN.matcher(name).matches())) {
            throw new IllegalArgumentException("domain '" + domain + "' is not a DNS name or IP address");
        }
        return name;
    }

    /**
     * The name of a domain's files: the DNS name or IPv4 address itself, or an IPv6 address with
     * {@code _} for {@code :} (which some file systems refuse; no DNS name has an underscore here).
     */
    private static String fileStem(String domain) {
        return requireDomain(domain).replace(':', '_');
    }

    /** The domain a file name stands for; see {@link #requireDomain}. */
    private static String domainOf(String stem) {
        return stem.replace('_', ':');
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
