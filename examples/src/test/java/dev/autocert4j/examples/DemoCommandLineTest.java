package dev.autocert4j.examples;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** The demo's commands as a user and a script meet them: help, version, errors and the command forms. */
class DemoCommandLineTest {

    private static final Pattern OPTION_IN_HELP = Pattern.compile("^ {2}(?:-h, )? *(--[a-z0-9-]+)");

    private static final Set<String> CA = Set.of("--acme", "--acme-trust", "--acme-name", "--caa-resolver", "--caa-identity",
            "--no-caa-check");
    private static final Set<String> ACCOUNT = Set.of("--email", "--accept-tos");
    private static final Set<String> BINDINGS = Set.of("--listen", "--bind-address", "--binding", "--extra-name",
            "--https-port");
    private static final Set<String> CHALLENGE = Set.of("--challenge", "--dns-rfc2136", "--dns-tsig-file",
            "--dns-provider", "--dns-config", "--dns-resolver", "--validation-ports");
    private static final Set<String> STORE = Set.of("--state", "--keystore-password-file", "--store",
            "--store-password-file", "--store-key-file");
    private static final Set<String> CLUSTER = Set.of("--node-name", "--lease-length");
    private static final Set<String> RENEWAL = Set.of("--renew-within", "--check-every");
    private static final Set<String> PORTAL = Set.of("--force-https", "--hsts");
    private static final Set<String> ON_DEMAND = Set.of("--on-demand-ask", "--on-demand-limit");
    private static final Set<String> ADMIN = Set.of("--admin-port", "--admin-token-file");

    private record Run(int exitCode, String out, String err) {
    }

    private static Run demo(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = new DemoMain(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8)).run(args);
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @SafeVarargs
    private static Set<String> union(Set<String>... groups) {
        Set<String> all = new TreeSet<>(Set.of("--help"));
        for (Set<String> group : groups) {
            all.addAll(group);
        }
        return all;
    }

    static Stream<Arguments> commandsAndTheirOptions() {
        return Stream.of(
                arguments("run", union(CA, ACCOUNT, BINDINGS, CHALLENGE, STORE, CLUSTER, RENEWAL, PORTAL, ON_DEMAND, ADMIN)),
                arguments("once", union(CA, ACCOUNT, BINDINGS, CHALLENGE, STORE, CLUSTER, RENEWAL)),
                arguments("status", union(Set.of("--binding"), STORE, CLUSTER)),
                arguments("revoke", union(CA, ACCOUNT, BINDINGS, CHALLENGE, STORE, CLUSTER, Set.of("--reason"))),
                arguments("rollover-account-key", union(CA, STORE, CLUSTER)),
                arguments("unmanage", union(CA, Set.of("--binding"), STORE, CLUSTER)));
    }

    @ParameterizedTest
    @MethodSource("commandsAndTheirOptions")
    void eachCommandsHelpListsItsOwnOptionsOnly(String command, Set<String> options) {
        Run help = demo(command, "--help");

        assertThat(help.exitCode()).isZero();
        assertThat(help.err()).isEmpty();
        assertThat(help.out()).startsWith("Usage: autocert4j-demo " + command + " [OPTIONS]");
        assertThat(optionsIn(help.out())).isEqualTo(options);
    }

    @Test
    void onceHelpPrintsTheOnceOptionsInSectionsAndNothingOfThePortal() {
        Run help = demo("once", "--help");

        assertThat(help.out()).contains("\nCA:\n", "\nAccount:\n", "\nBindings:\n", "\nChallenge:\n", "\nStore:\n",
                "\nCluster:\n", "\nRenewal:\n").doesNotContain("Admin:", "--admin-port", "--force-https", "--hsts",
                "--reason", "--once", "--status", "Commands:");
        assertThat(help.out().indexOf("\nCA:\n")).isLessThan(help.out().indexOf("\nStore:\n"));
    }

    @Test
    void theFlatHelpFlagAfterAOneShotFlagShowsThatCommandsHelp() {
        assertThat(demo("--once", "--help").out()).isEqualTo(demo("once", "--help").out());
        assertThat(demo("-h").out()).isEqualTo(demo("--help").out());
    }

    @Test
    void theDemosHelpListsTheCommandsThePortalsOptionsAndTheExitCodes() {
        Run help = demo("--help");

        assertThat(help.exitCode()).isZero();
        assertThat(help.out()).startsWith("Usage: autocert4j-demo [COMMAND] [OPTIONS]\n")
                .contains("\nCommands:\n", "  run ", "  once ", "  status ", "  revoke ", "  rollover-account-key ",
                        "  unmanage ", "Exit codes: 0 done, 1 ", "--version");
        Set<String> portal = union(CA, ACCOUNT, BINDINGS, CHALLENGE, STORE, CLUSTER, RENEWAL, PORTAL, ON_DEMAND, ADMIN);
        portal.add("--version");
        assertThat(optionsIn(help.out())).as("the flat flags are hidden").isEqualTo(portal);
    }

