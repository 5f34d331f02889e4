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
 * depending on which task started first.
 */
final class RowTimeBroadcastOperator<K, IN1, IN2, OUT> extends CoBroadcastWithKeyedOperator<K, IN1, IN2, OUT> {
    private static final long serialVersionUID = 1L;

    RowTimeBroadcastOperator(KeyedBroadcastProcessFunction<K, IN1, IN2, OUT> function,
                             MapStateDescriptor<?, ?> broadcastState) {
        super(function, List.of(broadcastState));
    }

    @Override public void open() throws Exception {
        super.open();
        processWatermark2(Watermark.MAX_WATERMARK);
    }
}
