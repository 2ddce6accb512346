package dev.autocert4j.spi;

import dev.autocert4j.InvalidInputException;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;

/**
 * Reads the text of a store key file: base64 in ASCII, whitespace and line breaks anywhere ignored.
 * Anything else (a byte order mark, UTF-16, Latin-1 or other non-ASCII bytes, characters outside
 * base64, a key of another length) is refused with a message that says which, and how to make a
 * good file; never a decoder's own message.
 */
final class StoreKeyFileText {

    /** How to make a key file, for every refusal. */
    static final String HOW_TO_MAKE_ONE = "Make one with StoreKeyFiles.createFile (the demo's --store-key-file and the folder store's"
            + " store-key-file create one when the file is missing), or with: (umask 077; head -c 32 /dev/urandom | base64 > FILE)";

    private StoreKeyFileText() {
    }

    /**
     * @param content   the file's bytes; not kept
     * @param keyLength how many bytes the key has
     * @param file      the file, for the message
     * @return the key bytes (the caller clears them)
     * @throws InvalidInputException saying what is wrong with the file
     */
    static byte[] decode(byte[] content, int keyLength, Path file) {
        String problem = encodingProblem(content);
        if (problem != null) {
            throw refused(file, keyLength, problem);
        }
        byte[] base64 = withoutWhitespace(content);
        try {
            if (base64.length == 0) {
                throw refused(file, keyLength, "it is empty");
            }
            byte[] key;
            try {
                key = Base64.getDecoder().decode(base64);
            } catch (IllegalArgumentException e) {
                throw refused(file, keyLength, "it is not base64 (it holds characters other than A-Z, a-z, 0-9, +, / and"
                        + " a final =, or is cut short)");
            }
            if (key.length != keyLength) {
                Arrays.fill(key, (byte) 0);
                throw refused(file, keyLength, "it holds " + key.length + " bytes in base64, not " + keyLength);
            }
            return key;
        } finally {
            Arrays.fill(base64, (byte) 0);
        }
    }

    private static String encodingProblem(byte[] content) {
        if (startsWith(content, 0xEF, 0xBB, 0xBF)) {
            return "it starts with a UTF-8 byte order mark; save it as plain ASCII";
        }
        if (startsWith(content, 0xFE, 0xFF) || startsWith(content, 0xFF, 0xFE)) {
            return "it is UTF-16 text (it starts with a UTF-16 byte order mark); save it as plain ASCII";
        }
        for (byte b : content) {
            if (b == 0) {
                return "it holds NUL bytes (UTF-16 text, or not text at all); save it as plain ASCII";
            }
            if (b < 0) {
                return "it holds bytes that are not ASCII (Latin-1, UTF-8 letters or binary); save it as plain ASCII";
            }
        }
        return null;
    }

    private static boolean startsWith(byte[] content, int... prefix) {
        if (content.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if ((content[i] & 0xFF) != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    private static byte[] withoutWhitespace(byte[] content) {
        byte[] kept = new byte[content.length];
        int length = 0;
        for (byte b : content) {
            if (b != ' ' && b != '\t' && b != '\r' && b != '\n' && b != '\f') {
                kept[length++] = b;
            }
        }
        byte[] result = Arrays.copyOf(kept, length);
        Arrays.fill(kept, (byte) 0);
        return result;
    }

    private static InvalidInputException refused(Path file, int keyLength, String problem) {
        return new InvalidInputException("store key file", file.toString(), "must hold " + keyLength
                + " random bytes in base64 (ASCII, whitespace and line breaks allowed), but " + problem + ". "
                + HOW_TO_MAKE_ONE);
    }
}
