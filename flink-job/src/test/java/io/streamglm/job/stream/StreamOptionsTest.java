package io.streamglm.job.stream;

import io.streamglm.engine.design.DesignBuilder;
import io.streamglm.engine.model.ModelFile;
import io.streamglm.engine.spec.ModelSpec;
import io.streamglm.engine.spec.SpecParser;
import io.streamglm.job.core.JobSetupException;
import io.streamglm.job.core.WindowSpec;
import io.streamglm.job.operators.RefitFunction;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Stream options are checked in one place, {@link StreamOptions.Builder#build()}: each check refuses its case with
 * the message the CLI prints, the defaults are the CLI's, and {@code toBuilder()} copies every field.
 */
class StreamOptionsTest {
    private static final String POISSON = """
            {"response": "y", "family": "poisson", "exposure": "e", "csv_header": ["ts", "g", "y", "e"],
             "terms": {"g": {"type": "categorical", "levels": ["a", "b"]}}}""";
    private static final String GAMMA = """
            {"response": "y", "family": "gamma", "terms": {"g": {"type": "categorical", "levels": ["a", "b"]}}}""";
    private static final String PENALIZED = """
            {"response": "y", "family": "poisson", "exposure": "e",
             "terms": {"g": {"type": "categorical", "levels": ["a", "b"]}},
             "penalty": {"l1_ratio": 0.5, "path": {"n_lambda": 40}}}""";

    private static StreamOptions.Builder builder(String specText, String window) {
        ModelSpec spec = SpecParser.parse(specText, "spec");
        return StreamOptions.builder("127.0.0.1:9092", "in", "out", SpecParser.toJson(spec).toString(),
                ModelFile.designToJson(DesignBuilder.freeze(spec)), "spec", WindowSpec.parse(window));
    }

    private static StreamOptions.Builder poisson() {
        return builder(POISSON, "tumbling:1h");
    }

    private static void refused(StreamOptions.Builder b, String message) {
        assertThatThrownBy(b::build).isInstanceOf(JobSetupException.class).hasMessage(message);
    }

    @Test
    void theDefaultsAreTheCommandLines() {
        StreamOptions o = poisson().build();
        assertThat(o.deadLetter()).isNull();
        assertThat(o.control()).isNull();
        assertThat(o.timeField()).as("the Kafka timestamp").isNull();
        assertThat(o.keyField()).isNull();
        assertThat(o.modelName()).isEqualTo("model");
        assertThat(o.mode()).isEqualTo(RefitFunction.Mode.EXACT);
        assertThat(o.forgetting()).isEqualTo(1.0);
        assertThat(o.allowedLatenessMillis()).isZero();
        assertThat(o.maxOutOfOrdernessMillis()).isEqualTo(5_000);
        assertThat(o.retainMillis()).isZero();
        assertThat(o.refitEvery()).isEqualTo(10_000);
        assertThat(o.parallelism()).isEqualTo(2);
        assertThat(o.sourceParallelism()).as("--parallelism").isEqualTo(2);
        assertThat(o.shards()).as("auto: --parallelism shards for an exact tumbling window").isEqualTo(2);
        assertThat(o.feedback()).isEqualTo("out-feedback");
        assertThat(o.cells()).isFalse();
        assertThat(o.checkpointDir()).isNull();
        assertThat(o.checkpointIntervalMillis()).isEqualTo(2_000);
        assertThat(o.checkpointIntervalDuringBacklogMillis()).as("30 s").isEqualTo(30_000);
        assertThat(poisson().checkpointIntervalMillis(60_000).build().checkpointIntervalDuringBacklogMillis())
                .as("never shorter than --checkpoint-interval").isEqualTo(60_000);
        assertThat(o.backlogEnds()).as("none read: no backlog reported").isEmpty();
        assertThat(o.kafkaProperties()).isEmpty();
        assertThat(o.boundedOffset()).isNull();
        assertThat(o.groupId()).isEqualTo("streamglm-model");
        assertThat(o.transactionalIdPrefix()).isEqualTo("streamglm-model");
        assertThat(o.watermarkEveryRecord()).isFalse();
        assertThat(o.idleTimeoutMillis()).isZero();
        assertThat(o.maxTimeSkewMillis()).isEqualTo(StreamOptions.DEFAULT_MAX_TIME_SKEW_MILLIS).isEqualTo(3_600_000);
        assertThat(o.fromScratch()).isFalse();
    }

    @Test
    void derivedDefaultsFollowWhatTheyDeriveFrom() {
        StreamOptions o = poisson().modelName("freq").parallelism(3).build();
        assertThat(o.groupId()).isEqualTo("streamglm-freq");
        assertThat(o.transactionalIdPrefix()).isEqualTo("streamglm-freq");
        assertThat(o.sourceParallelism()).isEqualTo(3);
        assertThat(o.shards()).isEqualTo(3);
        assertThat(poisson().groupId("g").build().transactionalIdPrefix()).isEqualTo("g");
    }

    @Test
    void autoShardsAreOneWhereDistributedPassesDoNotApply() {
        assertThat(builder(POISSON, "count:100").build().shards()).isEqualTo(1);
        assertThat(builder(POISSON, "global").build().shards()).isEqualTo(1);
        assertThat(poisson().mode(RefitFunction.Mode.ONLINE).build().shards()).isEqualTo(1);
        assertThat(poisson().control("ctl").build().shards()).isEqualTo(1);
        assertThat(builder(PENALIZED, "tumbling:1h").build().shards()).isEqualTo(1);
        assertThat(poisson().shards(1).build().shards()).isEqualTo(1);
    }

    @Test
    void toBuilderCopiesEveryField() {
        Map<String, String> props = new LinkedHashMap<>();
        props.put("security.protocol", "SSL");
        props.put("client.id", "c");
        StreamOptions o = poisson().deadLetter("dlq").control("ctl").timeField("ts").keyField("g").modelName("freq")
                .mode(RefitFunction.Mode.EXACT).forgetting(0.9).allowedLatenessMillis(1).maxOutOfOrdernessMillis(2)
                .retainMillis(3).refitEvery(4).parallelism(5).checkpointDir("/tmp/ck").checkpointIntervalMillis(6)
                .checkpointIntervalDuringBacklogMillis(60L).backlogEnds(new long[] {11, 12})
                .kafkaProperties(props).boundedOffset(7L).transactionalIdPrefix("tx").groupId("grp")
                .sourceParallelism(8).watermarkEveryRecord(true).shards(1).feedback("fb").cells(true)
                .idleTimeoutMillis(9).maxTimeSkewMillis(10).fromScratch(true).build();
        assertThat(o.toBuilder().build()).usingRecursiveComparison().isEqualTo(o);
        assertThat(o.kafkaProperties()).containsExactlyEntriesOf(props);

        StreamOptions copy = o.toBuilder().refitEvery(250).build();
        assertThat(copy.refitEvery()).isEqualTo(250);
        assertThat(copy).usingRecursiveComparison().ignoringFields("refitEvery").isEqualTo(o);
        StreamOptions auto = poisson().parallelism(3).build();
        assertThat(auto.toBuilder().build()).usingRecursiveComparison().isEqualTo(auto);
    }

    @Test
    void kafkaPropertiesAreACopy() {
        Map<String, String> props = new LinkedHashMap<>(Map.of("a", "1"));
        StreamOptions o = poisson().kafkaProperties(props).build();
        props.put("b", "2");
        assertThat(o.kafkaProperties()).containsOnlyKeys("a");
        assertThatThrownBy(() -> o.kafkaProperties().put("c", "3")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void forgettingIsInZeroToOne() {
        refused(poisson().forgetting(1.5), "--forgetting 1.5: must be in (0, 1]");
        refused(poisson().forgetting(0), "--forgetting 0.0: must be in (0, 1]");
        refused(poisson().forgetting(Double.NaN), "--forgetting NaN: must be in (0, 1]");
        assertThatCode(() -> poisson().mode(RefitFunction.Mode.ONLINE).forgetting(0.5).build())
                .doesNotThrowAnyException();
    }

    @Test
    void timeAndKeyFieldsAreFieldsOfTheCsvLines() {
        refused(poisson().timeField("time"), "--time-field time is not in the spec's csv_header [ts, g, y, e]: add it"
                + " there at its position in the CSV lines, or name a field that is");
        refused(poisson().keyField("segment"), "--key-field segment is not in the spec's csv_header [ts, g, y, e]: add"
                + " it there at its position in the CSV lines, or name a field that is");
        assertThatCode(() -> builder(GAMMA, "tumbling:1h").timeField("time").keyField("segment").build())
                .as("JSON records: any field").doesNotThrowAnyException();
    }

    @Test
    void cellsNeedAPoissonLogModelRefittedExactly() {
        refused(builder(GAMMA, "tumbling:1h").cells(true), "--cells is exact for family poisson or quasipoisson with"
                + " link log and no weights; this spec has family gamma, link inverse: drop --cells");
        refused(poisson().cells(true).mode(RefitFunction.Mode.ONLINE),
                "--cells refits in exact mode only: drop --mode online or --cells");
        assertThat(poisson().cells(true).build().cells()).isTrue();
    }

    @Test
    void aPenalizedModelIsRefittedExactlyFromRowsOnOneOperator() {
        refused(builder(PENALIZED, "tumbling:1h").mode(RefitFunction.Mode.ONLINE),
                "--mode online: a penalized model is refitted exactly; drop --mode online");
        refused(builder(PENALIZED, "tumbling:1h").cells(true), "--cells: a penalized model needs its window's rows"
                + " (glmnet standardizes with row weights); drop --cells");
        refused(builder(PENALIZED, "tumbling:1h").shards("4"),
                "--shards 4: a penalized model is refitted on one operator; use --shards 1 or auto");
        assertThat(builder(PENALIZED, "tumbling:1h").shards("1").build().shards()).isEqualTo(1);
    }

    @Test
    void shardsAreANumberOrAuto() {
        refused(poisson().shards("two"), "--shards two: use a number, or auto");
        refused(poisson().shards(0), "--shards 0: must be at least 1");
        assertThat(poisson().shards("3").build().shards()).isEqualTo(3);
    }

    @Test
    void shardsNeedAnEventTimeWindowExactModeAndNoControl() {
        refused(builder(POISSON, "count:100").shards(2), "--shards 2 needs a tumbling or sliding window, not --window"
                + " count:100: drop --shards to refit count and global windows on one operator per model");
        refused(poisson().shards(2).mode(RefitFunction.Mode.ONLINE),
                "--shards 2 refits in exact mode only: drop --mode online or --shards");
        refused(poisson().shards(2).control("ctl"),
                "--shards 2 does not take on-demand refits yet: drop --control or --shards");
        assertThat(builder(POISSON, "sliding:24h/1h").shards(2).build().shards()).isEqualTo(2);
    }

    @Test
    void theCheckpointDirectoryIsAPathOrAUri() {
        refused(poisson().checkpointDir("file://relative/dir"), "--checkpoint-dir file://relative/dir: a file URI"
                + " needs an absolute path, e.g. file:///var/lib/streamglm/checkpoints (three slashes)");
        refused(poisson().checkpointDir(" "), "--checkpoint-dir is empty: give a directory, e.g. --checkpoint-dir"
                + " /var/lib/streamglm/checkpoints or hdfs:///flink/checkpoints");
        assertThatCode(() -> poisson().checkpointDir("hdfs:///flink/checkpoints").build()).doesNotThrowAnyException();
    }

    @Test
    void parallelismsAreAtLeastOne() {
        refused(poisson().parallelism(0), "--parallelism 0: must be at least 1");
        refused(poisson().sourceParallelism(0), "--source-parallelism 0: must be at least 1");
    }

    @Test
    void aGlobalWindowRefitsEveryPositiveNumberOfRecords() {
        refused(builder(POISSON, "global").refitEvery(0),
                "--refit-every 0: a global window refits every N records; N must be at least 1");
        assertThatCode(() -> poisson().refitEvery(0).build()).as("other windows do not use it")
                .doesNotThrowAnyException();
    }

    @Test
    void durationsAreNotNegativeAndTheCheckpointIntervalIsPositive() {
        Map<String, UnaryOperator<StreamOptions.Builder>> negative = Map.of(
                "--allowed-lateness", b -> b.allowedLatenessMillis(-1),
                "--max-out-of-orderness", b -> b.maxOutOfOrdernessMillis(-1),
                "--retain", b -> b.retainMillis(-1),
                "--idle-timeout", b -> b.idleTimeoutMillis(-1),
                "--max-time-skew", b -> b.maxTimeSkewMillis(-1));
        negative.forEach((option, set) -> refused(set.apply(poisson()), option + " -1 ms: must be 0 or more"));
        refused(poisson().checkpointIntervalMillis(0), "--checkpoint-interval 0 ms: must be positive, e.g. 2s");
        refused(poisson().checkpointIntervalDuringBacklogMillis(1_000L), "--checkpoint-interval-during-backlog 1000 ms"
                + " is shorter than --checkpoint-interval 2000 ms: give at least the checkpoint interval, e.g. 30s, or"
                + " drop it");
    }
}