    @Test
    void versionPrintsTheProjectVersion() {
        Run version = demo("--version");

        assertThat(version.exitCode()).isZero();
        assertThat(version.err()).isEmpty();
        assertThat(System.getProperty("project.version")).as("set by the build").isNotBlank();
        assertThat(version.out()).isEqualTo("autocert4j-demo " + System.getProperty("project.version") + "\n");
    }

    static Stream<Arguments> badCommandLines() {
        return Stream.of(
                arguments(List.of("--frobnicate"), "unknown option '--frobnicate'", ""),
                arguments(List.of("once", "--frobnicate"), "unknown option '--frobnicate'", "once "),
                arguments(List.of("once", "--admin-port", "9000"), "unknown option '--admin-port'", "once "),
                arguments(List.of("status", "--acme", "https://ca.example.com/dir"), "unknown option '--acme'", "status "),
                arguments(List.of("once", "--https-port", "70000"), "--https-port '70000' must be a port between 1 and"
                        + " 65535", "once "),
                arguments(List.of("run", "--email"), "--email needs a value", "run "),
                arguments(List.of("--email", "--frobnicate", "--listen", "http://a.example.com"),
                        "--email needs a value", ""),
                arguments(List.of("revoke", "--binding", "http://a.example.com", "--reason", "boredom"),
                        "--reason 'boredom' is not one of superseded, key-compromise, affiliation-changed,"
                                + " cessation-of-operation, unspecified", "revoke "),
                arguments(List.of("revoke", "--listen", "http://a.example.com"), "revoke needs --binding: which"
                        + " certificate?", "revoke "),
                arguments(List.of("once", "--binding", "http://a.example.com"), "once --binding needs --email and"
                        + " --accept-tos to enroll it", "once "),
                arguments(List.of("once", "stray"), "unexpected argument 'stray'", "once "),
                arguments(List.of("--state", "s", "once"), "the command goes first: autocert4j-demo once [OPTIONS]", ""),
                arguments(List.of("--status", "once"), "the command goes first: autocert4j-demo once [OPTIONS]", ""),
                arguments(List.of("statsu"), "unknown command 'statsu'; the commands are run, once, status, revoke,"
                        + " rollover-account-key, unmanage", ""));
    }

