package dev.autocert4j.testkit;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A record of the files and folders this JVM creates, and of the permission changes it makes, while
 * the trace runs: what another local user racing a secret file's creation would see. The mode a file
 * is created with is the mode it has from its first instant, so a test can assert that no secret was
 * readable by others even for a moment, and that nothing was narrowed ("chmod-ed") after creation.
 *
 * <p>It attaches Linux {@code strace} to every thread of the running JVM (the tests run as root, which
 * may trace its own processes), so the code under test runs unchanged and in-process:
 * <pre>{@code
 * try (FileCreationTrace trace = FileCreationTrace.start()) {
 *     store.save(certificate);
 *     trace.stop().assertOwnerOnlyUnder(folder);
 * }
 * }</pre>
 * A missing {@code strace} is a failure, never a skip.
 */
public final class FileCreationTrace implements AutoCloseable {

    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(20);
    private static final Pattern PID_PREFIX = Pattern.compile("^(\\d+)\\s+(.*)$");
    private static final Pattern OPEN = Pattern.compile(
            "^(openat|open|creat)\\((?:[^,]*, )?\"((?:[^\"\\\\]|\\\\.)*)\", ([A-Z_|]+)(?:, (0\\d+))?\\)\\s+= (-?\\d+)");
    private static final Pattern MKDIR = Pattern.compile(
            "^(mkdirat|mkdir)\\((?:[^,]*, )?\"((?:[^\"\\\\]|\\\\.)*)\", (0\\d+)\\)\\s+= (-?\\d+)");
    private static final Pattern CHMOD_PATH = Pattern.compile(
            "^(fchmodat|chmod)\\((?:[^,]*, )?\"((?:[^\"\\\\]|\\\\.)*)\", (0\\d+)[^)]*\\)\\s+= (-?\\d+)");
    private static final Pattern CHMOD_FD = Pattern.compile("^(fchmod)\\(\\d+<([^>]*)>, (0\\d+)\\)\\s+= (-?\\d+)");

    private final Process strace;
    private final Path output;
    private boolean stopped;

    private FileCreationTrace(Process strace, Path output) {
        this.strace = strace;
        this.output = output;
    }

    /**
     * Starts tracing this JVM; returns once every thread is traced.
     *
     * @return the running trace
     * @throws IOException when {@code strace} is missing or cannot attach
     */
    public static FileCreationTrace start() throws IOException {
        Path output = Files.createTempFile("file-creation-trace", ".txt");
        long pid = ProcessHandle.current().pid();
        Process strace;
        try {
            strace = new ProcessBuilder("strace", "-f", "-y", "-o", output.toString(),
                    "-e", "trace=open,openat,creat,mkdir,mkdirat,chmod,fchmod,fchmodat",
                    "-p", Long.toString(pid))
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
        } catch (IOException e) {
            throw new IOException("strace is needed to watch file creation (apt-get install strace): " + e.getMessage(), e);
        }
        awaitAttached(strace, pid);
        return new FileCreationTrace(strace, output);
    }

    private static void awaitAttached(Process strace, long pid) throws IOException {
        // strace reports "Process N attached" on standard error once it traces the process's threads,
        // or ends with its reason; a few detach lines later fit in the pipe's buffer.
        var reader = new BufferedReader(new InputStreamReader(strace.getErrorStream(), StandardCharsets.UTF_8));
        StringBuilder seen = new StringBuilder();
        String line;
        while ((line = reader.readLine()) != null) {
            if (line.contains("Process " + pid + " attached")) {
                return;
            }
            seen.append(line).append('\n');
        }
        throw new IOException("strace could not attach to this JVM (pid " + pid + "): " + seen);
    }

