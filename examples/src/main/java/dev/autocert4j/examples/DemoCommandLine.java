package dev.autocert4j.examples;

import dev.autocert4j.examples.DemoCommands.OptionGroup;
import picocli.CommandLine;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.MissingParameterException;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.UsageMessageSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Reads the demo's command line with picocli: a command ({@code run}, the default, {@code once},
 * {@code status}, {@code revoke}, {@code rollover-account-key}, {@code unmanage}) and its options,
 * or the flat form of earlier versions ({@code --once} and the rest as flags among the options),
 * which parses to the same settings as before.
 */
final class DemoCommandLine {

    /** The demo's name in its help, its version and its bash completion. */
    static final String NAME = "autocert4j-demo";

    /** How picocli says an option's value looked like an option. */
    private static final Pattern VALUE_MISSING = Pattern.compile("Expected parameter for option '([^']+)'");

    private static final int HELP_WIDTH = 100;
    private static final int LONG_OPTIONS_WIDTH = 26;

    private DemoCommandLine() {
    }

    /**
     * @return the demo with all its commands, as its help and its completion script show them;
     *         ready to parse once
     */
    static CommandLine create() {
        CommandLine demo = forHelp(configured(new CommandLine(new DemoCommands.Demo())));
        for (DemoOptions.Command command : DemoOptions.Command.values()) {
            demo.addSubcommand(forHelp(configured(new CommandLine(commandObject(command)))));
        }
        return demo;
    }

    /**
     * @param args the command line
     * @return the settings of the command to run, or the help or version text to print
     * @throws UsageException if the command line cannot be run; the message names the option and what is wrong
     */
    static DemoOptions parse(String... args) throws UsageException {
        DemoOptions.Command command = args.length == 0 ? null : DemoOptions.Command.named(args[0]).orElse(null);
        return command == null ? parseFlat(args) : parseCommand(command, Arrays.copyOfRange(args, 1, args.length));
    }

    /**
     * A command and its options. Only that command is built: a one-shot command starts without
     * reading the annotations of the others.
     */
    private static DemoOptions parseCommand(DemoOptions.Command command, String[] args) throws UsageException {
        CommandLine commandLine = configured(new CommandLine(commandObject(command)));
        ParseResult parsed;
        try {
            parsed = commandLine.parseArgs(args);
        } catch (ParameterException e) {
            throw usageError(e, command.word());
        }
        if (parsed.isUsageHelpRequested()) {
            return DemoOptions.printing(create().getSubcommands().get(command.word()).getUsageMessage(), true);
        }
        return settings(parsed, command, command.word()).check();
    }

    /** Without a command: the portal, or the one-shot flag among the options (--once and the rest), as before. */
    private static DemoOptions parseFlat(String[] args) throws UsageException {
        CommandLine commandLine = configured(new CommandLine(new DemoCommands.Demo()));
        ParseResult parsed;
        try {
            parsed = commandLine.parseArgs(args);
        } catch (ParameterException e) {
            throw usageError(e, null);
        }
        if (parsed.isVersionHelpRequested()) {
            return DemoOptions.printing(String.join("\n", commandLine.getCommandSpec().version()) + "\n", false);
        }
        DemoOptions options = settings(parsed, DemoOptions.Command.RUN, null);
        if (parsed.isUsageHelpRequested()) {
            CommandLine all = create();
            return DemoOptions.printing(options.flatActions.size() == 1
                    ? all.getSubcommands().get(options.flatActions.get(0).word()).getUsageMessage()
                    : all.getUsageMessage(), true);
        }
        if (options.flatActions.size() == 1) {
            options.command = options.flatActions.get(0);
            options.commandWord = "--" + options.command.word();
        }
        return options.check();
    }

    private static CommandLine configured(CommandLine commandLine) {
        commandLine.setOverwrittenOptionsAllowed(true) // as before: the last --state wins
                .setUnmatchedOptionsAllowedAsOptionParameters(false) // "--email --x" lacks a value
                .setExpandAtFiles(false); // "@file" is a value like any other, never a file to read options from
        return commandLine;
    }

