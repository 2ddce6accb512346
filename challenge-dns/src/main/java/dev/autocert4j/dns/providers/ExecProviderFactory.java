package dev.autocert4j.dns.providers;

import dev.autocert4j.InvalidInputException;
import dev.autocert4j.spi.DnsProvider;
import dev.autocert4j.spi.DnsProviderFactory;
import dev.autocert4j.spi.PluginSettings;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Set;

/**
 * The DNS provider that runs a program of the admin's, by the name {@code exec}: the program is
 * called exactly as lego's {@code exec} provider calls it, so scripts written for lego work
 * unchanged. To add a record it runs {@code PROGRAM present FQDN VALUE}, to remove it
 * {@code PROGRAM cleanup FQDN VALUE}, where FQDN is the record's name with its trailing dot, such as
 * {@code _acme-challenge.portal.example.com.}; exit status 0 means done. The arguments are an
 * argument array (no shell sees them), the program inherits this process's environment (where its
 * own credentials can be), and its standard error is quoted when it fails or runs out of time.
 *
 * <p>Settings:
 * <ul>
 *   <li>{@code program} (required): the program's absolute path. It must be an executable regular
 *       file of the user running this process or of root, which neither its group nor other users
 *       may change, in a folder they may not write to either: whoever can change the program can
 *       run anything as this process.</li>
 *   <li>{@code timeout-seconds}: how long one call may take before the program is stopped and the
 *       call fails (default 120, 1 to 3600).</li>
 * </ul>
 *
 * @since 0.2.0
 */
public final class ExecProviderFactory implements DnsProviderFactory {

    /** The name it is chosen by. */
    public static final String NAME = "exec";

    private static final int DEFAULT_TIMEOUT_SECONDS = 120;
    private static final Set<PosixFilePermission> CHANGED_BY_OTHERS = Set.of(PosixFilePermission.GROUP_WRITE,
            PosixFilePermission.OTHERS_WRITE);

    /** For {@link java.util.ServiceLoader}. */
    public ExecProviderFactory() {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Set<String> settings() {
        return Set.of("program", "timeout-seconds");
    }

    @Override
    public DnsProvider create(PluginSettings settings) {
        settings.requireOnly(settings());
        Path program = settings.path("program")
                .orElseThrow(() -> new InvalidInputException("program", null, "is required by the " + NAME + " plugin"));
        Duration timeout = Duration.ofSeconds(settings.integer("timeout-seconds", DEFAULT_TIMEOUT_SECONDS, 1, 3600));
        return new ExecProvider(checkedProgram(program), timeout);
    }

    /** Refuses a program that is missing, not executable, or that someone else could change. */
    static Path checkedProgram(Path program) {
        if (!program.isAbsolute()) {
            throw refused(program, "must be an absolute path, so that the working folder or PATH cannot choose another");
        }
        Path real;
        try {
            real = program.toRealPath();
        } catch (IOException e) {
            throw refused(program, "does not exist");
        }
        if (!Files.isRegularFile(real) || !Files.isExecutable(real)) {
            throw refused(program, "is not an executable file (chmod 700 " + real + ")");
        }
        if (real.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            requireOnlyOwnerCanChange(program, real, "it");
            requireOnlyOwnerCanChange(program, real.getParent(), "its folder " + real.getParent());
        }
        return real;
    }

    private static void requireOnlyOwnerCanChange(Path program, Path path, String what) {
        try {
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(path);
            if (permissions.stream().anyMatch(CHANGED_BY_OTHERS::contains)) {
                throw refused(program, "cannot be trusted: other users may change " + what + " ("
                        + PosixFilePermissions.toString(permissions) + "), and with it what this process runs;"
                        + " chmod go-w " + path);
            }
            String owner = Files.getOwner(path).getName();
            String user = System.getProperty("user.name");
            if (!owner.equals("root") && !owner.equals(user)) {
                throw refused(program, "cannot be trusted: " + what + " belongs to " + owner + ", neither to " + user
                        + " who runs this process nor to root");
            }
        } catch (IOException e) {
            throw refused(program, "cannot be checked: " + e.getMessage());
        }
    }

    private static InvalidInputException refused(Path program, String problem) {
        return new InvalidInputException("program", program.toString(), problem);
    }
}
