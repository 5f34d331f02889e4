package io.streamglm.job.operators;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With {@code --cells}, a window's state grows with its distinct cells, not its rows: the claims data's two
 * categoricals (20 x 50 levels, 1,000 cells) with Poisson counts and exposures, fed 20,000 and then 200,000 rows
 * in one window, checkpoint the same state; the test prints the bytes per cell (the README's number).
 */
class CellStateTest {
    private static final int CELLS = 20 * 50;

    @Test
    void stateGrowsWithCellsNotRows() throws Exception {
        ObjectNode specNode = (ObjectNode) new ObjectMapper().readTree(SyntheticClaims.poissonSpecWithLevels());
        ObjectNode terms = (ObjectNode) specNode.get("terms");
        terms.retain("cat20", "cat50");
        ModelSpec spec = SpecParser.parse(specNode.toString(), "spec");
        FittedDesign design = DesignBuilder.freeze(spec);
        RefitFunction function = new RefitFunction(new Refitter.Setup(SpecParser.toJson(spec).toString(),
                ModelFile.designToJson(design), "spec", "in"), WindowSpec.parse("tumbling:1h"), 0, 0, 1, RefitFunction.Mode.EXACT, 1.0, true);
        RowEncoding encoding = new RowEncoding(spec, "m", design);
        SyntheticClaims.Generator generator = new SyntheticClaims.Generator(5);
        long small = -1;
        long large;
        try (KeyedBroadcastOperatorTestHarness<String, Event, ControlCommand, RefitOutput> harness =
                     ProcessFunctionTestHarnesses.forKeyedBroadcastProcessFunction(function, e -> e.row().model(),
                             Types.STRING, RefitFunction.controlDescriptor())) {
            harness.processBroadcastWatermark(Long.MAX_VALUE);
            for (int i = 0; i < 200_000; i++) {
                Event event = Event.row(encoding.encode(generator.next().toRecord(i)).row(), new byte[0], "in", 0, i);
                harness.processElement(event, i);
                if (i == 19_999) {
                    small = harness.snapshot(1, 1).getStateSize();
                    System.out.printf("cells: 20,000 rows in %,d bytes of state%n", small);
                }
            }
            large = harness.snapshot(2, 2).getStateSize();
        }
        double perCell = (double) large / CELLS;
        System.out.printf("cells: 200,000 rows in %,d bytes of state, %.0f bytes per cell of %d cells%n", large,
                perCell, CELLS);
        assertThat((double) large).as("state after 10x the rows").isLessThanOrEqualTo(1.01 * small);
        assertThat(perCell).as("bytes per cell").isLessThan(400);
    }
}
