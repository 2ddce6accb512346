package dev.autocert4j.admin;

import dev.autocert4j.spi.OwnerOnlyFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * The admin page's built-in login: a random token kept in a file only its owner can read, typed
 * once into the login form, which opens a session held in a cookie.
 * <ul>
 *   <li>The token is 256 random bits, made at the first start in {@value #FILE_NAME} (created 0600 in
 *       the call that creates it, in a folder 0700), or read from a file the admin made, which no
 *       other user may read or change. Its file's path is logged once; the token never is.</li>
 *   <li>Tokens are compared in constant time, through their SHA-256 digests.</li>
 *   <li>Each failed login locks its client address out for a window that doubles with every further
 *       failure (1 s, 2 s, 4 s … up to 5 min); a locked-out address's token is not looked at.</li>
 *   <li>Sessions live in memory, at most {@value #MAX_SESSIONS}, the oldest forgotten first; each
 *       ends after {@link #IDLE_TIMEOUT} without a request, {@link #MAX_AGE} after the login, or at
 *       logout. The cookie is {@code HttpOnly}, {@code SameSite=Strict}, scoped to the mount, and
 *       {@code Secure} over TLS. A login always opens a new session, never one the browser brought.</li>
 * </ul>
 */
public final class AdminTokenLogin implements AdminAuthenticator {

    /** The token file's name in the folder given to {@link #readOrCreate(Path)}. */
    public static final String FILE_NAME = "admin.token";
    /** The session cookie's name. */
    public static final String COOKIE = "autocert4j_admin";
    /** The fewest characters a token file the admin made may hold (128 bits in base64). */
    public static final int MIN_LENGTH = 22;
    /** How long a session lasts without a request. */
    public static final Duration IDLE_TIMEOUT = Duration.ofMinutes(30);
    /** How long a session lasts at most. */
    public static final Duration MAX_AGE = Duration.ofHours(12);
    private static final int MAX_SESSIONS = 64;
    private static final Logger LOG = LoggerFactory.getLogger(AdminTokenLogin.class);

    /** A logged-in browser. */
    private record Session(Instant loggedIn, Instant lastSeen) {
    }

    /** What a login attempt came to. */
    sealed interface Attempt {
        /** The token was right; the cookie opens the new session. */
        record Succeeded(String cookie) implements Attempt {
        }

        /** The token was wrong; the address is locked out for a while. */
        record Failed() implements Attempt {
        }

        /** The address is locked out: no token was looked at. */
        record LockedOut(Duration remaining) implements Attempt {
        }
    }

    private final Path file;
    private final byte[] digest;
    private final Clock clock;
    private final LoginThrottle throttle;
    private final Map<String, Session> sessions = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Session> eldest) {
            return size() > MAX_SESSIONS;
        }
    };

    private AdminTokenLogin(Path file, String token, Clock clock) {
        this.file = file;
        this.digest = sha256(token);
        this.clock = clock;
        this.throttle = new LoginThrottle(clock);
    }

    /**
     * Reads the token in {@value #FILE_NAME} under the folder, making it first if missing, and logs
     * the file's path (never the token).
     *
     * @param folder where the token is kept, such as the application's state folder; created 0700 if missing
     * @return the login
     * @throws IOException naming the file or folder, if it cannot be made or read, or other users could read it
     */
    public static AdminTokenLogin readOrCreate(Path folder) throws IOException {
        return readOrCreate(folder, Clock.systemUTC());
    }

    /**
     * As {@link #readOrCreate(Path)}, with the clock sessions and lockouts are timed by.
     *
     * @param folder where the token is kept
     * @param clock  the time for sessions and login lockouts
     * @return the login
     * @throws IOException naming the file or folder, if it cannot be made or read, or other users could read it
     */
    public static AdminTokenLogin readOrCreate(Path folder, Clock clock) throws IOException {
        Path file = requireNonNull(folder, "folder").resolve(FILE_NAME).toAbsolutePath();
        OwnerOnlyFiles.createFolders(file.getParent());
        try {
            OwnerOnlyFiles.requirePrivateFolder(file.getParent());
        } catch (IOException e) {
            throw new IOException("the folder of the admin token " + file.getParent() + ": " + e.getMessage(), e);
        }
        if (!Files.exists(file)) {
            try {
                OwnerOnlyFiles.createNew(file, (Reply.randomToken(32) + "\n").getBytes(StandardCharsets.US_ASCII));
            } catch (FileAlreadyExistsException raced) {
                // another start made it first: read that one
            }
        }
        return readFrom(file, clock);
    }

    /**
     * Reads the token from a file the admin made, and logs the file's path (never the token).
     *
     * @param file the token file, readable by its owner only, at least {@value #MIN_LENGTH} characters
     * @return the login
     * @throws IOException naming the file, if it is missing, short, or other users can read or change it
     */
    public static AdminTokenLogin readFrom(Path file) throws IOException {
        return readFrom(file, Clock.systemUTC());
    }

    /**
     * As {@link #readFrom(Path)}, with the clock sessions and lockouts are timed by.
     *
     * @param file  the token file
     * @param clock the time for sessions and login lockouts
     * @return the login
     * @throws IOException naming the file, if it is missing, short, or other users can read or change it
     */
    public static AdminTokenLogin readFrom(Path file, Clock clock) throws IOException {
        Path absolute = requireNonNull(file, "file").toAbsolutePath();
        String token = OwnerOnlyFiles.readSecret(absolute, "admin token file");
        if (token.length() < MIN_LENGTH) {
            throw new IOException("the admin token in " + absolute + " is too short: use at least " + MIN_LENGTH
                    + " random characters, such as the output of: head -c 32 /dev/urandom | base64");
        }
        LOG.info("The admin page's login token is in {} (readable by its owner only)", absolute);
        return new AdminTokenLogin(absolute, token, requireNonNull(clock, "clock"));
    }

    /** @return the file the token is in */
    public Path file() {
        return file;
    }

    /**
     * @param candidate text typed into the login form
     * @return whether it is the token, compared in time independent of where they differ
     */
    public boolean matches(String candidate) {
        return candidate != null && MessageDigest.isEqual(digest, sha256(candidate.strip()));
    }

    /** @return {@code "token login"} for a request with a live session's cookie (its idle time restarted); else empty */
    @Override
    public Optional<String> authenticate(AdminRequest request) {
        String id = Cookies.read(request, COOKIE);
        if (id == null) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        synchronized (sessions) {
            Session session = sessions.get(id);
            if (session == null) {
                return Optional.empty();
            }
            if (!now.isBefore(session.lastSeen().plus(IDLE_TIMEOUT)) || !now.isBefore(session.loggedIn().plus(MAX_AGE))) {
                sessions.remove(id);
                return Optional.empty();
            }
            sessions.put(id, new Session(session.loggedIn(), now));
        }
        return Optional.of("token login");
    }

    /** Checks a login from the request's address; the right token opens a new session, replacing the browser's old one. */
    Attempt logIn(AdminRequest request, String candidate) {
        Optional<Duration> locked = throttle.lockedFor(request.remoteAddress());
        if (locked.isPresent()) {
            return new Attempt.LockedOut(locked.get());
        }
        if (!matches(candidate)) {
            throttle.failed(request.remoteAddress());
            return new Attempt.Failed();
        }
        throttle.succeeded(request.remoteAddress());
        Instant now = clock.instant();
        String id = Reply.randomToken(32);
        synchronized (sessions) {
            String previous = Cookies.read(request, COOKIE);
            if (previous != null) {
                sessions.remove(previous);
            }
            sessions.put(id, new Session(now, now));
        }
        return new Attempt.Succeeded(id);
    }

    /** Ends the request's session on the server. */
    void logOut(AdminRequest request) {
        String id = Cookies.read(request, COOKIE);
        if (id != null) {
            synchronized (sessions) {
                sessions.remove(id);
            }
        }
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    @Override
    public String toString() {
        return "AdminTokenLogin[" + file + "]"; // the file, never the token
    }
}
