package io.streamglm.job.operators;

import io.streamglm.connectors.record.RowEncoding;
import io.streamglm.engine.design.DesignBuilder;
import io.streamglm.engine.design.FittedDesign;
import io.streamglm.engine.model.ModelFile;
import io.streamglm.engine.spec.ModelSpec;
import io.streamglm.engine.spec.SpecParser;
import io.streamglm.job.core.Event;
import io.streamglm.job.core.WindowSpec;
import io.streamglm.job.refit.RefitOutput;
import io.streamglm.job.refit.Refitter;
import io.streamglm.job.synthetic.SyntheticClaims;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * State stays bounded by the window under an unbounded stream: the refit operator is fed minute after minute of
 * rows (one model), and the bytes of its checkpointed state, measured just before each minute's watermark, stop
 * growing once the first window is full and stay within what the window's rows cost (at most 1.5x their raw
 * numbers, plus a fixed allowance for timers and counters).
 */
class RefitStateBoundTest {
    private static final long MINUTE = 60_000L;
    private static final int ROWS_PER_MINUTE = 400;
    private static final int MINUTES = 60;

    @ParameterizedTest(name = "{0}")
    @CsvSource({"tumbling:5m, 5", "sliding:10m/2m, 10", "count:1000, 3"})
    void checkpointedStateStopsGrowingWithTheWindowFull(String window, int minutesHeld) throws Exception {
        ModelSpec spec = SpecParser.parse(SyntheticClaims.poissonSpecWithLevels(), "spec");
        FittedDesign design = DesignBuilder.freeze(spec);
        String specJson = SpecParser.toJson(spec).toString();
        RefitFunction function = new RefitFunction(new Refitter.Setup(specJson, ModelFile.designToJson(design), "spec",
                "in"), WindowSpec.parse(window), 0, 0, 1, RefitFunction.Mode.EXACT, 1.0, false);
        RowEncoding encoding = new RowEncoding(spec, "m", design);
        SyntheticClaims.Generator generator = new SyntheticClaims.Generator(3);
        List<Long> sizes = new ArrayList<>();
        try (KeyedBroadcastOperatorTestHarness<String, Event, ControlCommand, RefitOutput> harness =
                     ProcessFunctionTestHarnesses.forKeyedBroadcastProcessFunction(function, e -> e.row().model(),
                             Types.STRING, RefitFunction.controlDescriptor())) {
            harness.processBroadcastWatermark(Long.MAX_VALUE); // the control input has no event time (as in the job)
            long offset = 0;
            for (int minute = 0; minute < MINUTES; minute++) {
                for (int i = 0; i < ROWS_PER_MINUTE; i++) {
                    long time = minute * MINUTE + i * (MINUTE / ROWS_PER_MINUTE);
                    Event event = Event.row(encoding.encode(generator.next().toRecord(time)).row(), new byte[0], "in",
                            0, offset++);
                    harness.processElement(event, time);
                }
                sizes.add(harness.snapshot(minute, minute).getStateSize()); // a full checkpoint of the heap backend
                harness.processWatermark(new Watermark((minute + 1) * MINUTE - 1));
            }
            assertThat(harness.extractOutputValues()).as("refits").hasSizeGreaterThan(MINUTES / 5 - 1);
        }
        long bound = (long) (1.5 * SyntheticClaims.RAW_POISSON_BYTES_PER_ROW * ROWS_PER_MINUTE * minutesHeld) + 64 * 1024;
        long firstFull = max(sizes.subList(minutesHeld, 2 * minutesHeld + 1));
        long later = max(sizes.subList(2 * minutesHeld + 1, MINUTES));
        System.out.printf("%s: checkpointed state at most %,d bytes in minutes %d-%d, %,d in minutes %d-%d (bound %,d)%n",
                window, firstFull, minutesHeld, 2 * minutesHeld, later, 2 * minutesHeld + 1, MINUTES - 1, bound);
        assertThat(sizes).allSatisfy(size -> assertThat(size).isLessThanOrEqualTo(bound));
        assertThat((double) later).isLessThanOrEqualTo(1.05 * firstFull);
    }

    private static long max(List<Long> sizes) {
        return sizes.stream().mapToLong(Long::longValue).max().orElseThrow();
    }
}