    @ParameterizedTest
    @MethodSource("badCommandLines")
    void aBadCommandLineExitsTwoWithOneLineNamingWhatIsWrongAndWhereTheOptionsAre(List<String> args, String message,
                                                                                   String command) {
        assertThatThrownBy(() -> DemoOptions.parse(args.toArray(new String[0]))).as("refused before anything runs")
                .isInstanceOf(UsageException.class);
        Run run = demo(args.toArray(new String[0]));

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.out()).as("no usage dumped").isEmpty();
        assertThat(run.err().lines().toList()).containsExactly("autocert4j-demo: " + message,
                "Try 'java -jar autocert4j-demo.jar " + command + "--help' for the options.");
    }

    @Test
    void aPasswordInTheStoreUrlExitsTwoInTheCommandFormTooAndIsNeverEchoed() {
        for (String[] args : List.of(new String[]{"status", "--store", "jdbc:postgresql://db/portal?user=p&password=s3cr3t",
                "--store-key-file", "k"}, new String[]{"once", "--store", "jdbc:postgresql://p:s3cr3t@db/portal",
                "--store-key-file", "k"})) {
            Run run = demo(args);

            assertThat(run.exitCode()).as(args[0]).isEqualTo(2);
            assertThat(run.err()).contains("autocert4j-demo: --store: the URL holds a password")
                    .contains("--store-password-file F", DemoOptions.STORE_PASSWORD_VARIABLE);
            assertThat(run.out() + run.err()).doesNotContain("s3cr3t");
        }
    }

    @Test
    void atFilesAreNotExpanded(@TempDir Path folder) throws Exception {
        Path options = Files.writeString(folder.resolve("options"), "--store jdbc:postgresql://db/p?password=s3cr3t");

        DemoOptions parsed = DemoOptions.parse("status", "--state", "@" + options);

        assertThat(parsed.state).isEqualTo(Path.of("@" + options));
        assertThat(parsed.store).isNull();
        assertThat(demo("@" + options).err()).startsWith("autocert4j-demo: unknown command '@");
    }

    static Stream<Arguments> commandAndFlatForms() {
        String ca = "--acme https://ca.example.com/dir --acme-trust ca.pem --acme-name CA";
        String store = "--store jdbc:postgresql://db/portal?user=portal --store-key-file k --store-password-file p"
                + " --node-name n --lease-length 5m --state s";
        String binding = "--listen http://a.example.com:5002 --bind-address 127.0.0.1 --binding http://a.example.com:5002"
                + " --binding http://www.example.com:5002 --extra-name api.example.com --https-port 5001";
        String challenge = "--challenge dns-01 --dns-rfc2136 [::1]:5353 --dns-tsig-file t --validation-ports 5002,5001";
        return Stream.of(
                arguments("run " + ca + " " + binding + " --email a@example.com --accept-tos " + challenge + " " + store
                        + " --renew-within 30d --check-every 12h --force-https --hsts --admin-port 0 --admin-token-file t",
                        ca + " " + binding + " --email a@example.com --accept-tos " + challenge + " " + store
                        + " --renew-within 30d --check-every 12h --force-https --hsts --admin-port 0 --admin-token-file t"),
                arguments("once " + ca + " " + binding + " --email a@example.com --accept-tos " + challenge + " " + store
                        + " --renew-within 30d --check-every 12h", "--once " + ca + " " + binding
                        + " --email a@example.com --accept-tos " + challenge + " " + store
                        + " --renew-within 30d --check-every 12h"),
                arguments("once --state s", "--once --state s"),
                arguments("status --binding http://a.example.com " + store, "--status --binding http://a.example.com " + store),
                arguments("status", "--status"),
                arguments("revoke " + ca + " " + binding + " --reason key-compromise " + store,
                        "--revoke " + ca + " " + binding + " --reason key-compromise " + store),
                arguments("rollover-account-key " + ca + " " + store, "--rollover-account-key " + ca + " " + store),
                arguments("unmanage " + ca + " --binding http://a.example.com " + store,
                        "--unmanage " + ca + " --binding http://a.example.com " + store));
    }

    @ParameterizedTest
    @MethodSource("commandAndFlatForms")
    void aCommandParsesToTheSettingsOfItsFlatForm(String command, String flat) throws Exception {
        DemoOptions fromCommand = DemoOptions.parse(command.split(" "));
        DemoOptions fromFlat = DemoOptions.parse(flat.split(" "));

        assertThat(FlatFormsTest.settings(fromCommand)).isEqualTo(FlatFormsTest.settings(fromFlat));
        assertThat(fromCommand.commandWord).isEqualTo(command.split(" ")[0]);
    }

    @Test
    void statusShowsTheSavedAttemptAndLeavesOutOneThatCannotBeReadSayingSo(@TempDir Path state) throws Exception {
        String[] status = {"status", "--binding", "http://a.example.com", "--state", state.toString()};
        assertThat(demo(status).exitCode()).isZero();
        Path saved = state.resolve("status-a.example.com.json");

        Files.writeString(saved, StatusJson.of(dev.autocert4j.CertificateStatus.builder("a.example.com")
                .lastError("The CA answered 500").lastAttempt(java.time.Instant.parse("2026-12-01T10:00:00Z")).build()));
        Run withAttempt = demo(status);
        assertThat(withAttempt.exitCode()).isZero();
        assertThat(JsonFields.of(withAttempt.out().strip())).containsEntry("lastError", "The CA answered 500")
                .containsEntry("lastAttempt", "2026-12-01T10:00:00Z");

        Files.writeString(saved, "{\"lastError\":\"x\",\"lastError\":\"planted\"}");
        Run unreadable = demo(status);
        assertThat(unreadable.exitCode()).isZero();
        assertThat(JsonFields.of(unreadable.out().strip())).containsEntry("domain", "a.example.com")
                .containsEntry("lastError", null);
        assertThat(unreadable.err()).startsWith("autocert4j-demo: the last attempt saved in " + saved
                + " cannot be read (").contains("showing the status without it");

        Files.writeString(saved, "{\"lastAttempt\":\"yesterday\"}");
        assertThat(demo(status).err()).contains("cannot be read");
    }

    private static Set<String> optionsIn(String help) {
        Set<String> options = new TreeSet<>();
        for (String line : help.lines().toList()) {
            Matcher matcher = OPTION_IN_HELP.matcher(line);
            if (matcher.find()) {
                options.add(matcher.group(1));
            }
        }
        return options;
    }
}
