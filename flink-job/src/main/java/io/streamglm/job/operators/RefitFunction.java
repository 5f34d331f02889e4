package io.streamglm.job.operators;

import io.streamglm.connectors.record.BadRecord;
import io.streamglm.engine.design.RowBuffer;
import io.streamglm.engine.fit.GlmResult;
import io.streamglm.engine.model.ModelFile;
import io.streamglm.engine.spec.SpecParser;
import io.streamglm.job.state.SerializerTypeInfo;
import io.streamglm.job.stream.WindowSpec;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.api.java.typeutils.TupleTypeInfo;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * The stream's refit operator, keyed by model id: buffers each model's encoded rows in event-time buckets (Flink
 * managed state, explicit serializers), refits when a window closes (event-time timer after the allowed
 * lateness), every N rows, or when the control topic asks, and emits one output record per refit. Rows arriving
 * after every window they belong to has been refitted go to the dead-letter output with reason {@code late}.
 * The numerics are {@link Refitter}'s.
 *
 * <p>A bucket is stored as chunks of at most {@link #CHUNK_ROWS} rows, each its own map entry, so appending a row
 * rewrites one small chunk: on RocksDB a state write serializes the whole value, and one value per bucket would
 * make a window of n rows cost O(n^2) bytes of serialization.
 */
public final class RefitFunction extends KeyedBroadcastProcessFunction<String, Event, ControlCommand, RefitOutput> {
    private static final long serialVersionUID = 1L;
    public static final OutputTag<Event> DEAD_LETTERS = new OutputTag<>("dead-letters", SerializerTypeInfo.EVENT);
    /** Bucket key of the single buffer of count and global windows. */
    private static final long ALL = Long.MIN_VALUE;
    /**
     * Rows per state chunk. On RocksDB an append reads and writes its chunk (about 2 kB of the benchmark data at
     * 16 rows; 128 rows made a 400,000-row run write gigabytes into RocksDB and crawl); on the heap a chunk costs
     * one small buffer object, and 16 is the buffers' initial capacity. Part of the state layout: a change needs a
     * state migration.
     */
    public static final int CHUNK_ROWS = 16;

    /** Mode of refits. */
    public enum Mode { EXACT, ONLINE }

    private final String specJson;
    private final String designJson;
    private final String designSource;
    private final String input;
    private final WindowSpec window;
    private final long allowedLateness;
    private final long retain;
    private final long refitEvery;
    private final Mode mode;
    private final double forgetting;

    private transient Refitter refitter;
    /** Rows buffered per bucket; the bucket's chunks are numbered 0 .. (rows - 1) / CHUNK_ROWS. */
    private transient MapState<Long, Long> bucketRows;
    private transient MapState<Tuple2<Long, Integer>, RowBuffer> chunks;
    private transient ValueState<Long> counter;
    private transient ValueState<byte[]> online;

    /**
     * @param retain     how long (event time) rows stay buffered for on-demand refits, beyond the window
     * @param refitEvery for global windows: refit every this many rows
     */
    public RefitFunction(String specJson, String designJson, String designSource, String input, WindowSpec window,
                         long allowedLateness, long retain, long refitEvery, Mode mode, double forgetting) {
        this.specJson = specJson;
        this.designJson = designJson;
        this.designSource = designSource;
        this.input = input;
        this.window = window;
        this.allowedLateness = allowedLateness;
        this.retain = retain;
        this.refitEvery = refitEvery;
        this.mode = mode;
        this.forgetting = forgetting;
    }

    /** The broadcast state descriptor of the control stream (the commands themselves are not kept). */
    public static MapStateDescriptor<String, String> controlDescriptor() {
        return new MapStateDescriptor<>("control", Types.STRING, Types.STRING);
    }

    public static MapStateDescriptor<Long, Long> bucketRowsDescriptor() {
        return new MapStateDescriptor<>("bucket-rows", Types.LONG, Types.LONG);
    }

    public static MapStateDescriptor<Tuple2<Long, Integer>, RowBuffer> chunksDescriptor() {
        return new MapStateDescriptor<>("chunks", new TupleTypeInfo<>(Types.LONG, Types.INT),
                SerializerTypeInfo.ROW_BUFFER);
    }

    @Override public void open(OpenContext openContext) {
        refitter = new Refitter(SpecParser.parse(specJson, "spec"), ModelFile.designFromJson(designJson), designSource,
                input);
        bucketRows = getRuntimeContext().getMapState(bucketRowsDescriptor());
        chunks = getRuntimeContext().getMapState(chunksDescriptor());
        counter = getRuntimeContext().getState(new ValueStateDescriptor<>("refits", Types.LONG));
        online = getRuntimeContext().getState(new ValueStateDescriptor<>("online",
                PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO));
    }

    @Override public void processElement(Event event, ReadOnlyContext ctx, Collector<RefitOutput> out) throws Exception {
        long t = event.row().eventTime();
        long watermark = ctx.timerService().currentWatermark();
        switch (window.kind()) {
            case TUMBLING, SLIDING -> {
                long slide = window.slideMillis();
                long bucket = Math.floorDiv(t, slide) * slide;
                long lastEnd = bucket + window.sizeMillis();
                if (lastEnd - 1 + allowedLateness <= watermark) {
                    ctx.output(DEAD_LETTERS, event.asDeadLetter(new BadRecord(BadRecord.LATE,
                            "event time " + Instant.ofEpochMilli(t) + " is after every window it belongs to was refitted"
                                    + " (watermark " + Instant.ofEpochMilli(watermark) + ", allowed lateness "
                                    + allowedLateness + " ms)")));
                    return;
                }
                append(bucket, event);
                for (long end = bucket + slide; end <= lastEnd; end += slide) {
                    long fire = end - 1 + allowedLateness;
                    if (fire > watermark) {
                        ctx.timerService().registerEventTimeTimer(fire);
                    }
                }
            }
            case COUNT -> {
                if (append(ALL, event) >= window.count()) {
                    long n = next();
                    emit(ctx.getCurrentKey(), "count:" + n, "count", null, null, gather(ALL, ALL + 1), watermark, out);
                    drop(ALL);
                }
            }
            case GLOBAL -> {
                long n = append(ALL, event);
                if (n % refitEvery == 0) {
                    emit(ctx.getCurrentKey(), "global:" + n, "global", null, null, gather(ALL, ALL + 1), watermark,
                            out);
                }
            }
        }
    }

    /** Appends the event's row to its bucket's last chunk (or a new one) and returns the bucket's row count. */
    private long append(long bucket, Event event) throws Exception {
        Long before = bucketRows.get(bucket);
        long n = before == null ? 0 : before;
        Tuple2<Long, Integer> chunkKey = Tuple2.of(bucket, (int) (n / CHUNK_ROWS));
        RowBuffer chunk = n % CHUNK_ROWS == 0 ? refitter.newBuffer() : chunks.get(chunkKey);
        event.row().appendTo(chunk, ((long) event.partition() << 40) | event.offset());
        chunks.put(chunkKey, chunk);
        bucketRows.put(bucket, n + 1);
        return n + 1;
    }

    private void drop(long bucket) throws Exception {
        Long n = bucketRows.get(bucket);
        if (n != null) {
            for (int c = 0; c * (long) CHUNK_ROWS < n; c++) {
                chunks.remove(Tuple2.of(bucket, c));
            }
            bucketRows.remove(bucket);
        }
    }

    private long next() throws Exception {
        Long n = counter.value();
        long next = n == null ? 1 : n + 1;
        counter.update(next);
        return next;
    }

    @Override public void onTimer(long timestamp, OnTimerContext ctx, Collector<RefitOutput> out) throws Exception {
        long end = timestamp + 1 - allowedLateness;
        long start = end - window.sizeMillis();
        RowBuffer rows = gather(start, end);
        if (rows != null && rows.size() > 0) {
            emit(ctx.getCurrentKey(), "w:" + Instant.ofEpochMilli(start) + "/" + Instant.ofEpochMilli(end),
                    window.kind().name().toLowerCase(java.util.Locale.ROOT), start, end, rows,
                    timestamp, out); // the timer's time, not the current watermark: the record must not depend on
                                     // how far the watermark jumped before the timer fired
        }
        // Buckets no later window needs, and older than the retention for on-demand refits, are dropped: state
        // stays bounded by the window (and the retention).
        long keepFrom = Math.min(end - window.sizeMillis() + window.slideMillis(), end - retain);
        for (Long b : bucketsIn(Long.MIN_VALUE, keepFrom)) {
            drop(b);
        }
    }

    /** The buffered buckets in [start, end), in time order. */
    private List<Long> bucketsIn(long start, long end) throws Exception {
        List<Long> keys = new ArrayList<>();
        for (Long b : bucketRows.keys()) {
            if (b >= start && b < end) {
                keys.add(b);
            }
        }
        Collections.sort(keys);
        return keys;
    }

    /**
     * The rows of buckets in [start, end); null when there are none. One scan over the key's chunks (on RocksDB an
     * iterator, not a lookup per chunk); the order does not matter, refits sort rows canonically.
     */
    private RowBuffer gather(long start, long end) throws Exception {
        RowBuffer all = null;
        for (Map.Entry<Tuple2<Long, Integer>, RowBuffer> e : chunks.entries()) {
            long bucket = e.getKey().f0;
            if (bucket >= start && bucket < end) {
                RowBuffer chunk = e.getValue();
                if (all == null) {
                    all = chunk.emptyCopy();
                }
                all.appendFrom(chunk, 0, chunk.size());
            }
        }
        return all;
    }

    @Override public void processBroadcastElement(ControlCommand command, Context ctx, Collector<RefitOutput> out)
            throws Exception {
        long watermark = ctx.currentWatermark();
        // applyToKeyedState sets each key as the current key, so the function's own keyed state reads that key's.
        ctx.applyToKeyedState(bucketRowsDescriptor(), (key, state) -> {
            if (!command.matches(key)) {
                return;
            }
            List<Long> keys = bucketsIn(Long.MIN_VALUE, Long.MAX_VALUE);
            if (keys.isEmpty()) {
                return;
            }
            long from;
            long to = Long.MAX_VALUE;
            if (command.refit().startsWith("last:")) {
                from = watermark - WindowSpec.duration(command.refit().substring(5));
            } else if (window.timeBased()) {
                long latest = keys.get(keys.size() - 1);
                from = latest + window.slideMillis() - window.sizeMillis(); // the newest (open) window
            } else {
                from = Long.MIN_VALUE;
            }
            RowBuffer rows = gather(from, to);
            if (rows != null && rows.size() > 0) {
                long triggered = System.currentTimeMillis();
                GlmResult result = refitter.exact(rows.sorted());
                out.collect(new RefitOutput(key, refitter.record(key, "control:" + command.id(), "on-demand:"
                        + command.refit(), null, null, rows.size(), "exact", result, watermark), triggered));
            }
        });
    }

    private void emit(String key, String refit, String kind, Long start, Long end, RowBuffer rows, long watermark,
                      Collector<RefitOutput> out) throws Exception {
        long triggered = System.currentTimeMillis();
        GlmResult result;
        rows = rows.sorted();
        if (mode == Mode.ONLINE) {
            byte[] previous = online.value();
            Refitter.OnlineStep step = refitter.online(rows, decode(previous), forgetting);
            online.update(encode(step.state()));
            result = step.result();
        } else {
            result = refitter.exact(rows);
        }
        out.collect(new RefitOutput(key, refitter.record(key, refit, kind, start, end, rows.size(),
                mode.name().toLowerCase(java.util.Locale.ROOT), result, watermark), triggered));
    }

    private static byte[] encode(Refitter.OnlineState s) {
        ByteBuffer buf = ByteBuffer.allocate(1 + 8 + 8 * (s.beta().length + s.information().length));
        buf.put((byte) 1).putInt(s.beta().length).putInt(s.information().length);
        for (double v : s.beta()) {
            buf.putDouble(v);
        }
        for (double v : s.information()) {
            buf.putDouble(v);
        }
        return buf.array();
    }

    private static Refitter.OnlineState decode(byte[] bytes) {
        if (bytes == null) {
            return null;
        }
        ByteBuffer buf = ByteBuffer.wrap(bytes);
        if (buf.get() != 1) {
            throw new IllegalStateException("online state of an unknown version");
        }
        double[] beta = new double[buf.getInt()];
        double[] info = new double[buf.getInt()];
        for (int i = 0; i < beta.length; i++) {
            beta[i] = buf.getDouble();
        }
        for (int i = 0; i < info.length; i++) {
            info[i] = buf.getDouble();
        }
        return new Refitter.OnlineState(beta, info);
    }
}
