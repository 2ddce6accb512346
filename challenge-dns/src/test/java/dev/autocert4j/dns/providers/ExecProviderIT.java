package dev.autocert4j.dns.providers;

import dev.autocert4j.AutoCertException;
import dev.autocert4j.spi.DnsProvider;
import dev.autocert4j.spi.DnsProviderFactory;
import dev.autocert4j.spi.NamedPlugins;
import dev.autocert4j.testkit.BindExtension;
import dev.autocert4j.testkit.DnsProviderContract;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Lookup;
import org.xbill.DNS.Record;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The {@code exec} provider end to end: a shell script written as lego's exec scripts are, which
 * updates a real BIND with {@code nsupdate} and a TSIG key file, passes the provider contract; its
 * records are read back from BIND itself.
 */
class ExecProviderIT extends DnsProviderContract {

    @RegisterExtension
    static final BindExtension BIND = new BindExtension("example.test");

    @TempDir
    Path folder;

    private Path script;

    @BeforeEach
    void writeScript() throws Exception {
        Path key = BIND.server().writeKeyFile(folder.resolve("update.key"));
        script = NsupdateHook.write(folder, "nsupdate-hook", BIND.server(), key);
    }

    private Path writeProgram(String name, String text) throws Exception {
        Path program = folder.resolve(name);
        Files.writeString(program, text);
        Files.setPosixFilePermissions(program, PosixFilePermissions.fromString("rwx------"));
        return program;
    }

    private DnsProvider exec(Path program, int timeoutSeconds) {
        return NamedPlugins.create(DnsProviderFactory.class, "exec", Map.of("program", program.toString(),
                "timeout-seconds", String.valueOf(timeoutSeconds)), getClass().getClassLoader());
    }

    @Override
    protected DnsProvider provider() {
        return exec(script, 30);
    }

    @Override
    protected String zone() {
        return "example.test";
    }

