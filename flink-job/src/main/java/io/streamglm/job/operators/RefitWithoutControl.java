package io.streamglm.job.operators;

import io.streamglm.job.core.Event;
import io.streamglm.job.refit.RefitOutput;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ReadOnlyBroadcastState;
import org.apache.flink.streaming.api.TimeDomain;
import org.apache.flink.streaming.api.TimerService;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * The refit operator of a job without a control topic: the same {@link RefitFunction} on a one-input keyed
 * stream. A broadcast input that carries nothing would still take part in the operator's watermark, which stays
 * at its minimum until that input's task has started: rows read before then could not be late and windows fired
 * later, depending on task start-up order.
 */
public final class RefitWithoutControl extends KeyedProcessFunction<String, Event, RefitOutput> {
    private static final long serialVersionUID = 1L;
    private final RefitFunction refit;

    public RefitWithoutControl(RefitFunction refit) {
        this.refit = refit;
    }

    @Override public void open(OpenContext openContext) throws Exception {
        refit.setRuntimeContext(getRuntimeContext());
        refit.open(openContext);
    }

    @Override public void processElement(Event event, Context ctx, Collector<RefitOutput> out) throws Exception {
        refit.processElement(event, adapt(ctx, null), out);
    }

    @Override public void onTimer(long timestamp, OnTimerContext ctx, Collector<RefitOutput> out) throws Exception {
        refit.onTimer(timestamp, adapt(ctx, ctx.timeDomain()), out);
    }

    /** The one-input context as the broadcast function's (an on-timer context is also a read-only one). */
    private RefitFunction.OnTimerContext adapt(Context ctx, TimeDomain domain) {
        return refit.new OnTimerContext() {
            @Override public TimeDomain timeDomain() {
                return domain;
            }

            @Override public String getCurrentKey() {
                return ctx.getCurrentKey();
            }

            @Override public TimerService timerService() {
                return ctx.timerService();
            }

            @Override public <K, V> ReadOnlyBroadcastState<K, V> getBroadcastState(MapStateDescriptor<K, V> d) {
                throw new UnsupportedOperationException("a job without a control topic has no broadcast state");
            }

            @Override public Long timestamp() {
                return ctx.timestamp();
            }

            @Override public <X> void output(OutputTag<X> tag, X value) {
                ctx.output(tag, value);
            }

            @Override public long currentProcessingTime() {
                return ctx.timerService().currentProcessingTime();
            }

            @Override public long currentWatermark() {
                return ctx.timerService().currentWatermark();
            }
        };
    }
}
