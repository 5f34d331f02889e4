package io.streamglm.job.stream;

import io.streamglm.job.operators.RefitFunction;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Checkpoints always go to files: Flink's default keeps them in the JobManager's memory with a 5 MB cap, which
 * one 100,000-row window exceeds (every checkpoint then failed and the job restarted without end).
 */
class StreamJobConfigurationTest {
    private static StreamOptions options(String checkpointDir) {
        return new StreamOptions("localhost:9092", "in", "out", null, null, "{}", "{}", "spec", "m",
                WindowSpec.parse("count:10"), null, null, RefitFunction.Mode.EXACT, 1.0, 0, 0, 0, 1, 1,
                checkpointDir, 1000, Map.of(), null, "t", "g", 1, false);
    }

    @Test
    void withoutACheckpointDirectoryCheckpointsGoToANewDirectory() {
        Configuration conf = StreamJob.configuration(options(null), "rocksdb");
        String dir = conf.get(CheckpointingOptions.CHECKPOINTS_DIRECTORY);
        assertThat(dir).startsWith("file:");
        assertThat(Files.isDirectory(Path.of(URI.create(dir)))).isTrue();
        assertThat(conf.get(StateBackendOptions.STATE_BACKEND)).isEqualTo("rocksdb");
        assertThat(conf.get(PipelineOptions.GENERIC_TYPES)).isFalse();
    }

    @Test
    void aGivenCheckpointDirectoryIsKept() {
        assertThat(StreamJob.configuration(options("file:///data/cp"), "hashmap")
                .get(CheckpointingOptions.CHECKPOINTS_DIRECTORY)).isEqualTo("file:///data/cp");
    }
}
