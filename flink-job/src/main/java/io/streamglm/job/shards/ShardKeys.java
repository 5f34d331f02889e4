package io.streamglm.job.shards;

import io.streamglm.job.operators.Event;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;

import java.util.HashMap;
import java.util.Map;

/**
 * Keys rows by (model, shard). A row's shard follows from its source position (partition and offset), so a
 * replayed row lands on the same shard. The key is {@code model NUL shard NUL salt}: Flink places keys on subtasks
 * by hash, and two shards of a model could share a subtask by chance; the salt is the smallest number that puts
 * shard i on subtask i mod parallelism, so a model's shards run in parallel whenever parallelism allows.
 */
public final class ShardKeys implements KeySelector<Event, String> {
    private static final long serialVersionUID = 1L;
    /** The shard operator's max parallelism (Flink's default for small jobs); the salts are computed for it. */
    public static final int MAX_PARALLELISM = 128;
    private static final char SEPARATOR = '\u0000';

    private final int shards;
    private final int parallelism;
    private transient Map<String, String[]> keysByModel;

    public ShardKeys(int shards, int parallelism) {
        this.shards = shards;
        this.parallelism = parallelism;
    }

    /** The shard of a row at a source position. */
    public static int shardOf(int partition, long offset, int shards) {
        return (int) Math.floorMod(offset * 31 + partition, (long) shards);
    }

    @Override public String getKey(Event event) {
        if (keysByModel == null) {
            keysByModel = new HashMap<>();
        }
        String[] keys = keysByModel.computeIfAbsent(event.row().model(), this::keysOf);
        return keys[shardOf(event.partition(), event.offset(), shards)];
    }

    private String[] keysOf(String model) {
        String[] keys = new String[shards];
        for (int i = 0; i < shards; i++) {
            int target = i % parallelism;
            for (int salt = 0; ; salt++) {
                String key = model + SEPARATOR + i + SEPARATOR + salt;
                if (KeyGroupRangeAssignment.assignKeyToParallelOperator(key, MAX_PARALLELISM, parallelism) == target) {
                    keys[i] = key;
                    break;
                }
            }
        }
        return keys;
    }

    /** The model of a shard key. */
    public static String model(String key) {
        return key.substring(0, key.indexOf(SEPARATOR));
    }

    /** The shard number of a shard key. */
    public static int shard(String key) {
        int first = key.indexOf(SEPARATOR);
        return Integer.parseInt(key.substring(first + 1, key.indexOf(SEPARATOR, first + 1)));
    }
}