    /**
     * Stops tracing (detaching from the JVM) and reads what was recorded.
     *
     * @return the recorded events, in order
     * @throws IOException when the record cannot be read
     */
    public Events stop() throws IOException {
        if (!stopped) {
            stopped = true;
            strace.destroy(); // SIGTERM: strace detaches from every thread and flushes its output
            try {
                if (!strace.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                    strace.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while stopping strace", e);
            }
        }
        return read(Files.readAllLines(output, StandardCharsets.UTF_8));
    }

    /** Reads the events in strace's output lines. */
    static Events read(List<String> lines) {
        return new Events(parse(joinResumedCalls(lines)));
    }

    @Override
    public void close() throws IOException {
        if (!stopped) {
            stop();
        }
        Files.deleteIfExists(output);
    }

    /** Joins a call that strace split across threads ({@code <unfinished ...>} and {@code <... resumed>}). */
    private static List<String> joinResumedCalls(List<String> lines) {
        Map<String, String> unfinished = new HashMap<>();
        List<String> calls = new ArrayList<>();
        for (String line : lines) {
            Matcher prefixed = PID_PREFIX.matcher(line);
            String pid = prefixed.matches() ? prefixed.group(1) : "";
            String call = prefixed.matches() ? prefixed.group(2) : line;
            if (call.endsWith("<unfinished ...>")) {
                unfinished.put(pid, call.substring(0, call.length() - "<unfinished ...>".length()).stripTrailing());
            } else if (call.startsWith("<... ")) {
                String start = unfinished.remove(pid);
                if (start != null) {
                    // strace pads the resumed part to align the result: "<... mkdir resumed>)       = 0"
                    calls.add(start + call.substring(call.indexOf('>') + 1).stripLeading().replaceFirst("\\)\\s+= ", ") = "));
                }
            } else {
                calls.add(call);
            }
        }
        return calls;
    }

    private static List<Event> parse(List<String> calls) {
        List<Event> events = new ArrayList<>();
        for (String call : calls) {
            Matcher open = OPEN.matcher(call);
            if (open.find() && open.group(3).contains("O_CREAT") && Long.parseLong(open.group(5)) >= 0) {
                events.add(new Event(Kind.FILE_CREATED, Path.of(unescape(open.group(2))), mode(open.group(4))));
                continue;
            }
            Matcher mkdir = MKDIR.matcher(call);
            if (mkdir.find() && Long.parseLong(mkdir.group(4)) == 0) {
                events.add(new Event(Kind.FOLDER_CREATED, Path.of(unescape(mkdir.group(2))), mode(mkdir.group(3))));
                continue;
            }
            Matcher chmod = CHMOD_PATH.matcher(call);
            if (chmod.find()) {
                events.add(new Event(Kind.MODE_CHANGED, Path.of(unescape(chmod.group(2))), mode(chmod.group(3))));
                continue;
            }
            Matcher fchmod = CHMOD_FD.matcher(call);
            if (fchmod.find()) {
                events.add(new Event(Kind.MODE_CHANGED, Path.of(fchmod.group(2)), mode(fchmod.group(3))));
            }
        }
        return events;
    }

    private static int mode(String octal) {
        return octal == null ? -1 : Integer.parseInt(octal, 8);
    }

    private static String unescape(String text) {
        return text.replace("\\\"", "\"").replace("\\\\", "\\");
    }

    /** What happened to a path. */
    public enum Kind {
        /** A file was opened with {@code O_CREAT} (created, or opened if it already existed). */
        FILE_CREATED,
        /** A folder was created. */
        FOLDER_CREATED,
        /** A path's permissions were changed (chmod, fchmod, fchmodat). */
        MODE_CHANGED
    }

    /**
     * One recorded event.
     *
     * @param kind what happened
     * @param path the absolute path as the JVM gave it (relative paths are as given)
     * @param mode the permission bits asked for, or -1 when the call gave none
     */
    public record Event(Kind kind, Path path, int mode) {

        /** @return whether the mode asked for lets the group or other users in */
        public boolean opensToOthers() {
            return mode < 0 || (mode & 0077) != 0;
        }

        @Override
        public String toString() {
            return kind + " " + path + (mode < 0 ? "" : " 0" + Integer.toOctalString(mode));
        }
    }

    /** The events of one trace. */
    public static final class Events {

        private final List<Event> events;

        Events(List<Event> events) {
            this.events = List.copyOf(events);
        }

        /** @return every event, in order */
        public List<Event> all() {
            return events;
        }

        /**
         * The events on paths inside a folder (or the folder itself).
         *
         * @param folder the folder
         * @return those events, in order
         */
        public List<Event> under(Path folder) {
            Path root = folder.toAbsolutePath().normalize();
            return events.stream().filter(event -> event.path().toAbsolutePath().normalize().startsWith(root)).toList();
        }

        /**
         * Fails unless every file and folder created inside the folder was created readable by its owner
         * only, and no permission was changed there afterwards; also fails when nothing was created there
         * at all (the trace would then prove nothing).
         *
         * @param folder the folder
         * @return the events inside it, for further checks
         */
        public List<Event> assertOwnerOnlyUnder(Path folder) {
            List<Event> inside = under(Objects.requireNonNull(folder, "folder"));
            if (inside.stream().noneMatch(event -> event.kind() != Kind.MODE_CHANGED)) {
                throw new AssertionError("nothing was created under " + folder + "; recorded: " + events);
            }
            List<Event> bad = inside.stream()
                    .filter(event -> event.kind() == Kind.MODE_CHANGED || event.opensToOthers())
                    .toList();
            if (!bad.isEmpty()) {
                throw new AssertionError("created readable by others, or narrowed after creation, under "
                        + folder + ": " + bad);
            }
            return inside;
        }
    }
}