    @Override
    protected Set<String> txtValuesAt(String name) {
        try {
            Lookup lookup = new Lookup(name + ".", Type.TXT);
            SimpleResolver resolver = new SimpleResolver(BIND.address());
            resolver.setTCP(true);
            lookup.setResolver(resolver);
            lookup.setCache(null);
            Record[] records = lookup.run();
            Set<String> values = new TreeSet<>();
            if (records != null) {
                for (Record record : records) {
                    StringBuilder value = new StringBuilder(); // the raw bytes: getStrings() escapes quotes
                    for (byte[] part : ((TXTRecord) record).getStringsAsByteArrays()) {
                        value.append(new String(part, java.nio.charset.StandardCharsets.US_ASCII));
                    }
                    values.add(value.toString());
                }
            }
            return values;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aScriptThatFailsIsReportedWithItsExitStatusAndStandardError() throws Exception {
        Path failing = writeProgram("failing", "#!/bin/sh\necho 'no such zone: example.test' >&2\nexit 3\n");

        assertThatThrownBy(() -> exec(failing, 30).addTxtRecord("example.test", "_acme-challenge.example.test", "v"))
                .isInstanceOf(AutoCertException.class)
                .hasMessageContaining(failing + " present _acme-challenge.example.test.")
                .hasMessageContaining("exit status 3")
                .hasMessageContaining("no such zone: example.test");
    }

    @Test
    void aProgramThatWritesALotReportsOnlyTheEndOfItsStandardError() throws Exception {
        Path noisy = writeProgram("noisy", "#!/bin/sh\nyes 'progress line' | head -n 100000 >&2\n"
                + "echo 'the real reason' >&2\nexit 1\n");

        assertThatThrownBy(() -> exec(noisy, 30).addTxtRecord("example.test", "_acme-challenge.example.test", "v"))
                .isInstanceOf(AutoCertException.class)
                .hasMessageEndingWith("the real reason")
                .satisfies(e -> assertThat(e.getMessage()).hasSizeLessThan(2_500));
    }

    @Test
    void nsupdateRefusedByBindIsReportedWithWhatNsupdateSaid() throws Exception {
        Path wrongKey = Files.writeString(folder.resolve("wrong.key"), "key \"autocert4j-update\" {\n\talgorithm"
                + " hmac-sha256;\n\tsecret \"" + java.util.Base64.getEncoder().encodeToString(new byte[32]) + "\";\n};\n");
        Path refused = NsupdateHook.write(folder, "refused", BIND.server(), wrongKey);

        assertThatThrownBy(() -> exec(refused, 30).addTxtRecord("example.test", "_acme-challenge.example.test", "v"))
                .isInstanceOf(AutoCertException.class)
                .hasMessageContaining("failed with exit status")
                .hasMessageContaining("its standard error:");
        assertThat(txtValuesAt("_acme-challenge.example.test")).isEmpty();
    }

    @Test
    void argumentsReachTheProgramAsTheyAreWithoutAShell() throws Exception {
        Path calls = folder.resolve("calls");
        Path marker = folder.resolve("shell-ran");
        Path recorder = writeProgram("recorder", "#!/bin/sh\nprintf '%s|' \"$@\" >> '" + calls + "'\n");
        String hostile = "x;touch " + marker + ";$(touch " + marker + ")`touch " + marker + "`";

        DnsProvider provider = exec(recorder, 30);
        provider.addTxtRecord("example.test", "_acme-challenge.portal.example.test", hostile);
        provider.removeTxtRecord("example.test.", "_acme-challenge.portal.example.test.", hostile);

        assertThat(Files.readString(calls)).isEqualTo("present|_acme-challenge.portal.example.test.|" + hostile + "|"
                + "cleanup|_acme-challenge.portal.example.test.|" + hostile + "|");
        assertThat(marker).doesNotExist();
    }

    @Test
    void aProgramThatRunsPastItsTimeoutIsStoppedAndReported() throws Exception {
        Path pidFile = folder.resolve("pid");
        Path hanging = writeProgram("hanging", "#!/bin/sh\necho $$ > '" + pidFile + "'\necho 'waiting for the API' >&2\n"
                + "exec sleep 300\n");
        long started = System.nanoTime();

        assertThatThrownBy(() -> exec(hanging, 1).addTxtRecord("example.test", "_acme-challenge.example.test", "v"))
                .isInstanceOf(AutoCertException.class)
                .hasMessageContaining("did not finish within 1 s and was stopped")
                .hasMessageContaining("waiting for the API");

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(30));
        ProcessHandle sleeper = ProcessHandle.of(Long.parseLong(Files.readString(pidFile).strip())).orElse(null);
        if (sleeper != null) {
            sleeper.onExit().get(10, java.util.concurrent.TimeUnit.SECONDS);
        }
    }

    @Test
    void aRecordNameThatIsNotADnsNameOrOutsideTheZoneNeverReachesTheProgram() throws Exception {
        Path calls = folder.resolve("calls");
        Path recorder = writeProgram("recorder", "#!/bin/sh\nprintf '%s|' \"$@\" >> '" + calls + "'\n");
        DnsProvider provider = exec(recorder, 30);

        assertThatThrownBy(() -> provider.addTxtRecord("example.test", "-rf.example.test", "v"))
                .hasMessageContaining("is not a DNS name");
        assertThatThrownBy(() -> provider.addTxtRecord("example.test", "_acme-challenge.example.test --x", "v"))
                .hasMessageContaining("is not a DNS name");
        assertThatThrownBy(() -> provider.addTxtRecord("example.test", "_acme-challenge.other.test", "v"))
                .hasMessageContaining("is not inside the zone example.test");
        assertThatThrownBy(() -> provider.removeTxtRecord("example.test", "_acme-challenge.example.test", "a\nupdate add x"))
                .hasMessageContaining("not printable ASCII");
        assertThat(calls).doesNotExist();
    }
}
