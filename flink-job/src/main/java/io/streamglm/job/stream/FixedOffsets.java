package io.streamglm.job.stream;

import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.apache.kafka.common.TopicPartition;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * The same offset in every partition: where a bounded stream stops (the demo and tests know how many records they
 * sent), or where a replay of a topic starts or stops ({@code --from offset:N}).
 */
public final class FixedOffsets implements OffsetsInitializer {
    private static final long serialVersionUID = 1L;
    private final long offset;

    public FixedOffsets(long offset) {
        this.offset = offset;
    }

    @Override public Map<TopicPartition, Long> getPartitionOffsets(Collection<TopicPartition> partitions,
                                                                   PartitionOffsetsRetriever retriever) {
        Map<TopicPartition, Long> out = new HashMap<>();
        partitions.forEach(tp -> out.put(tp, offset));
        return out;
    }

    @Override public OffsetResetStrategy getAutoOffsetResetStrategy() {
        return OffsetResetStrategy.LATEST;
    }
}
