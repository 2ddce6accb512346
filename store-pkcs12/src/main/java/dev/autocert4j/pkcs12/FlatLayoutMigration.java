package dev.autocert4j.pkcs12;

import dev.autocert4j.spi.OwnerOnlyFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Moves a {@link FolderStorage} folder from the flat layout ({@code certificates.d/<name>.entry}) to
 * the sharded one ({@code certificates.d/<shard>/<name>.entry}), in place, once, under the folder's
 * lock: every flat file is linked (or, where links are not supported, copied) to its sharded path,
 * the shard folders are synced, and only then is the marker {@value #MARKER} written, which makes
 * the new layout the one read, in one atomic step. The flat files are then deleted and the marker
 * says so. A crash before the marker leaves the flat files as they were and the next start moves
 * them again; a crash after it leaves flat files that are never read, deleted at the next start.
 */
final class FlatLayoutMigration {

    /** The file whose presence says the folder is sharded; no key's file can have this name. */
    static final String MARKER = ".layout";
    static final String SHARDED = "sharded 256\n";
    static final String FLAT_FILES_REMOVED = SHARDED + "flat files removed\n";

    private static final Logger LOG = LoggerFactory.getLogger(FlatLayoutMigration.class);
    private static final String FILE_SUFFIX = ".entry";
    private static final String FOLDER_SUFFIX = ".d";

    private FlatLayoutMigration() {
    }

    /**
     * Moves the folder to the sharded layout unless its marker says that was done.
     *
     * @param root   the storage's folder, which exists
     * @param fileOf the sharded file of a key
     * @return how many flat files were moved now
     * @throws IOException if a file cannot be linked or the marker written; the flat files are then unchanged
     */
    static int migrateIfNeeded(Path root, Function<String, Path> fileOf) throws IOException {
        if (FLAT_FILES_REMOVED.equals(marker(root))) {
            return 0;
        }
        int[] moved = {0};
        FolderLock.whileLocked(root, () -> {
            String marker = marker(root);
            if (marker == null) {
                moved[0] = linkIntoShards(root, fileOf);
                OwnerOnlyFiles.replace(root.resolve(MARKER), SHARDED.getBytes(StandardCharsets.UTF_8));
                marker = SHARDED;
            }
            if (!SHARDED.equals(marker) && !FLAT_FILES_REMOVED.equals(marker)) {
                throw new IOException(root.resolve(MARKER) + " holds something this store never writes; restore it"
                        + " from a backup, or delete it to move the flat files into shards again");
            }
            if (SHARDED.equals(marker)) {
                for (FlatFile flat : flatFiles(root)) {
                    Files.deleteIfExists(flat.file());
                }
                OwnerOnlyFiles.replace(root.resolve(MARKER), FLAT_FILES_REMOVED.getBytes(StandardCharsets.UTF_8));
            }
        });
        if (moved[0] > 0) {
            LOG.info("Moved the {} files of {} into shard folders (at most 256 per folder); the flat layout is no"
                    + " longer read", moved[0], root);
        }
        return moved[0];
    }

    /** A file of the flat layout and the key it holds. */
    private record FlatFile(Path file, String key) {
    }

    private static int linkIntoShards(Path root, Function<String, Path> fileOf) throws IOException {
        List<FlatFile> flat = flatFiles(root);
        Set<Path> shards = new LinkedHashSet<>();
        for (FlatFile each : flat) {
            Path target = fileOf.apply(each.key());
            OwnerOnlyFiles.createFolders(target.getParent());
            Files.deleteIfExists(target); // left by a move cut short: the flat file is still the truth
            try {
                Files.createLink(target, each.file());
            } catch (UnsupportedOperationException | FileSystemException e) {
                OwnerOnlyFiles.replace(target, Files.readAllBytes(each.file()));
            }
            shards.add(target.getParent());
        }
        for (Path shard : shards) {
            sync(shard);
        }
        return flat.size();
    }

    /**
     * The files of the flat layout: regular files (never links) ending in {@code .entry} in the folder
     * or in folders ending in {@code .d}, each with the key its path spells.
     */
    private static List<FlatFile> flatFiles(Path root) throws IOException {
        List<FlatFile> flat = new ArrayList<>();
        collect(root, "", flat);
        return flat;
    }

    private static void collect(Path folder, String keyPrefix, List<FlatFile> flat) throws IOException {
        List<Path> children;
        try (Stream<Path> listed = Files.list(folder)) {
            children = listed.sorted().toList();
        }
        for (Path child : children) {
            String name = child.getFileName().toString();
            if (name.endsWith(FOLDER_SUFFIX) && Files.isDirectory(child, LinkOption.NOFOLLOW_LINKS)) {
                collect(child, keyPrefix + name.substring(0, name.length() - FOLDER_SUFFIX.length()) + "/", flat);
            } else if (name.endsWith(FILE_SUFFIX) && !name.startsWith(".")
                    && Files.isRegularFile(child, LinkOption.NOFOLLOW_LINKS)) {
                String key = keyPrefix + name.substring(0, name.length() - FILE_SUFFIX.length());
                try {
                    flat.add(new FlatFile(child, dev.autocert4j.spi.Storage.requireValidKey(key)));
                } catch (IllegalArgumentException e) {
                    // not a file the storage wrote; left alone, as the flat layout left it
                }
            }
        }
    }

    private static String marker(Path root) throws IOException {
        try {
            return Files.readString(root.resolve(MARKER), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    private static void sync(Path folder) {
        try (FileChannel channel = FileChannel.open(folder, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            // a platform that cannot open folders; the links are made, only their durability waits for the OS
        }
    }
}
