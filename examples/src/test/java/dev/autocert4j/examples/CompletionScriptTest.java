package dev.autocert4j.examples;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The bash completion script the build writes, as bash runs it. */
class CompletionScriptTest {

    private static final Path SCRIPT = Path.of("target", "autocert4j-demo_completion");

    @Test
    void theBuildWritesTheScriptForTheCommandsAsTheyAre() throws Exception {
        assertThat(SCRIPT).as("written in process-classes").isRegularFile();
        assertThat(Files.readString(SCRIPT, StandardCharsets.UTF_8)).isEqualTo(CompletionScript.script());
    }

    @Test
    void bashCompletesCommandsAndEachCommandsOwnOptions(@TempDir Path folder) throws Exception {
        assertThat(complete(folder, "autocert4j-demo", "ro")).isEqualTo("rollover-account-key");
        assertThat(complete(folder, "autocert4j-demo", "run", "--ad")).isEqualTo("--admin-port --admin-token-file");
        assertThat(complete(folder, "autocert4j-demo", "once", "--ad")).as("once has no admin page").isEmpty();
        assertThat(complete(folder, "autocert4j-demo", "revoke", "--rea")).isEqualTo("--reason");
        assertThat(complete(folder, "autocert4j-demo", "status", "--st")).isEqualTo("--state --store --store-password-file"
                + " --store-key-file");
    }

    /** What bash offers for the last word, with the script sourced. */
    private static String complete(Path folder, String... words) throws Exception {
        String line = String.join(" ", words);
        Path test = Files.writeString(folder.resolve("complete.sh"), String.join("\n",
                "source '" + SCRIPT.toAbsolutePath() + "' 2>/dev/null",
                "COMP_WORDS=(" + line + ")",
                "COMP_CWORD=" + (words.length - 1),
                "COMP_LINE='" + line + "'",
                "COMP_POINT=${#COMP_LINE}",
                "_complete_autocert4j-demo 2>/dev/null",
                "echo \"${COMPREPLY[*]}\""));
        Path out = folder.resolve("out.txt");
        Process bash = new ProcessBuilder(List.of("bash", test.toString())).redirectErrorStream(true)
                .redirectOutput(out.toFile()).start();
        assertThat(bash.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(bash.exitValue()).as(() -> readQuietly(out)).isZero();
        return Files.readString(out).strip();
    }

    private static String readQuietly(Path file) {
        try {
            return Files.readString(file);
        } catch (java.io.IOException e) {
            return e.toString();
        }
    }
}
