package dev.autocert4j.dns.providers;

import dev.autocert4j.testkit.BindServer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * A DNS hook script as a lego user writes one for its exec provider: {@code $1} is {@code present} or
 * {@code cleanup}, {@code $2} the FQDN with its trailing dot, {@code $3} the value; it updates BIND
 * with {@code nsupdate} and a TSIG key file, over TCP (so that the update reaches the server that holds
 * the port's TCP side, even on a busy test machine).
 */
final class NsupdateHook {

    private NsupdateHook() {
    }

    /**
     * @param folder  where to write the script (owner-only, as the exec provider requires)
     * @param name    the script's file name
     * @param bind    the server to update
     * @param keyFile the TSIG key file nsupdate signs with
     * @return the script
     */
    static Path write(Path folder, String name, BindServer bind, Path keyFile) throws IOException {
        Path script = Files.writeString(folder.resolve(name), String.join("\n",
                "#!/bin/sh",
                "set -eu",
                "case \"$1\" in present) verb=add ;; cleanup) verb=delete ;; *) echo \"unknown action $1\" >&2; exit 2 ;; esac",
                "quoted=$(printf '%s' \"$3\" | sed 's/[\"\\\\]/\\\\&/g')",
                "nsupdate -v -k '" + keyFile + "' <<EOF",
                "server 127.0.0.1 " + bind.address().getPort(),
                "zone " + bind.zone() + ".",
                "update $verb $2 60 TXT \"$quoted\"",
                "send",
                "EOF",
                ""));
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        return script;
    }
}
