package io.streamglm.job.stream;

import io.streamglm.job.core.WindowSpec;
import io.streamglm.job.operators.RefitFunction;

import java.util.Map;

/**
 * Everything a stream job needs, checked by the CLI.
 *
 * @param designJson    the frozen design (from a model file, a warm-up sample or the spec)
 * @param designSource  where it came from, for provenance: {@code spec}, {@code model:PATH}, {@code warmup:PATH}
 * @param boundedOffset when non-null the job stops after this many records of each input partition (demo, tests)
 * @param sourceParallelism    source subtasks (at most the input partitions are useful)
 * @param watermarkEveryRecord advance the watermark with every record rather than periodically: a record's
 *                             lateness then depends only on the records before it (tests, the demo)
 * @param shards        1: each model's windows are refitted by one keyed operator; more: each model's rows are
 *                      spread over this many shards and refitted by distributed passes through the feedback topic
 * @param feedback      the feedback topic of distributed passes (used when shards > 1)
 * @param cells         keep windows as cells of distinct design rows instead of rows (Poisson log-link models)
 * @param idleTimeoutMillis    0: event time waits for every input partition, so whether a row is late depends on the
 *                             rows alone, never on how fast partitions are read (restores, backpressure); more: a
 *                             partition that sends nothing this long stops holding event time back
 * @param maxTimeSkewMillis    rows whose event time is more than this ahead of the wall clock are dead letters
 *                             ({@code time_out_of_range}) instead of closing every open window; 0: no limit
 * @param fromScratch          read the input from its earliest offsets, not the consumer group's committed ones
 */
public record StreamOptions(String bootstrapServers, String input, String output, String deadLetter,
                            String control, String specJson, String designJson, String designSource,
                            String modelName, WindowSpec window, String timeField, String keyField,
                            RefitFunction.Mode mode, double forgetting, long allowedLatenessMillis,
                            long maxOutOfOrdernessMillis, long retainMillis, long refitEvery, int parallelism,
                            String checkpointDir, long checkpointIntervalMillis, Map<String, String> kafkaProperties,
                            Long boundedOffset, String transactionalIdPrefix, String groupId, int sourceParallelism,
                            boolean watermarkEveryRecord, int shards, String feedback, boolean cells,
                            long idleTimeoutMillis, long maxTimeSkewMillis, boolean fromScratch) {

    /** The default limit on how far ahead of the wall clock an event time may be. */
    public static final long DEFAULT_MAX_TIME_SKEW_MILLIS = 3_600_000L;

    /** These options with rows spread over {@code n} shards, refitted by passes through {@code topic}. */
    public StreamOptions withShards(int n, String topic) {
        return new StreamOptions(bootstrapServers, input, output, deadLetter, control, specJson, designJson,
                designSource, modelName, window, timeField, keyField, mode, forgetting, allowedLatenessMillis,
                maxOutOfOrdernessMillis, retainMillis, refitEvery, parallelism, checkpointDir, checkpointIntervalMillis,
                kafkaProperties, boundedOffset, transactionalIdPrefix, groupId, sourceParallelism, watermarkEveryRecord,
                n, topic, cells, idleTimeoutMillis, maxTimeSkewMillis, fromScratch);
    }

    /** These options with a refit every {@code n} rows of a global window. */
    public StreamOptions withRefitEvery(long n) {
        return new StreamOptions(bootstrapServers, input, output, deadLetter, control, specJson, designJson,
                designSource, modelName, window, timeField, keyField, mode, forgetting, allowedLatenessMillis,
                maxOutOfOrdernessMillis, retainMillis, n, parallelism, checkpointDir, checkpointIntervalMillis,
                kafkaProperties, boundedOffset, transactionalIdPrefix, groupId, sourceParallelism, watermarkEveryRecord,
                shards, feedback, cells, idleTimeoutMillis, maxTimeSkewMillis, fromScratch);
    }

    /** These options with {@code n} source subtasks. */
    public StreamOptions withSourceParallelism(int n) {
        return new StreamOptions(bootstrapServers, input, output, deadLetter, control, specJson, designJson,
                designSource, modelName, window, timeField, keyField, mode, forgetting, allowedLatenessMillis,
                maxOutOfOrdernessMillis, retainMillis, refitEvery, parallelism, checkpointDir, checkpointIntervalMillis,
                kafkaProperties, boundedOffset, transactionalIdPrefix, groupId, n, watermarkEveryRecord,
                shards, feedback, cells, idleTimeoutMillis, maxTimeSkewMillis, fromScratch);
    }

    /** These options with windows kept as cells ({@code true}) or rows. */
    public StreamOptions withCells(boolean keepCells) {
        return new StreamOptions(bootstrapServers, input, output, deadLetter, control, specJson, designJson,
                designSource, modelName, window, timeField, keyField, mode, forgetting, allowedLatenessMillis,
                maxOutOfOrdernessMillis, retainMillis, refitEvery, parallelism, checkpointDir, checkpointIntervalMillis,
                kafkaProperties, boundedOffset, transactionalIdPrefix, groupId, sourceParallelism, watermarkEveryRecord,
                shards, feedback, keepCells, idleTimeoutMillis, maxTimeSkewMillis, fromScratch);
    }
}
