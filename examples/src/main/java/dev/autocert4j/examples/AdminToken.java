package dev.autocert4j.examples;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The secret that logs an admin in to the admin page: 256 random bits, URL-safe, made at the first
 * start in {@code admin.token} under the state folder (created 0600, in a folder 0700), or read
 * from the file {@code --admin-token-file} names. Only its file's path is ever printed. Tokens are
 * compared in constant time, through their SHA-256 digests.
 */
final class AdminToken {

    static final String FILE_NAME = "admin.token";
    static final int MIN_LENGTH = 22; // 128 bits in base64
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path file;
    private final byte[] digest;

    private AdminToken(Path file, String token) {
        this.file = file;
        this.digest = sha256(token);
    }

    /**
     * Reads the token in {@code admin.token} under the state folder, making it first if missing.
     *
     * @throws IOException naming the file or folder, if it cannot be made or read, or others can read it
     */
    static AdminToken readOrCreate(Path stateFolder) throws IOException {
        Path file = stateFolder.resolve(FILE_NAME);
        if (!Files.exists(file)) {
            SecretFiles.createOwnerOnly(file, newToken() + "\n"); // losing a race to another start is fine
        }
        SecretFiles.requireNotWritableByOthers(file.toAbsolutePath().getParent(), "folder of the admin token");
        return readFrom(file);
    }

    /**
     * Reads the token from a file the admin made.
     *
     * @throws IOException naming the file, if it is missing, short, or other users can read or change it
     */
    static AdminToken readFrom(Path file) throws IOException {
        String token = SecretFiles.read(file, "admin token file");
        if (token.length() < MIN_LENGTH) {
            throw new IOException("the admin token in " + file + " is too short: use at least " + MIN_LENGTH
                    + " random characters, such as the output of: head -c 32 /dev/urandom | base64");
        }
        return new AdminToken(file, token);
    }

    /** @return the file the token is in, for the start-up message */
    Path file() {
        return file;
    }

    /** @return whether the text is the token, compared in time independent of where they differ */
    boolean matches(String candidate) {
        return candidate != null && MessageDigest.isEqual(digest, sha256(candidate.strip()));
    }

    private static String newToken() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
