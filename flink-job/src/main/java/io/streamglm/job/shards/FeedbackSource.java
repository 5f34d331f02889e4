package io.streamglm.job.shards;

import io.streamglm.job.core.WatchedReader;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.ReaderOutput;
import org.apache.flink.api.connector.source.Source;
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
    private static final class EndingReader extends WatchedReader<byte[], KafkaPartitionSplit> {
        private final String job;
        private final BitSet ended = new BitSet();
        private int coordinators = -1;

        EndingReader(SourceReader<byte[], KafkaPartitionSplit> reader, String job) {
            super(reader);
            this.job = job;
        }

        private boolean allEnded() {
            return coordinators > 0 && ended.cardinality() == coordinators;
        }

        @Override protected void watch(byte[] value) {
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
            InputStatus status = super.pollNext(output);
            return allEnded() ? InputStatus.END_OF_INPUT : status;
        }

        @Override public CompletableFuture<Void> isAvailable() {
            return allEnded() ? CompletableFuture.completedFuture(null) : super.isAvailable();
        }
    }
}
