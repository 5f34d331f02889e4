package io.streamglm.job.shards;

import io.streamglm.connectors.record.EncodedRow;
import io.streamglm.job.core.Event;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** A model's shards land on distinct subtasks whenever there are enough, and a row's shard is its content's. */
class ShardKeysTest {

    @ParameterizedTest(name = "{0} shards at parallelism {1}")
    @CsvSource({"2,2", "4,2", "3,3", "8,4", "2,1"})
    void shardsOfAModelSpreadOverTheSubtasks(int shards, int parallelism) {
        ShardKeys keys = new ShardKeys(shards, parallelism);
        for (String model : new String[]{"m", "freq", "freq/north", "freq/south", "sev"}) {
            Set<String> distinct = new HashSet<>();
            for (long offset = 0; offset < 40 * shards; offset++) {
                String key = keys.getKey(row(model, offset));
                int shard = ShardKeys.shard(key);
                assertThat(shard).isEqualTo(ShardKeys.shardOf(row(model, offset).row(), shards));
                assertThat(ShardKeys.model(key)).isEqualTo(model);
                assertThat(KeyGroupRangeAssignment.assignKeyToParallelOperator(key, ShardKeys.MAX_PARALLELISM,
                        parallelism)).isEqualTo(shard % parallelism);
                distinct.add(key);
            }
            assertThat(distinct).hasSize(shards);
        }
    }

    private static Event row(String model, long offset) {
        EncodedRow row = new EncodedRow(model, 1_767_225_600_000L + offset * 1000, offset % 3, 1, 0, new int[]{0},
                new double[]{1});
        return Event.row(row, new byte[0], "in", 7, 1000 - offset); // the source position plays no part
    }
}
