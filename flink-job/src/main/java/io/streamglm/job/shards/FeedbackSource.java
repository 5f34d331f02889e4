package io.streamglm.job.shards;

import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.ReaderOutput;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceEvent;
import org.apache.flink.api.connector.source.SourceOutput;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.KafkaSourceEnumState;
import org.apache.flink.connector.kafka.source.split.KafkaPartitionSplit;
import org.apache.flink.core.io.InputStatus;
import org.apache.flink.core.io.SimpleVersionedSerializer;

import java.util.BitSet;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The feedback topic as a source: Flink's Kafka source, which ends once every coordinator subtask of this job run
 * has sent {@link Feedback#end}. A Kafka source ends only at offsets fixed when it starts, but the feedback of a
 * bounded run ends at a point known only when the last refit has finished; without this the bounded job (tests,
 * the demo's {@code --max-events}) would never end. An unbounded run never sends the end, and reads on.
 *
 * <p>Run it at parallelism 1, so one reader sees every partition's end messages. The ends seen are not part of
 * the checkpoint: a restore between two subtasks' ends re-reads from the checkpointed offsets, before both.
 */
public final class FeedbackSource implements Source<byte[], KafkaPartitionSplit, KafkaSourceEnumState> {
    private static final long serialVersionUID = 1L;
    private final KafkaSource<byte[]> kafka;
    private final String job;

    public FeedbackSource(KafkaSource<byte[]> kafka, String job) {
        this.kafka = kafka;
        this.job = job;
    }

    @Override public Boundedness getBoundedness() {
        return kafka.getBoundedness();
    }

    @Override public SplitEnumerator<KafkaPartitionSplit, KafkaSourceEnumState> createEnumerator(
            SplitEnumeratorContext<KafkaPartitionSplit> context) {
        return kafka.createEnumerator(context);
    }

    @Override public SplitEnumerator<KafkaPartitionSplit, KafkaSourceEnumState> restoreEnumerator(
            SplitEnumeratorContext<KafkaPartitionSplit> context, KafkaSourceEnumState state) throws Exception {
        return kafka.restoreEnumerator(context, state);
    }

    @Override public SimpleVersionedSerializer<KafkaPartitionSplit> getSplitSerializer() {
        return kafka.getSplitSerializer();
    }

    @Override public SimpleVersionedSerializer<KafkaSourceEnumState> getEnumeratorCheckpointSerializer() {
        return kafka.getEnumeratorCheckpointSerializer();
    }

    @Override public SourceReader<byte[], KafkaPartitionSplit> createReader(SourceReaderContext context)
            throws Exception {
        return new EndingReader(kafka.createReader(context), job);
    }

    /** Kafka's reader, watching what it emits for the job's end messages. */
    private static final class EndingReader implements SourceReader<byte[], KafkaPartitionSplit> {
        private final SourceReader<byte[], KafkaPartitionSplit> reader;
        private final String job;
        private final BitSet ended = new BitSet();
        private int coordinators = -1;

        EndingReader(SourceReader<byte[], KafkaPartitionSplit> reader, String job) {
            this.reader = reader;
            this.job = job;
        }

        private boolean allEnded() {
            return coordinators > 0 && ended.cardinality() == coordinators;
        }

        private void watch(byte[] value) {
            Feedback message = Feedback.decode(value);
            if (message != null && message.kind() == Feedback.Kind.END && message.job().equals(job)) {
                coordinators = (int) message.window();
                ended.set(message.iteration());
            }
        }

        @Override public InputStatus pollNext(ReaderOutput<byte[]> output) throws Exception {
            if (allEnded()) {
                return InputStatus.END_OF_INPUT;
            }
            InputStatus status = reader.pollNext(new WatchingOutput(output));
            return allEnded() ? InputStatus.END_OF_INPUT : status;
        }

        @Override public void start() {
            reader.start();
        }

        @Override public List<KafkaPartitionSplit> snapshotState(long checkpointId) {
            return reader.snapshotState(checkpointId);
        }

        @Override public CompletableFuture<Void> isAvailable() {
            return allEnded() ? CompletableFuture.completedFuture(null) : reader.isAvailable();
        }

        @Override public void addSplits(List<KafkaPartitionSplit> splits) {
            reader.addSplits(splits);
        }

        @Override public void notifyNoMoreSplits() {
            reader.notifyNoMoreSplits();
        }

        @Override public void handleSourceEvents(SourceEvent event) {
            reader.handleSourceEvents(event);
        }

        @Override public void notifyCheckpointComplete(long checkpointId) throws Exception {
            reader.notifyCheckpointComplete(checkpointId);
        }

        @Override public void pauseOrResumeSplits(Collection<String> paused, Collection<String> resumed) {
            reader.pauseOrResumeSplits(paused, resumed);
        }

        @Override public void close() throws Exception {
            reader.close();
        }

        /** Passes a split's output on, watching its records. */
        private class WatchingSplitOutput implements SourceOutput<byte[]> {
            private final SourceOutput<byte[]> output;

            WatchingSplitOutput(SourceOutput<byte[]> output) {
                this.output = output;
            }

            @Override public void collect(byte[] record) {
                watch(record);
                output.collect(record);
            }

            @Override public void collect(byte[] record, long timestamp) {
                watch(record);
                output.collect(record, timestamp);
            }

            @Override public void emitWatermark(Watermark watermark) {
                output.emitWatermark(watermark);
            }

            @Override public void markIdle() {
                output.markIdle();
            }

            @Override public void markActive() {
                output.markActive();
            }
        }

        /** The reader's output, watched too (Kafka's reader emits through per-split outputs it creates here). */
        private final class WatchingOutput extends WatchingSplitOutput implements ReaderOutput<byte[]> {
            private final ReaderOutput<byte[]> output;

            WatchingOutput(ReaderOutput<byte[]> output) {
                super(output);
                this.output = output;
            }

            @Override public SourceOutput<byte[]> createOutputForSplit(String splitId) {
                return new WatchingSplitOutput(output.createOutputForSplit(splitId));
            }

            @Override public void releaseOutputForSplit(String splitId) {
                output.releaseOutputForSplit(splitId);
            }
        }
    }
}
