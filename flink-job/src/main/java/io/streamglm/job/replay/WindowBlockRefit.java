package io.streamglm.job.replay;

import io.streamglm.engine.design.RowBuffer;
import io.streamglm.job.core.WindowSpec;
import io.streamglm.job.refit.Refitter;
import io.streamglm.job.state.SerializerTypeInfo;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * {@link WindowRefit} for blocks of rows ({@link SplitWindowBlocks}), keyed by (model, window start): in BATCH
 * execution a key's blocks all arrive before its end-of-input timer fires, so each window is gathered, put in the
 * stream's row order and fitted once, by the same code as a window of single rows.
 */
public final class WindowBlockRefit extends KeyedProcessFunction<String, Tuple2<String, RowBuffer>, ReplayOutput> {
    private static final long serialVersionUID = 1L;
    private final Refitter.Setup setup;
    private final WindowSpec window;
    private transient Refitter refitter;
    private transient ListState<RowBuffer> blocks;

    public WindowBlockRefit(Refitter.Setup setup, WindowSpec window) {
        this.setup = setup;
        this.window = window;
    }

    @Override public void open(OpenContext openContext) {
        refitter = setup.open();
        blocks = getRuntimeContext().getListState(new ListStateDescriptor<>("blocks", SerializerTypeInfo.ROW_BUFFER));
    }

    @Override public void processElement(Tuple2<String, RowBuffer> block, Context ctx, Collector<ReplayOutput> out)
            throws Exception {
        if (!blocks.get().iterator().hasNext()) {
            ctx.timerService().registerEventTimeTimer(Long.MAX_VALUE); // fires when the key's input ends
        }
        blocks.add(block.f1);
    }

    @Override public void onTimer(long timestamp, OnTimerContext ctx, Collector<ReplayOutput> out) throws Exception {
        // blocks in the order of their first rows: a file in time order then gives rows already in the stream's
        // order, and the window need not be sorted row by row (it is when it is not in order)
        List<RowBuffer> ordered = new ArrayList<>();
        blocks.get().forEach(ordered::add);
        ordered.sort(Comparator.comparingLong((RowBuffer b) -> b.time(0)).thenComparingLong(b -> b.sequence(0)));
        RowBuffer rows = ordered.get(0).emptyCopy();
        for (RowBuffer b : ordered) {
            rows.appendFrom(b, 0, b.size());
        }
        String key = ctx.getCurrentKey();
        int cut = key.lastIndexOf('\u0000');
        out.collect(new ReplayOutput(false, WindowRefit.record(refitter, key.substring(0, cut),
                Long.parseLong(key.substring(cut + 1)), window, rows)));
        blocks.clear();
    }
}
