package dev.autocert4j.pkcs12;

import dev.autocert4j.spi.Storage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The version of each file as last read, by the file's stamp (device, inode, size, modification
 * and change time), so that asking whether an entry changed costs one {@code stat} call rather
 * than reading and hashing it: how a check pass over 100,000 entries with nothing due stays cheap.
 * The change time cannot be set by a program (any write, rename or link sets it to now), and a
 * stamp is kept only once the file has been unchanged for {@link #SETTLED}, longer than the
 * granularity of any file system's clock, so a write in the same tick as the read is never
 * mistaken for no change.
 */
final class FileStamps {

    /** How long a file must have been unchanged for its stamp to be trusted. */
    static final Duration SETTLED = Duration.ofSeconds(2);
    private static final String ATTRIBUTES = "unix:dev,ino,size,lastModifiedTime,ctime";

    record Stamp(Object device, Object inode, long size, FileTime modified, FileTime changed) {
    }

    private record Known(Stamp stamp, String version) {
    }

    private final Map<Path, Known> byFile = new ConcurrentHashMap<>();
    private final Clock clock;
    private volatile boolean supported = true;

    FileStamps(Clock clock) {
        this.clock = clock;
    }

    /** @return the size, version and time of writing of the file as it was read, if it is unchanged since */
    Optional<Storage.Stat> statIfUnchanged(Path file) throws IOException {
        Known known = byFile.get(file);
        if (known == null) {
            return Optional.empty();
        }
        Optional<Stamp> now = stamp(file);
        if (now.isPresent() && now.get().equals(known.stamp())) {
            return Optional.of(new Storage.Stat(known.stamp().size(), known.version(), known.stamp().modified().toInstant()));
        }
        byFile.remove(file);
        return Optional.empty();
    }

    /**
     * Remembers the version of bytes just read, if the file's stamp was the same before and after
     * the read and the file has been unchanged long enough.
     */
    void read(Path file, Optional<Stamp> before, String version) throws IOException {
        Optional<Stamp> after = stamp(file);
        if (before.isPresent() && before.equals(after)
                && before.get().changed().toInstant().plus(SETTLED).isBefore(clock.instant())) {
            byFile.put(file, new Known(after.get(), version));
        }
    }

    /** @return the file's stamp now, to give {@link #read}; empty where the file system has none or the file is gone */
    Optional<Stamp> stamp(Path file) throws IOException {
        if (!supported) {
            return Optional.empty();
        }
        try {
            Map<String, Object> attributes = Files.readAttributes(file, ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
            return Optional.of(new Stamp(attributes.get("dev"), attributes.get("ino"), (Long) attributes.get("size"),
                    (FileTime) attributes.get("lastModifiedTime"), (FileTime) attributes.get("ctime")));
        } catch (UnsupportedOperationException | IllegalArgumentException e) {
            supported = false; // no unix attributes: every question reads the file
            return Optional.empty();
        } catch (java.nio.file.NoSuchFileException e) {
            return Optional.empty();
        }
    }

    void forget(Path file) {
        byFile.remove(file);
    }
}
