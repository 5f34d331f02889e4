package io.streamglm.job.stream;

import java.util.HashMap;
import java.util.Map;

/**
 * Whether one source reader has read the backlog: the records its partitions held when the job was launched.
 * Flink-free, so that its rules are tested without a cluster; {@link BacklogSource} feeds it from the reader.
 *
 * <p>A partition is read once the reader has seen a record within one offset of the partition's end at launch:
 * the input is read {@code read_committed}, where the end is past the last commit marker, so the last record of a
 * transactional producer sits at {@code end - 2} and that of a plain one at {@code end - 1}. A partition whose tail
 * holds no record to deliver (an aborted transaction, markers only, nothing at all, or a start already at the end)
 * never shows such a record; then the reader counts as caught up once it has gone {@code idleMillis} without a
 * record or a new split. Being wrong in either direction changes only how often the job checkpoints, never what it
 * computes or writes.
 */
final class BacklogProgress {
    private final long[] ends;
    private final long idleMillis;
    private final Map<Integer, Long> pending = new HashMap<>();
    private long lastActivity;
    private boolean hasSplits;
    private boolean caughtUp;

    /**
     * @param ends       the end offset of each partition at launch, by partition number ({@code read_committed})
     * @param idleMillis how long without a record or a split counts as having read everything there is
     * @param now        the time the reader starts, in milliseconds
     */
    BacklogProgress(long[] ends, long idleMillis, long now) {
        this.ends = ends.clone();
        this.idleMillis = idleMillis;
        this.lastActivity = now;
    }

    /** A split of {@code partition} was added to the reader (at its start, a restore or a new assignment). */
    void assigned(int partition, long now) {
        lastActivity = now;
        hasSplits = true;
        long end = partition < ends.length ? ends[partition] : 0;
        if (end > 0) {
            pending.put(partition, end);
        }
    }

    /** The reader emitted the record at {@code offset} of {@code partition}. */
    void read(int partition, long offset, long now) {
        lastActivity = now;
        Long end = pending.get(partition);
        if (end != null && offset + 2 >= end) {
            pending.remove(partition);
        }
    }

    /** Whether the reader has read its backlog; once true, it stays true. */
    boolean caughtUp(long now) {
        if (!caughtUp) {
            caughtUp = now - lastActivity >= idleMillis || hasSplits && pending.isEmpty();
        }
        return caughtUp;
    }
}
