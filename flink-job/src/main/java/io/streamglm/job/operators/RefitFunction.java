package io.streamglm.job.operators;

import io.streamglm.connectors.record.BadRecord;
import io.streamglm.engine.design.DesignMatrix;
import io.streamglm.engine.diagnostics.WindowSummary;
import io.streamglm.engine.fit.GlmResult;
import io.streamglm.job.core.Event;
import io.streamglm.job.core.WindowSpec;
import io.streamglm.job.refit.RefitOutput;
import io.streamglm.job.refit.Refitter;
import io.streamglm.job.refit.WindowContents;
import io.streamglm.job.state.SerializerTypeInfo;
import io.streamglm.job.state.VersionedSnapshot;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

import java.nio.ByteBuffer;
import java.util.List;

/**
 * The stream's refit operator, keyed by model id: buffers each model's encoded rows in event-time buckets (Flink
 * managed state, explicit serializers), refits when a window closes (event-time timer after the allowed
 * lateness), every N rows, or when the control topic asks, and emits one output record per refit. Rows arriving
 * after every window they belong to has been refitted go to the dead-letter output with reason {@code late}.
 * The numerics are {@link Refitter}'s; the rows are kept by {@link WindowBuffer}.
 */
public final class RefitFunction extends KeyedBroadcastProcessFunction<String, Event, ControlCommand, RefitOutput> {
    private static final long serialVersionUID = 1L;
    public static final OutputTag<Event> DEAD_LETTERS = new OutputTag<>("dead-letters", SerializerTypeInfo.EVENT);
    /** Bucket key of the single buffer of count and global windows. */
    private static final long ALL = Long.MIN_VALUE;
    /** Mode of refits. */
    public enum Mode { EXACT, ONLINE }

    private final Refitter.Setup setup;
    private final WindowSpec window;
    private final long allowedLateness;
    private final long retain;
    private final long refitEvery;
    private final Mode mode;
    private final double forgetting;
    private final boolean cells;

    private transient Refitter refitter;
    private transient BucketStore buffer;
    private transient ValueState<Long> counter;
    private transient ValueState<byte[]> online;
    /** The last window refit's model, for the next window's drift check. */
    private transient ValueState<WindowSummary.PreviousModel> previousModel;

    /**
     * @param retain     how long (event time) rows stay buffered for on-demand refits, beyond the window
     * @param refitEvery for global windows: refit every this many rows
     * @param cells      keep cells ({@link CellBuffer}) instead of rows (Poisson log-link models, exact mode)
     */
    public RefitFunction(Refitter.Setup setup, WindowSpec window, long allowedLateness, long retain, long refitEvery, Mode mode, double forgetting,
                         boolean cells) {
        if (cells && mode != Mode.EXACT) {
            throw new IllegalArgumentException("cells are refitted in exact mode only");
        }
        this.setup = setup;
        this.window = window;
        this.allowedLateness = allowedLateness;
        this.retain = retain;
        this.refitEvery = refitEvery;
        this.mode = mode;
        this.forgetting = forgetting;
        this.cells = cells;
    }

    /** The broadcast state descriptor of the control stream (the commands themselves are not kept). */
    public static MapStateDescriptor<String, String> controlDescriptor() {
        return new MapStateDescriptor<>("control", Types.STRING, Types.STRING);
    }

    @Override public void open(OpenContext openContext) {
        refitter = setup.open();
        buffer = cells ? CellBuffer.open(getRuntimeContext(), refitter.design())
                : WindowBuffer.open(getRuntimeContext(), refitter::newBuffer);
        counter = getRuntimeContext().getState(new ValueStateDescriptor<>("refits", Types.LONG));
        online = getRuntimeContext().getState(new ValueStateDescriptor<>("online",
                PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO));
        previousModel = getRuntimeContext().getState(new ValueStateDescriptor<>("previous-model",
                PREVIOUS_MODEL));
    }

