package io.streamglm.job.cli;

import io.streamglm.job.core.WindowSpec;
import io.streamglm.job.stream.StreamOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** Options of stream and replay that cannot work together are refused before any job starts, with the fix. */
class StreamOptionsCheckTest {
    private static final String POISSON = "{\"model\": \"m\", \"response\": \"y\", \"family\": \"poisson\","
            + " \"exposure\": \"e\", \"csv_header\": [\"ts\", \"g\", \"y\", \"e\"],"
            + " \"terms\": {\"g\": {\"type\": \"categorical\", \"levels\": [\"a\", \"b\"]}}}";

    @TempDir
    Path dir;

    private String spec(String json) throws IOException {
        Path p = dir.resolve("spec.json");
        Files.writeString(p, json);
        return p.toString();
    }

    private CliRun stream(String specJson, String... extra) throws IOException {
        String[] base = {"stream", "--bootstrap-servers", "127.0.0.1:1", "--input", "in", "--output", "out",
                "--spec", spec(specJson), "--window", "tumbling:1h", "--time-field", "ts"};
        String[] args = new String[base.length + extra.length];
        System.arraycopy(base, 0, args, 0, base.length);
        System.arraycopy(extra, 0, args, base.length, extra.length);
        return CliRun.of(args);
    }

    @Test
    void cellsNeedAPoissonLogModel() throws IOException {
        CliRun run = stream(POISSON.replace("\"poisson\"", "\"gamma\"").replace("\"exposure\": \"e\",", ""),
                "--cells");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("--cells is exact for family poisson or quasipoisson", "family gamma",
                "drop --cells");
    }

    @Test
    void cellsAreRefittedExactly() throws IOException {
        assertThat(stream(POISSON, "--cells", "--mode", "online").err()).contains("exact mode only");
    }

    @Test
    void shardsNeedAnEventTimeWindowExactModeAndNoControl() throws IOException {
        assertThat(CliRun.of("stream", "--bootstrap-servers", "127.0.0.1:1", "--input", "in", "--output", "out",
                "--spec", spec(POISSON), "--window", "count:100", "--shards", "2").err())
                .contains("--shards 2 needs a tumbling or sliding window");
        assertThat(stream(POISSON, "--shards", "2", "--control", "ctl").err()).contains("drop --control or --shards");
        assertThat(stream(POISSON, "--shards", "two").err()).contains("--shards two: use a number, or auto");
    }

    @Test
    void theCommandLinesDefaultsAreTheBuilders() throws Exception {
        StreamCommand cmd = new StreamCommand();
        new CommandLine(cmd).parseArgs("--bootstrap-servers", "127.0.0.1:1", "--input", "in", "--output", "out",
                "--spec", spec(POISSON), "--window", "tumbling:1h");
        StreamOptions cli = cmd.options();
        StreamOptions builder = StreamOptions.builder("127.0.0.1:1", "in", "out", cli.specJson(), cli.designJson(),
                "spec", WindowSpec.parse("tumbling:1h")).modelName("m").build();
        assertThat(cli).usingRecursiveComparison().isEqualTo(builder);
    }

    @Test
    void replayOfATopicChecksTheTimeFieldAgainstTheCsvHeader() throws IOException {
        CliRun run = CliRun.of("replay", "--input-topic", "t", "--bootstrap-servers", "127.0.0.1:1", "--spec",
                spec(POISSON), "--out", dir.resolve("fits.jsonl").toString(), "--window", "tumbling:1h",
                "--time-column", "time");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("--time-column time is not in the spec's csv_header");
    }

    @Test
    void aWindowOrInputTheJobCannotUseIsOneErrorLine() throws IOException {
        CliRun window = CliRun.of("stream", "--bootstrap-servers", "127.0.0.1:1", "--input", "in", "--output", "out",
                "--spec", spec(POISSON), "--window", "sliding:24h", "--time-field", "ts");
        assertThat(window.exitCode()).isEqualTo(2);
        assertThat(window.err())
                .startsWith("error: --window sliding:24h: sliding needs size/slide, e.g. sliding:24h/1h");

        Path missing = dir.resolve("missing.csv");
        CliRun data = CliRun.of("replay", "--data", missing.toString(), "--spec", spec(POISSON), "--out",
                dir.resolve("fits.jsonl").toString(), "--window", "tumbling:1h", "--time-column", "ts");
        assertThat(data.exitCode()).isEqualTo(2);
        assertThat(data.err()).startsWith("error: --data " + missing + ": no such file");
    }
}
