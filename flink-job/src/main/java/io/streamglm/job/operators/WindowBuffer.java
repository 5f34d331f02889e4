package io.streamglm.job.operators;

import io.streamglm.engine.design.RowBuffer;
import io.streamglm.job.core.Event;
import io.streamglm.job.refit.WindowContents;
import io.streamglm.job.state.SerializerTypeInfo;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.api.java.typeutils.TupleTypeInfo;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * One key's buffered rows in Flink managed state, grouped in buckets (event-time slides, or one bucket for count
 * and global windows). A bucket is stored as chunks of at most {@link #CHUNK_ROWS} rows, each its own map entry,
 * so appending a row rewrites one small chunk: on RocksDB a state write serializes the whole value, and one value
 * per bucket would make a window of n rows cost O(n^2) bytes of serialization. Rows of a bucket stay in arrival
 * order, so "the rows a bucket had at some moment" is a prefix of it ({@link #counts}, {@link #gatherPrefixes}).
 * Used by the window-local refit operator and by the shards of distributed refits.
 */
public final class WindowBuffer implements BucketStore {
    /**
     * Rows per state chunk. On RocksDB an append reads and writes its chunk (about 2 kB of the benchmark data at
     * 16 rows; 128 rows made a 400,000-row run write gigabytes into RocksDB and crawl); on the heap a chunk costs
     * one small buffer object, and 16 is the buffers' initial capacity. Part of the state layout: a change needs a
     * state migration.
     */
    public static final int CHUNK_ROWS = 16;

    /** Rows buffered per bucket; the bucket's chunks are numbered 0 .. (rows - 1) / CHUNK_ROWS. */
    private final MapState<Long, Long> bucketRows;
    private final MapState<Tuple2<Long, Integer>, RowBuffer> chunks;
    private final Supplier<RowBuffer> newBuffer;

    private WindowBuffer(MapState<Long, Long> bucketRows, MapState<Tuple2<Long, Integer>, RowBuffer> chunks,
                         Supplier<RowBuffer> newBuffer) {
        this.bucketRows = bucketRows;
        this.chunks = chunks;
        this.newBuffer = newBuffer;
    }

    /** The buffer of the operator's current key, over its keyed state. */
    public static WindowBuffer open(RuntimeContext context, Supplier<RowBuffer> newBuffer) {
        return new WindowBuffer(context.getMapState(bucketRowsDescriptor()), context.getMapState(chunksDescriptor()),
                newBuffer);
    }

    public static MapStateDescriptor<Long, Long> bucketRowsDescriptor() {
        return new MapStateDescriptor<>("bucket-rows", Types.LONG, Types.LONG);
    }

    public static MapStateDescriptor<Tuple2<Long, Integer>, RowBuffer> chunksDescriptor() {
        return new MapStateDescriptor<>("chunks", new TupleTypeInfo<>(Types.LONG, Types.INT),
                SerializerTypeInfo.ROW_BUFFER);
    }

    /** Appends the event's row to its bucket's last chunk (or a new one) and returns the bucket's row count. */
    @Override public long append(long bucket, Event event) throws Exception {
        Long before = bucketRows.get(bucket);
        long n = before == null ? 0 : before;
        Tuple2<Long, Integer> chunkKey = Tuple2.of(bucket, (int) (n / CHUNK_ROWS));
        RowBuffer chunk = n % CHUNK_ROWS == 0 ? newBuffer.get() : chunks.get(chunkKey);
        event.row().appendTo(chunk, ((long) event.partition() << 40) | event.offset());
        chunks.put(chunkKey, chunk);
        bucketRows.put(bucket, n + 1);
        return n + 1;
    }

    @Override public void drop(long bucket) throws Exception {
        Long n = bucketRows.get(bucket);
        if (n != null) {
            for (int c = 0; c * (long) CHUNK_ROWS < n; c++) {
                chunks.remove(Tuple2.of(bucket, c));
            }
            bucketRows.remove(bucket);
        }
    }

    @Override public List<Long> bucketsIn(long start, long end) throws Exception {
        return bucketsIn(bucketRows, start, end);
    }

    /** The buckets of a bucket-rows map in [start, end), in time order. */
    static List<Long> bucketsIn(MapState<Long, Long> bucketRows, long start, long end) throws Exception {
        List<Long> keys = new ArrayList<>();
        for (Long b : bucketRows.keys()) {
            if (b >= start && b < end) {
                keys.add(b);
            }
        }
        Collections.sort(keys);
        return keys;
    }

    @Override public WindowContents contents(long start, long end) throws Exception {
        RowBuffer rows = gather(start, end);
        return rows == null ? null : new WindowContents.Rows(rows);
    }

    /** The row count of each buffered bucket in [start, end) now, by bucket. */
    public Map<Long, Long> counts(long start, long end) throws Exception {
        Map<Long, Long> counts = new TreeMap<>();
        for (Map.Entry<Long, Long> e : bucketRows.entries()) {
            if (e.getKey() >= start && e.getKey() < end) {
                counts.put(e.getKey(), e.getValue());
            }
        }
        return counts;
    }

    /**
     * The rows of buckets in [start, end); null when there are none. One scan over the key's chunks (on RocksDB an
     * iterator, not a lookup per chunk); the order does not matter, refits sort rows canonically.
     */
    public RowBuffer gather(long start, long end) throws Exception {
        long rows = total(counts(start, end));
        RowBuffer all = null;
        for (Map.Entry<Tuple2<Long, Integer>, RowBuffer> e : chunks.entries()) {
            long bucket = e.getKey().f0;
            if (bucket >= start && bucket < end) {
                all = appendTo(all, e.getValue(), e.getValue().size(), rows);
            }
        }
        return all;
    }

    /** The first {@code counts.get(b)} rows of each bucket b in {@code counts}; null when there are none. */
    public RowBuffer gatherPrefixes(Map<Long, Long> counts) throws Exception {
        long rows = total(counts);
        RowBuffer all = null;
        for (Map.Entry<Tuple2<Long, Integer>, RowBuffer> e : chunks.entries()) {
            Long count = counts.get(e.getKey().f0);
            long first = (long) e.getKey().f1 * CHUNK_ROWS;
            if (count != null && first < count) {
                all = appendTo(all, e.getValue(), (int) Math.min(e.getValue().size(), count - first), rows);
            }
        }
        return all;
    }

    private static long total(Map<Long, Long> counts) {
        long rows = 0;
        for (long n : counts.values()) {
            rows += n;
        }
        return rows;
    }

    /** Appends a chunk's first rows to {@code all}, made on the first chunk with room for the {@code total}. */
    private static RowBuffer appendTo(RowBuffer all, RowBuffer chunk, int rows, long total) {
        RowBuffer out = all;
        if (out == null) {
            out = chunk.emptyCopy();
            out.reserve(Math.toIntExact(total));
        }
        out.appendFrom(chunk, 0, rows);
        return out;
    }
}