    @Override public void processElement(Event event, ReadOnlyContext ctx, Collector<RefitOutput> out) throws Exception {
        long watermark = ctx.timerService().currentWatermark();
        switch (window.kind()) {
            case TUMBLING, SLIDING -> {
                BadRecord late = buffer.appendInWindows(event, window, allowedLateness, ctx.timerService());
                if (late != null) {
                    ctx.output(DEAD_LETTERS, event.asDeadLetter(late));
                }
            }
            case COUNT -> {
                if (buffer.append(ALL, event) >= window.count()) {
                    long n = next();
                    emit(ctx.getCurrentKey(), "count:" + n, "count", null, null, buffer.contents(ALL, ALL + 1), watermark, out);
                    buffer.drop(ALL);
                }
            }
            case GLOBAL -> {
                long n = buffer.append(ALL, event);
                if (n % refitEvery == 0) {
                    emit(ctx.getCurrentKey(), "global:" + n, "global", null, null, buffer.contents(ALL, ALL + 1), watermark,
                            out);
                }
            }
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
        WindowContents rows = buffer.contents(start, end);
        if (rows != null && rows.rows() > 0) {
            emit(ctx.getCurrentKey(), Refitter.windowRefitId(start, end),
                    window.kind().name().toLowerCase(java.util.Locale.ROOT), start, end, rows,
                    timestamp, out); // the timer's time, not the current watermark: the record must not depend on
                                     // how far the watermark jumped before the timer fired
        }
        // Buckets no later window needs, and older than the retention for on-demand refits, are dropped: state
        // stays bounded by the window (and the retention).
        long keepFrom = Math.min(end - window.sizeMillis() + window.slideMillis(), end - retain);
        for (Long b : buffer.bucketsIn(Long.MIN_VALUE, keepFrom)) {
            buffer.drop(b);
        }
    }

    @Override public void processBroadcastElement(ControlCommand command, Context ctx, Collector<RefitOutput> out)
            throws Exception {
        long watermark = ctx.currentWatermark();
        // applyToKeyedState sets each key as the current key, so the function's own keyed state reads that key's.
        ctx.applyToKeyedState(WindowBuffer.bucketRowsDescriptor(), (key, state) -> {
            if (!command.matches(key)) {
                return;
            }
            List<Long> keys = buffer.bucketsIn(Long.MIN_VALUE, Long.MAX_VALUE);
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
            WindowContents rows = buffer.contents(from, to);
            if (rows != null && rows.rows() > 0) {
                long triggered = System.currentTimeMillis();
                // drift against the last window's model; an on-demand refit does not replace it
                Refitter.Refit refit = refitter.exactWithSummary(rows, previousModel.value());
                out.collect(new RefitOutput(key, refitter.record(key, "control:" + command.id(), "on-demand:"
                        + command.refit(), null, null, rows.rows(), "exact", refit.result(), watermark,
                        refit.summary(), null), triggered));
            }
        });
    }

    private void emit(String key, String refit, String kind, Long start, Long end, WindowContents rows,
                      long watermark, Collector<RefitOutput> out) throws Exception {
        long triggered = System.currentTimeMillis();
        GlmResult result;
        WindowSummary summary;
        if (mode == Mode.ONLINE) {
            byte[] previous = online.value();
            DesignMatrix matrix = refitter.sortedMatrix(((WindowContents.Rows) rows).buffer());
            Refitter.OnlineStep step = refitter.online(matrix, decode(previous), forgetting);
            online.update(encode(step.state()));
            result = step.result();
            summary = refitter.summarize(matrix, result, previousModel.value());
        } else {
            Refitter.Refit refitted = refitter.exactWithSummary(rows, previousModel.value());
            result = refitted.result();
            summary = refitted.summary();
        }
        WindowSummary.PreviousModel current = WindowSummary.PreviousModel.of(refit, result);
        if (current != null) {
            previousModel.update(current);
        }
        out.collect(new RefitOutput(key, refitter.record(key, refit, kind, start, end, rows.rows(),
                mode.name().toLowerCase(java.util.Locale.ROOT), result, watermark, summary, null),
                triggered));
    }

    /** The type of the previous window's model in state: its own versioned byte form, no Kryo. */
    public static final org.apache.flink.api.common.typeinfo.TypeInformation<WindowSummary.PreviousModel> PREVIOUS_MODEL =
            new SerializerTypeInfo<>(WindowSummary.PreviousModel.class,
                    io.streamglm.job.state.PreviousModelSerializer.INSTANCE);

    /**
     * Where the previous model's serializer was before it moved to {@code state}: savepoints taken then name this
     * snapshot class, so it stays, restoring the serializer that moved.
     */
    public static final class PreviousModelSerializer {
        private PreviousModelSerializer() {
        }

        /** The snapshot class old savepoints name; it reads them and restores the moved serializer. */
        public static final class Snapshot extends VersionedSnapshot<WindowSummary.PreviousModel> {
            public Snapshot() {
                super(() -> io.streamglm.job.state.PreviousModelSerializer.INSTANCE);
            }
        }
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
