package io.streamglm.bench;

import io.streamglm.job.cli.StreamGlm;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.assertj.core.api.Assertions.assertThat;

/** The benchmarks' command line, without running a benchmark: help, options, and input refused before any work. */
class BenchTest {
    private record Run(int exitCode, String out, String err) {
    }

    private static Run run(CommandLine cl, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void helpListsTheBenchmarks() {
        Run r = run(Bench.commandLine(), "--help");
        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).contains("stream", "ingest", "sql", "pass-through", "GLM_PREDICT");
    }

    @Test
    void ingestKeepsEveryOption() {
        Run r = run(Bench.commandLine(), "ingest", "--help");
        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).contains("--records", "--repeats", "default 1000000", "default 5");
    }

    @Test
    void streamKeepsEveryOption() {
        Run r = run(Bench.commandLine(), "stream", "--help");
        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).contains("--records", "--window", "--state-backend", "--shards", "--latency-rate",
                "--repeats", "--fit-command", "default 400000", "default 2");
    }

    @Test
    void sqlKeepsEveryOption() {
        Run r = run(Bench.commandLine(), "sql", "--help");
        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).contains("--model", "--rows", "--repeats", "default 2000000", "default 3");
    }

    @Test
    void badOptionsAreUsageErrorsBeforeAnyBroker() {
        Run odd = run(Bench.commandLine(), "stream", "--records", "3");
        assertThat(odd.exitCode()).isEqualTo(StreamGlm.EXIT_BAD_INPUT);
        assertThat(odd.err()).startsWith("error: --records must be even");

        Run shards = run(Bench.commandLine(), "stream", "--shards", "2");
        assertThat(shards.exitCode()).isEqualTo(StreamGlm.EXIT_BAD_INPUT);
        assertThat(shards.err()).contains("--shards 2 needs a tumbling or sliding window");

        Run noModel = run(Bench.commandLine(), "sql");
        assertThat(noModel.exitCode()).isEqualTo(CommandLine.ExitCode.USAGE);
        assertThat(noModel.err()).contains("--model");
    }

    @Test
    void theShippedCliHasNoBenchmarks() {
        CommandLine cli = StreamGlm.commandLine();
        assertThat(cli.getSubcommands()).doesNotContainKeys("bench-stream", "bench-sql");
        Run r = run(cli, "--help");
        assertThat(r.out()).contains("fit", "stream").doesNotContain("bench-stream", "bench-sql");
    }
}
