package io.streamglm.job.stream;

import io.streamglm.job.core.Event;
import io.streamglm.job.core.WatchedReader;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.ReaderOutput;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceEvent;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.KafkaSourceEnumState;
import org.apache.flink.connector.kafka.source.split.KafkaPartitionSplit;
import org.apache.flink.core.io.InputStatus;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The input topic as a source that tells Flink while it reads a backlog: Flink's Kafka source, whose enumerator
 * reports "processing backlog" from the start until every reader has read what its partitions held at launch.
 * Meanwhile Flink checkpoints at {@code execution.checkpointing.interval-during-backlog} instead of the regular
 * interval ({@code --checkpoint-interval-during-backlog}). Each checkpoint copies the window's whole buffered
 * state, which grows with every record of the backlog, so checkpointing every two seconds while catching up on a
 * million records spends the cores on copies that a failure would make obsolete a few seconds later; Flink's own
 * Kafka source reports no backlog.
 *
 * <p>The readers watch the partition and offset of every event they emit ({@link BacklogProgress} has the rules)
 * and send the enumerator one {@link CaughtUp} each; a reader that reaches a bounded end counts as caught up too,
 * so a bounded run's last checkpoint comes at the regular interval. After a failover the enumerator reports the
 * backlog again and the new readers catch up again, from the checkpoint's offsets to the same launch-time ends.
 */
final class BacklogSource implements Source<Event, KafkaPartitionSplit, KafkaSourceEnumState> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(BacklogSource.class);
    /** Without a record or a split for this long, a reader has read everything there was. */
    static final long IDLE_MILLIS = 5_000;
    private static final long IDLE_CHECK_MILLIS = 1_000;

    private final KafkaSource<Event> kafka;
    private final long[] ends;

    /** @param ends the input's end offset of each partition at launch, by partition ({@code read_committed}) */
    BacklogSource(KafkaSource<Event> kafka, long[] ends) {
        this.kafka = kafka;
        this.ends = ends.clone();
    }

    @Override public Boundedness getBoundedness() {
        return kafka.getBoundedness();
    }

    @Override public SplitEnumerator<KafkaPartitionSplit, KafkaSourceEnumState> createEnumerator(
            SplitEnumeratorContext<KafkaPartitionSplit> context) throws Exception {
        return new BacklogEnumerator(kafka.createEnumerator(context), context);
    }

    @Override public SplitEnumerator<KafkaPartitionSplit, KafkaSourceEnumState> restoreEnumerator(
            SplitEnumeratorContext<KafkaPartitionSplit> context, KafkaSourceEnumState state) throws Exception {
        return new BacklogEnumerator(kafka.restoreEnumerator(context, state), context);
    }

    @Override public SimpleVersionedSerializer<KafkaPartitionSplit> getSplitSerializer() {
        return kafka.getSplitSerializer();
    }

    @Override public SimpleVersionedSerializer<KafkaSourceEnumState> getEnumeratorCheckpointSerializer() {
        return kafka.getEnumeratorCheckpointSerializer();
    }

    @Override public SourceReader<Event, KafkaPartitionSplit> createReader(SourceReaderContext context)
            throws Exception {
        return new BacklogReader(kafka.createReader(context), context, ends);
    }

    /**
     * A reader's message to the enumerator: it has read its backlog. Flink carries source events between the task
     * and the job manager in Java serialization, its own transport; nothing of it is kept in state.
     */
    record CaughtUp() implements SourceEvent {
        private static final long serialVersionUID = 1L;
    }

    /** Kafka's enumerator, reporting the backlog until every reader has caught up. */
    private static final class BacklogEnumerator implements SplitEnumerator<KafkaPartitionSplit, KafkaSourceEnumState> {
        private final SplitEnumerator<KafkaPartitionSplit, KafkaSourceEnumState> kafka;
        private final SplitEnumeratorContext<KafkaPartitionSplit> context;
        private final BitSet caughtUp = new BitSet();
        private boolean backlog;

        BacklogEnumerator(SplitEnumerator<KafkaPartitionSplit, KafkaSourceEnumState> kafka,
                          SplitEnumeratorContext<KafkaPartitionSplit> context) {
            this.kafka = kafka;
            this.context = context;
        }

        @Override public void start() {
            backlog = true;
            context.setIsProcessingBacklog(true);
            kafka.start();
        }

        @Override public void handleSourceEvent(int subtask, SourceEvent event) {
            if (!(event instanceof CaughtUp)) {
                kafka.handleSourceEvent(subtask, event);
                return;
            }
            caughtUp.set(subtask);
            if (backlog && caughtUp.cardinality() >= context.currentParallelism()) {
                backlog = false;
                context.setIsProcessingBacklog(false);
                LOG.info("Every reader of the input has read its backlog: checkpoints at the regular interval now");
            }
        }

        @Override public void handleSplitRequest(int subtask, String hostname) {
            kafka.handleSplitRequest(subtask, hostname);
        }

        @Override public void addSplitsBack(List<KafkaPartitionSplit> splits, int subtask) {
            kafka.addSplitsBack(splits, subtask);
        }

        @Override public void addReader(int subtask) {
            kafka.addReader(subtask);
        }

        @Override public KafkaSourceEnumState snapshotState(long checkpointId) throws Exception {
            return kafka.snapshotState(checkpointId);
        }

        @Override public void notifyCheckpointComplete(long checkpointId) throws Exception {
            kafka.notifyCheckpointComplete(checkpointId);
        }

        @Override public void notifyCheckpointAborted(long checkpointId) throws Exception {
            kafka.notifyCheckpointAborted(checkpointId);
        }

        @Override public void close() throws IOException {
            kafka.close();
        }
    }

    /** Kafka's reader, following its progress through the backlog and saying once when it is through. */
    private static final class BacklogReader extends WatchedReader<Event, KafkaPartitionSplit> {
        private final SourceReaderContext context;
        private final BacklogProgress progress;
        private boolean reported;

        BacklogReader(SourceReader<Event, KafkaPartitionSplit> reader, SourceReaderContext context, long[] ends) {
            super(reader);
            this.context = context;
            this.progress = new BacklogProgress(ends, IDLE_MILLIS, System.currentTimeMillis());
        }

        @Override protected void watch(Event event) {
            if (!reported) {
                progress.read(event.partition(), event.offset(), System.currentTimeMillis());
            }
        }

        @Override public void addSplits(List<KafkaPartitionSplit> splits) {
            long now = System.currentTimeMillis();
            splits.forEach(s -> progress.assigned(s.getPartition(), now));
            super.addSplits(splits);
        }

        @Override public InputStatus pollNext(ReaderOutput<Event> output) throws Exception {
            InputStatus status = super.pollNext(output);
            if (!reported && (status == InputStatus.END_OF_INPUT || progress.caughtUp(System.currentTimeMillis()))) {
                reported = true;
                context.sendSourceEventToCoordinator(new CaughtUp());
            }
            return status;
        }

        /**
         * Kafka's future, or a second's time if that comes first: a reader with nothing left to read is polled
         * no more, and would never find out that it has been idle long enough to be caught up.
         */
        @Override public CompletableFuture<Void> isAvailable() {
            CompletableFuture<Void> available = super.isAvailable();
            if (reported || available.isDone()) {
                return available;
            }
            CompletableFuture<Void> tick = CompletableFuture.runAsync(() -> { },
                    CompletableFuture.delayedExecutor(IDLE_CHECK_MILLIS, TimeUnit.MILLISECONDS));
            return available.applyToEither(tick, ignored -> null);
        }
    }
}
