package io.streamglm.job.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code streamglm} command line. The benchmarks are not part of it: they are the {@code bench} module's
 * {@code io.streamglm.bench.Bench}.
 */
@Command(name = "streamglm", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Generalized linear models with R's numbers, on files and on Flink streams.",
        subcommands = {FitCommand.class, GenerateCommand.class, DemoCommand.class, StreamCommand.class,
                ProduceCommand.class, ScoreCommand.class, SqlCommand.class, ModelCommand.class, ReplayCommand.class,
                ReportCommand.class})
public final class StreamGlm implements Runnable {
    /** Exit code for input the command cannot use (spec, data, options). */
    public static final int EXIT_BAD_INPUT = 2;
    /** Exit code for a fit that produced no estimates (the result file says why). */
    public static final int EXIT_FIT_FAILED = 3;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new StreamGlm());
        cl.setExecutionExceptionHandler(new ErrorHandler());
        return cl;
    }

    @Override public void run() {
        spec.commandLine().usage(System.out);
    }
}