    /**
     * The options listed section by section, one for each group a command mixes in, in the order
     * the command declares them; hidden options are left out.
     */
    private static CommandLine forHelp(CommandLine commandLine) {
        commandLine.setUsageHelpWidth(HELP_WIDTH).setUsageHelpLongOptionsMaxWidth(LONG_OPTIONS_WIDTH);
        commandLine.getCommandSpec().usageMessage().abbreviateSynopsis(true);
        commandLine.getHelpSectionMap().remove(UsageMessageSpec.SECTION_KEY_OPTION_LIST_HEADING);
        commandLine.getHelpSectionMap().put(UsageMessageSpec.SECTION_KEY_OPTION_LIST, help -> {
            StringBuilder sections = new StringBuilder();
            for (CommandSpec mixin : help.commandSpec().mixins().values()) {
                List<OptionSpec> shown = mixin.options().stream().filter(option -> !option.hidden()).toList();
                if (shown.isEmpty() || !(mixin.userObject() instanceof OptionGroup group)) {
                    continue;
                }
                CommandLine.Help.Layout layout = help.createDefaultLayout();
                layout.addOptions(shown, help.parameterLabelRenderer());
                sections.append(String.format("%n%s:%n", group.heading())).append(layout);
            }
            return sections.toString();
        });
        return commandLine;
    }

    private static Object commandObject(DemoOptions.Command command) {
        return switch (command) {
            case RUN -> new DemoCommands.Run();
            case ONCE -> new DemoCommands.Once();
            case STATUS -> new DemoCommands.Status();
            case REVOKE -> new DemoCommands.Revoke();
            case ROLLOVER_ACCOUNT_KEY -> new DemoCommands.RolloverAccountKey();
            case UNMANAGE -> new DemoCommands.Unmanage();
        };
    }

    private static DemoOptions settings(ParseResult parsed, DemoOptions.Command command, String commandWord) {
        DemoOptions options = new DemoOptions();
        options.command = command;
        options.commandWord = commandWord;
        for (CommandSpec mixin : parsed.commandSpec().mixins().values()) {
            if (mixin.userObject() instanceof OptionGroup group) {
                group.applyTo(options);
            }
        }
        return options;
    }

    /** What picocli found wrong, in one line that names the option, as the demo always said it. */
    private static UsageException usageError(ParameterException e, String command) {
        if (e.getCause() instanceof OptionValues.BadValue bad && e.getArgSpec() instanceof OptionSpec option) {
            return new UsageException(bad.forOption(option.longestName()), command);
        }
        if (e instanceof MissingParameterException missing && missing.getMissing() != null
                && !missing.getMissing().isEmpty() && missing.getMissing().get(0) instanceof OptionSpec option) {
            return new UsageException(option.longestName() + " needs a value", command);
        }
        Matcher valueMissing = VALUE_MISSING.matcher(String.valueOf(e.getMessage()));
        if (valueMissing.find()) { // an option's value looked like an option, such as "--email --x"
            return new UsageException(valueMissing.group(1) + " needs a value", command);
        }
        if (e instanceof UnmatchedArgumentException unmatched && !unmatched.getUnmatched().isEmpty()) {
            return new UsageException(unmatchedMessage(unmatched.getUnmatched().get(0), command), command);
        }
        return new UsageException(e.getMessage(), command);
    }

    private static String unmatchedMessage(String argument, String command) {
        if (argument.startsWith("-")) {
            return "unknown option '" + argument + "'";
        }
        if (command != null) {
            return "unexpected argument '" + argument + "'";
        }
        if (DemoOptions.Command.named(argument).isPresent()) {
            return "the command goes first: " + NAME + " " + argument + " [OPTIONS]";
        }
        return "unknown command '" + argument + "'; the commands are " + Arrays.stream(DemoOptions.Command.values())
                .map(DemoOptions.Command::word).collect(Collectors.joining(", "));
    }

    /** The demo's version: the project's, written into the jar by the build. */
    static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[]{NAME + " " + current()};
        }

        static String current() {
            Properties properties = new Properties();
            try (InputStream in = DemoCommandLine.class.getResourceAsStream("version.properties")) {
                if (in == null) {
                    return "unknown";
                }
                properties.load(in);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return properties.getProperty("version", "unknown");
        }
    }
}
