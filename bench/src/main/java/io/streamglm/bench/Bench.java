package io.streamglm.bench;

import io.streamglm.job.cli.ErrorHandler;
import io.streamglm.job.cli.VersionProvider;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The benchmarks' command line, outside the shipped {@code streamglm} CLI: {@code stream} (the stream job against
 * pass-through jobs, and refit latency against an in-memory fit), {@code ingest} (the stream's record parsing and
 * encoding on one thread) and {@code sql} (GLM_PREDICT against a plain SQL expression). Run by {@code bench/bench.sh}, or {@code java -jar bench/target/streamglm-bench.jar}; bad input is
 * reported as by {@code streamglm} (one line on stderr, exit code 2).
 */
@Command(name = "bench", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Benchmarks of the streamglm stream job and SQL functions.",
        subcommands = {StreamBench.class, IngestBench.class, SqlBench.class})
public final class Bench implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Bench());
        cl.setExecutionExceptionHandler(new ErrorHandler());
        return cl;
    }

    @Override public void run() {
        spec.commandLine().usage(System.out);
    }
}
