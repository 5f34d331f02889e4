package io.streamglm.job.stream;

import io.streamglm.job.core.JobSetupException;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Where a stream job keeps its checkpoints, which one it resumes, and how it restarts. */
class CheckpointStoreTest {
    @TempDir
    Path dir;

    @Test
    void plainPathsBecomeAbsoluteFileUris() {
        URI relative = CheckpointStore.normalize("var/ck");
        assertThat(relative.getScheme()).isEqualTo("file");
        assertThat(Path.of(relative)).isEqualTo(Path.of("var/ck").toAbsolutePath());
        assertThat(CheckpointStore.normalize("/var/lib/streamglm/ck")).hasToString("file:///var/lib/streamglm/ck");
        assertThat(Path.of(CheckpointStore.normalize("~/ck")))
                .isEqualTo(Path.of(System.getProperty("user.home"), "ck"));
        assertThat(CheckpointStore.normalize("s3://bucket/ck")).hasToString("s3://bucket/ck");
    }

    @Test
    void badUrisAreOneLineWithTheFix() {
        assertThatThrownBy(() -> CheckpointStore.normalize("file://relative/ck")).isInstanceOf(JobSetupException.class)
                .hasMessageContaining("absolute path").hasMessageContaining("file:///");
        assertThatThrownBy(() -> CheckpointStore.normalize("s3://bucket/check points")).isInstanceOf(JobSetupException.class)
                .hasMessageContaining("not a valid URI");
        assertThatThrownBy(() -> CheckpointStore.normalize(" ")).hasMessageContaining("--checkpoint-dir is empty");
    }

    @Test
    void eachGroupHasItsOwnDirectory() {
        CheckpointStore store = CheckpointStore.of(dir.toUri(), "streamglm-freq/north");
        assertThat(Path.of(store.directory())).isEqualTo(dir.resolve("streamglm-freq_north"));
    }

    @Test
    void theNewestCompletedCheckpointIsResumedAndOlderRunsAreRemoved() throws Exception {
        CheckpointStore store = CheckpointStore.of(dir.toUri(), "g");
        store.prepare(true);
        Path jobDir = Path.of(store.directory());
        assertThat(store.newest()).isEmpty();
        Path old = checkpoint(jobDir, "0123456789abcdef0123456789abcdef", "chk-7", 1_000);
        Path newest = checkpoint(jobDir, "fedcba9876543210fedcba9876543210", "chk-9", 2_000);
        // started but never completed: no _metadata
        Files.createDirectories(jobDir.resolve("fedcba9876543210fedcba9876543210").resolve("chk-10"));
        CheckpointStore.Restorable r = store.newest().orElseThrow();
        assertThat(Path.of(URI.create(r.path()))).isEqualTo(newest);
        store.removeSuperseded(r);
        assertThat(old.getParent()).doesNotExist();
        assertThat(newest).exists();
    }

    @Test
    void aSecondProcessOnTheSameDirectoryIsRefused() throws Exception {
        CheckpointStore.of(dir.toUri(), "locked").prepare(true);
        // the same JVM holds the lock: a second lock on the file is refused just as another process's would be
        assertThatThrownBy(() -> CheckpointStore.of(dir.toUri(), "locked").prepare(true))
                .isInstanceOf(JobSetupException.class).hasMessageContaining("another streamglm stream");
    }

    @Test
    void resumeFromNeedsACompletedCheckpoint() throws Exception {
        assertThatThrownBy(() -> CheckpointStore.checkRestorable(dir.toString()))
                .isInstanceOf(JobSetupException.class).hasMessageContaining("no _metadata");
        Path chk = checkpoint(dir, "0123456789abcdef0123456789abcdef", "chk-3", 1_000);
        assertThat(Path.of(URI.create(CheckpointStore.checkRestorable(chk.toString())))).isEqualTo(chk);
    }

    @Test
    void restartsHaveNoLifetimeLimitByDefault() {
        Configuration conf = StreamJob.configuration("hashmap", null);
        assertThat(conf.get(RestartStrategyOptions.RESTART_STRATEGY)).isEqualTo("exponential-delay");
        assertThat(conf.get(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_ATTEMPTS))
                .isEqualTo(Integer.MAX_VALUE);
        Configuration fixed = new Configuration();
        RestartStrategy.parse("fixed-delay:10:5s").applyTo(fixed);
        assertThat(fixed.get(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS)).isEqualTo(10);
        assertThat(fixed.get(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY)).isEqualTo(Duration.ofSeconds(5));
        Configuration capped = new Configuration();
        RestartStrategy.parse("exponential:30s").applyTo(capped);
        assertThat(capped.get(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_MAX_BACKOFF))
                .isEqualTo(Duration.ofSeconds(30));
        for (String bad : new String[]{"fixed-delay:3", "forever", "exponential:soon", "failure-rate:x:1m:1s"}) {
            assertThatThrownBy(() -> RestartStrategy.parse(bad)).isInstanceOf(JobSetupException.class)
                    .hasMessageStartingWith("--restart-strategy " + bad + ": use exponential");
        }
    }

    private static Path checkpoint(Path jobDir, String run, String name, long modified) throws Exception {
        Path chk = Files.createDirectories(jobDir.resolve(run).resolve(name));
        Path metadata = Files.write(chk.resolve("_metadata"), new byte[]{1, 2, 3});
        metadata.toFile().setLastModified(modified);
        return chk;
    }
}
