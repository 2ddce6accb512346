package dev.autocert4j.pkcs12;

import dev.autocert4j.spi.OwnerOnlyFiles;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * An exclusive lock on a store folder, across threads and processes: a JVM-wide lock per folder
 * (file locks are held per process, so two threads must not both take one) plus an OS file lock
 * on {@code .lock}. While it is held, no other writer is mid-save, so leftover temporary files
 * from a crashed writer are removed (at the first lock in a JVM, then every 10 minutes).
 */
final class FolderLock implements AutoCloseable {

    private static final Map<Path, ReentrantLock> IN_THIS_JVM = new ConcurrentHashMap<>();
    /**
     * Looking for leftovers lists every file of the store: at each save, a store of 10,000
     * certificates would list 20,000 files per save. Once per folder and JVM, then every 10 minutes, is enough.
     */
    private static final long CLEAN_EVERY_NANOS = java.util.concurrent.TimeUnit.MINUTES.toNanos(10);
    private static final Map<Path, Long> LAST_CLEANED = new ConcurrentHashMap<>();

    private final ReentrantLock jvmLock;
    private final FileChannel channel;
    private final FileLock fileLock;

    private FolderLock(ReentrantLock jvmLock, FileChannel channel, FileLock fileLock) {
        this.jvmLock = jvmLock;
        this.channel = channel;
        this.fileLock = fileLock;
    }

    /** File work done while the lock is held. */
    @FunctionalInterface
    interface LockedWork {
        void run() throws IOException;
    }

    /**
     * Runs work while holding the folder's lock.
     *
     * @param root the store folder
     * @param work what to do
     */
    static void whileLocked(Path root, LockedWork work) throws IOException {
        FolderLock lock = acquire(root);
        try {
            work.run();
        } finally {
            lock.close();
        }
    }

    private static FolderLock acquire(Path root) throws IOException {
        Path folder = root.toAbsolutePath().normalize();
        ReentrantLock jvmLock = IN_THIS_JVM.computeIfAbsent(folder, p -> new ReentrantLock());
        jvmLock.lock();
        FileChannel channel = null;
        try {
            OwnerOnlyFiles.createFolders(root);
            channel = openLockFile(root.resolve(".lock"));
            FileLock fileLock = channel.lock();
            deleteLeftoversNowAndThen(folder);
            return new FolderLock(jvmLock, channel, fileLock);
        } catch (IOException | RuntimeException e) {
            if (channel != null) {
                channel.close();
            }
            jvmLock.unlock();
            throw e;
        }
    }

    /** Called with the lock held, so no writer in any process is mid-save. */
    private static void deleteLeftoversNowAndThen(Path folder) throws IOException {
        Long last = LAST_CLEANED.get(folder);
        long now = System.nanoTime();
        if (last == null || now - last >= CLEAN_EVERY_NANOS) {
            for (Path each : new Path[]{folder.resolve("certificates"), folder.resolve("accounts"),
                    folder.resolve("enrollments")}) {
                OwnerOnlyFiles.deleteTemporaryFiles(each);
            }
            deleteLeftoversOfFolderStorage(folder);
            LAST_CLEANED.put(folder, now);
        }
    }

    /** In the folder, its shard folders, and the same in each of its {@code .d} folders; reads names only. */
    private static void deleteLeftoversOfFolderStorage(Path folder) throws IOException {
        OwnerOnlyFiles.deleteTemporaryFiles(folder);
        try (DirectoryStream<Path> shards = Files.newDirectoryStream(folder, "[0-9a-f][0-9a-f]")) {
            for (Path shard : shards) {
                OwnerOnlyFiles.deleteTemporaryFiles(shard);
            }
        }
        try (DirectoryStream<Path> keyFolders = Files.newDirectoryStream(folder, "*.d")) {
            for (Path keyFolder : keyFolders) {
                if (Files.isDirectory(keyFolder, LinkOption.NOFOLLOW_LINKS)) {
                    deleteLeftoversOfFolderStorage(keyFolder);
                }
            }
        }
    }

    /** Opens the lock file without following links: a planted link must not make us create a file elsewhere. */
    private static FileChannel openLockFile(Path lockFile) throws IOException {
        try {
            return FileChannel.open(lockFile, Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    LinkOption.NOFOLLOW_LINKS), OwnerOnlyFiles.ownerOnlyFile(lockFile.toAbsolutePath().getParent()));
        } catch (IOException e) {
            if (Files.isSymbolicLink(lockFile)) {
                throw new IOException(lockFile + " is a symbolic link, which this store never creates; remove it", e);
            }
            throw e;
        }
    }

    @Override
    public void close() throws IOException {
        try {
            fileLock.release();
            channel.close();
        } finally {
            jvmLock.unlock();
        }
    }
}
