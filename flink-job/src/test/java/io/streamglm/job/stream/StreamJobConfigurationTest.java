package io.streamglm.job.stream;

import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Checkpoints always go to files: Flink's default keeps them in the JobManager's memory with a 5 MB cap, which
 * one 100,000-row window exceeds (every checkpoint then failed and the job restarted without end).
 */
class StreamJobConfigurationTest {
    @Test
    void withoutACheckpointDirectoryCheckpointsGoToANewDirectory() {
        Configuration conf = StreamJob.configuration("rocksdb", StreamJob.localCheckpointDir(null));
        String dir = conf.get(CheckpointingOptions.CHECKPOINTS_DIRECTORY);
        assertThat(dir).startsWith("file:");
        assertThat(Files.isDirectory(Path.of(URI.create(dir)))).isTrue();
        assertThat(conf.get(StateBackendOptions.STATE_BACKEND)).isEqualTo("rocksdb");
        assertThat(conf.get(PipelineOptions.GENERIC_TYPES)).isFalse();
    }

    @Test
    void aGivenCheckpointDirectoryIsKept() {
        assertThat(StreamJob.configuration("hashmap", StreamJob.localCheckpointDir("file:///data/cp"))
                .get(CheckpointingOptions.CHECKPOINTS_DIRECTORY)).isEqualTo("file:///data/cp");
    }
}
