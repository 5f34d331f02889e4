package io.streamglm.job.stream;

import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;
import org.apache.flink.streaming.api.watermark.Watermark;

import java.util.List;

/**
 * A keyed broadcast operator whose broadcast input (control commands, feedback messages) takes no part in event
 * time: its watermark is the rows' watermark from the first row on. Flink's operator starts each input at the
 * minimum watermark, and a broadcast input that reports the end of time only once its source task runs would hold
 * the rows' watermark back meanwhile: rows that should be late were then taken, and windows closed later,
 * depending on which task started first. (Before, the operator set the broadcast input to the end of time.)
 *
 * <p>Nor does the broadcast input take over when the rows' input goes idle (all its channels idle, with
 * {@code --idle-timeout}): Flink would then take the operator's watermark from the other input alone, the end of
 * time, and close every open window on the rows it had so far. That is how rows were lost across restores, when a
 * recovering source went quiet for the idle timeout.
 */
final class RowTimeBroadcastOperator<K, IN1, IN2, OUT> extends CoBroadcastWithKeyedOperator<K, IN1, IN2, OUT> {
    private static final long serialVersionUID = 1L;

    RowTimeBroadcastOperator(KeyedBroadcastProcessFunction<K, IN1, IN2, OUT> function,
                             MapStateDescriptor<?, ?> broadcastState) {
        super(function, List.of(broadcastState));
    }

    /**
     * The rows' watermark is given to both inputs (the broadcast input's first, so the operator's watermark moves
     * once): whichever input Flink then counts, idle or not, event time is the rows'.
     */
    @Override public void processWatermark1(Watermark mark) throws Exception {
        super.processWatermark2(mark);
        super.processWatermark1(mark);
    }

    /** The broadcast input's own watermark (its sources report the end of time) is not event time. */
    @Override public void processWatermark2(Watermark mark) {
        // ignored: see processWatermark1
    }
}
