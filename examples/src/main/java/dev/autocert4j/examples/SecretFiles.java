package dev.autocert4j.examples;

import dev.autocert4j.spi.OwnerOnlyFiles;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The demo's secret files (store password, keystore password, TSIG key): read only when no other
 * user can read or change them. (The admin token is the admin module's {@code AdminTokenLogin}.)
 */
final class SecretFiles {

    private SecretFiles() {
    }

    /**
     * Reads a secret from a file as UTF-8 text, its surrounding white space stripped.
     *
     * @param file what the option or the default names
     * @param what what the file holds, for messages ("store password file")
     * @return the secret
     * @throws IOException naming the file, when it is missing, empty, not UTF-8, not the user's own,
     *                     or other users can read or change it
     */
    static String read(Path file, String what) throws IOException {
        return OwnerOnlyFiles.readSecret(file, what);
    }

    /**
     * Refuses a secret file that another user could read or change: group or others may read or
     * write it, or it belongs to another user.
     *
     * @throws IOException naming the file and saying how to make it private
     */
    static void requireOwnerOnly(Path file, String what) throws IOException {
        OwnerOnlyFiles.requireSecretFile(file, what);
    }
}
