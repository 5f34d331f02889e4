package io.streamglm.job.replay;

import io.streamglm.engine.design.RowBuffer;
import io.streamglm.engine.fit.GlmResult;
import io.streamglm.job.core.Event;
import io.streamglm.job.core.WindowSpec;
import io.streamglm.job.refit.Refitter;
import io.streamglm.job.state.SerializerTypeInfo;
import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

import java.time.Instant;
import java.util.Locale;

/**
 * A replay's refit operator, keyed by (model, window start): in BATCH execution every key's rows arrive before its
 * end-of-input timer fires, so each key holds exactly one window and is fitted once, and state never holds more
 * than the windows being fitted. Window labels, row order and numerics are the stream's ({@link Refitter}), so a
 * replayed window equals the streamed one.
 */
public final class WindowRefit extends KeyedProcessFunction<String, Tuple2<Long, Event>, ReplayOutput> {
    private static final long serialVersionUID = 1L;
    /** Window start of {@code --window all}: one window per model. */
    public static final long ALL = Long.MIN_VALUE;

    private final Refitter.Setup setup;
    private final WindowSpec window;
    private transient Refitter refitter;
    private transient ValueState<RowBuffer> rows;
    private transient ValueState<Long> start;
    private transient ValueState<String> model;

    /** @param window the windows, or null for {@code all} */
    public WindowRefit(Refitter.Setup setup, WindowSpec window) {
        this.setup = setup;
        this.window = window;
    }

    /** The key of a window of a model. */
    public static String key(Tuple2<Long, Event> assigned) {
        return assigned.f1.row().model() + "\u0000" + assigned.f0;
    }

    @Override public void open(OpenContext openContext) {
        refitter = setup.open();
        rows = getRuntimeContext().getState(new ValueStateDescriptor<>("rows", SerializerTypeInfo.ROW_BUFFER));
        start = getRuntimeContext().getState(new ValueStateDescriptor<>("start", Types.LONG));
        model = getRuntimeContext().getState(new ValueStateDescriptor<>("model", Types.STRING));
    }

    @Override public void processElement(Tuple2<Long, Event> assigned, Context ctx, Collector<ReplayOutput> out)
            throws Exception {
        RowBuffer buffer = rows.value();
        if (buffer == null) {
            buffer = refitter.newBuffer();
            start.update(assigned.f0);
            model.update(assigned.f1.row().model());
            ctx.timerService().registerEventTimeTimer(Long.MAX_VALUE); // fires when the key's input ends
        }
        Event e = assigned.f1;
        e.row().appendTo(buffer, ((long) e.partition() << 40) | e.offset());
        rows.update(buffer);
    }

    @Override public void onTimer(long timestamp, OnTimerContext ctx, Collector<ReplayOutput> out) throws Exception {
        out.collect(new ReplayOutput(false, record(refitter, model.value(), start.value(), window, rows.value())));
        rows.clear();
        start.clear();
        model.clear();
    }

    /**
     * The refit record of one window (start {@link #ALL} for {@code all}): its rows in the stream's canonical
     * order (event time, then source position), fitted exactly, with the summary of the stream's one-operator
     * path.
     */
    static String record(Refitter refitter, String model, long start, WindowSpec window, RowBuffer rows) {
        RowBuffer buffer = rows.sorted();
        var matrix = refitter.sortedMatrix(buffer); // one matrix for the fit and the summary
        GlmResult result = refitter.exact(matrix);
        // windows are refitted independently here (one key each): no previous window's model, so no drift
        var summary = refitter.summarize(matrix, result, null);
        if (start == ALL) {
            return refitter.record(model, "all", "all", null, null, buffer.size(), "exact", result,
                    buffer.time(buffer.size() - 1), summary, null);
        }
        long end = start + window.sizeMillis();
        return refitter.record(model, "w:" + Instant.ofEpochMilli(start) + "/" + Instant.ofEpochMilli(end),
                window.kind().name().toLowerCase(Locale.ROOT), start, end, buffer.size(), "exact", result, end - 1,
                summary, null);
    }

    /** Sends each row to every window it belongs to (one for tumbling, size/slide for sliding, one for all). */
    public static final class Assign implements FlatMapFunction<Event, Tuple2<Long, Event>> {
        private static final long serialVersionUID = 1L;
        private final WindowSpec window;

        public Assign(WindowSpec window) {
            this.window = window;
        }

        @Override public void flatMap(Event e, Collector<Tuple2<Long, Event>> out) {
            if (window == null) {
                out.collect(Tuple2.of(ALL, e));
                return;
            }
            starts(window, e.row().eventTime(), s -> out.collect(Tuple2.of(s, e)));
        }

        /** The starts of the windows a row of this time belongs to, in ascending order. */
        static void starts(WindowSpec window, long time, java.util.function.LongConsumer start) {
            long slide = window.slideMillis();
            long bucket = Math.floorDiv(time, slide) * slide;
            for (long s = bucket - window.sizeMillis() + slide; s <= bucket; s += slide) {
                start.accept(s);
            }
        }
    }
}
