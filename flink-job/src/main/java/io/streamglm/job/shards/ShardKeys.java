package io.streamglm.job.shards;

import io.streamglm.connectors.record.EncodedRow;
import io.streamglm.job.core.Event;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;

import java.util.HashMap;
import java.util.Map;

/**
 * Keys rows by (model, shard). A row's shard follows from its content (event time, response and offset), so a
 * replayed row lands on the same shard, and so does the same row among other records: the shards' sums, added in
 * shard order, do not depend on what else the topic holds (a dead letter between two rows must not change the
 * last bits of a refit). The key is {@code model NUL shard NUL salt}: Flink places keys on subtasks
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

    /** The shard of a row, from its event time, response and offset (a well-mixed hash of them). */
    public static int shardOf(EncodedRow row, int shards) {
        long h = row.eventTime();
        h = h * 31 + Double.doubleToLongBits(row.y());
        h = h * 31 + Double.doubleToLongBits(row.offset());
        // splitmix64's finalizer: nearby times spread evenly over the shards
        h = (h ^ (h >>> 30)) * 0xbf58476d1ce4e5b9L;
        h = (h ^ (h >>> 27)) * 0x94d049bb133111ebL;
        h = h ^ (h >>> 31);
        return (int) Math.floorMod(h, (long) shards);
    }

    @Override public String getKey(Event event) {
        if (keysByModel == null) {
            keysByModel = new HashMap<>();
        }
        String[] keys = keysByModel.computeIfAbsent(event.row().model(), this::keysOf);
        return keys[shardOf(event.row(), shards)];
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
