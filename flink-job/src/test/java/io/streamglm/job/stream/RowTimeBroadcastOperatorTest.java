package io.streamglm.job.stream;

import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.streaming.runtime.watermarkstatus.WatermarkStatus;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.apache.flink.util.Collector;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Event time of a keyed broadcast operator is the rows' alone, also when the rows go idle. */
class RowTimeBroadcastOperatorTest {
    private static final MapStateDescriptor<String, String> STATE =
            new MapStateDescriptor<>("control", Types.STRING, Types.STRING);

    /** Each row asks for a timer at its time + 1000 and the timer emits the key: a window closing. */
    static final class CloseAfterASecond extends KeyedBroadcastProcessFunction<String, String, String, String> {
        @Override public void processElement(String row, ReadOnlyContext ctx, Collector<String> out) {
            ctx.timerService().registerEventTimeTimer(ctx.timestamp() + 1000);
        }

        @Override public void processBroadcastElement(String command, Context ctx, Collector<String> out) {
        }

        @Override public void onTimer(long timestamp, OnTimerContext ctx, Collector<String> out) {
            out.collect(ctx.getCurrentKey() + "@" + timestamp);
        }
    }

    @Test
    void idleRowsCloseNoWindow() throws Exception {
        try (var harness = new KeyedBroadcastOperatorTestHarness<>(new RowTimeBroadcastOperator<>(
                new CloseAfterASecond(), STATE), (String row) -> row, Types.STRING, 1, 1, 0)) {
            harness.open();
            harness.processElement("a", 5_000);
            harness.processWatermark(5_500);
            harness.getTwoInputOperator().processWatermarkStatus1(WatermarkStatus.IDLE);
            harness.getTwoInputOperator().processWatermarkStatus2(WatermarkStatus.IDLE);
            harness.processBroadcastWatermark(Long.MAX_VALUE);
            assertThat(harness.extractOutputValues()).as("no window closes while the rows are idle").isEmpty();
            harness.getTwoInputOperator().processWatermarkStatus1(WatermarkStatus.ACTIVE);
            harness.processWatermark(6_000);
            assertThat(harness.extractOutputValues()).containsExactly("a@6000");
        }
    }
}
