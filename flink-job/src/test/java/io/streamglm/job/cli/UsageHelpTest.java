package io.streamglm.job.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every command's help renders as written: picocli formats descriptions with {@code String.format}, so a bare
 * {@code %} (as in "95% interval") makes it print a warning to stderr and leave the text unformatted.
 */
class UsageHelpTest {

    @Test
    void everyCommandsHelpRendersWithoutPicocliWarnings() {
        List<CommandLine> commands = new ArrayList<>();
        collect(StreamGlm.commandLine(), commands);
        assertThat(commands).hasSizeGreaterThan(10);

        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream previous = System.err;
        List<String> usages = new ArrayList<>();
        try {
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            for (CommandLine command : commands) {
                usages.add(command.getUsageMessage(CommandLine.Help.Ansi.OFF));
            }
        } finally {
            System.setErr(previous);
        }
        assertThat(err.toString(StandardCharsets.UTF_8)).doesNotContain("picocli WARN");
        assertThat(usages).allSatisfy(usage -> assertThat(usage).doesNotContain("%n"));
        assertThat(String.join("\n", usages)).contains("95% interval", "95% band");
    }

    private static void collect(CommandLine command, List<CommandLine> into) {
        into.add(command);
        command.getSubcommands().values().forEach(sub -> collect(sub, into));
    }
}
