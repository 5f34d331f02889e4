package io.streamglm.job.shards;

import io.streamglm.connectors.record.RowEncoding;
import io.streamglm.engine.accumulate.PassCodec;
import io.streamglm.engine.design.DesignBuilder;
import io.streamglm.engine.design.FittedDesign;
import io.streamglm.engine.fit.GlmModel;
import io.streamglm.engine.fit.ResumableFit;
import io.streamglm.engine.model.ModelFile;
import io.streamglm.engine.spec.ModelSpec;
import io.streamglm.engine.spec.SpecParser;
import io.streamglm.job.core.Event;
import io.streamglm.job.core.Partial;
import io.streamglm.job.core.WindowSpec;
import io.streamglm.job.refit.Refitter;
import io.streamglm.job.synthetic.SyntheticClaims;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A shard answers the passes of its frozen windows: those of its own run, and, after a restore from a savepoint
 * (a new submission, so a new run id), those the run that froze the window asked before the savepoint; never
 * another run's.
 */
class ShardFunctionTest {
    private static final long HOUR = 3_600_000L;

    @Test
    void afterASavepointTheFreezingRunsRequestsAreStillAnswered() throws Exception {
        ModelSpec spec = SpecParser.parse(SyntheticClaims.poissonSpecWithLevels(), "spec");
        FittedDesign design = DesignBuilder.freeze(spec);
        String specJson = SpecParser.toJson(spec).toString();
        String designJson = ModelFile.designToJson(design);
        GlmModel model = GlmModel.of(spec, design);
        RowEncoding encoding = new RowEncoding(spec, "m", design);
        SyntheticClaims.Generator generator = new SyntheticClaims.Generator(9);

        List<List<byte[]>> answers = new ArrayList<>();
        OperatorSubtaskState savepoint;
        try (var before = harness(specJson, designJson, "old")) {
            for (int i = 0; i < 400; i++) {
                long time = i * (HOUR / 400);
                before.processElement(Event.row(encoding.encode(generator.next().toRecord(time)).row(), new byte[0],
                        "in", 0, i), time);
            }
            before.processWatermark(new Watermark(HOUR - 1)); // the window closes: both shards send the start pass
            answers.add(accumulators(before.extractOutputValues(), 0));
            assertThat(answers.get(0)).hasSize(2);
            before.processBroadcastElement(pass("old", model, design, answers, 1), 0);
            answers.add(accumulators(before.extractOutputValues(), 1));
            assertThat(answers.get(1)).hasSize(2);
            savepoint = before.snapshot(5, 0);
        }

        try (var after = new KeyedBroadcastOperatorTestHarness<>(new CoBroadcastWithKeyedOperator<>(
                new ShardFunction(new Refitter.Setup(specJson, designJson, "", ""), WindowSpec.parse("tumbling:1h"), 0,
                        "new", false),
                List.of(ShardFunction.feedbackDescriptor())), new ShardKeys(2, 1), Types.STRING, 1, 1, 0)) {
            after.setup();
            after.initializeState(savepoint);
            after.open();
            after.processBroadcastWatermark(Long.MAX_VALUE);
            // the old run's request for pass 2, still in the topic: the window was frozen by that run
            after.processBroadcastElement(pass("old", model, design, answers, 2), 0);
            assertThat(accumulators(after.extractOutputValues(), 2)).hasSize(2);
            // another run's message for the same window and pass: ignored
            after.processBroadcastElement(pass("other", model, design, answers, 3), 0);
            assertThat(accumulators(after.extractOutputValues(), 3)).isEmpty();
            // this run's own request: answered
            after.processBroadcastElement(pass("new", model, design, answers, 3), 0);
            assertThat(accumulators(after.extractOutputValues(), 3)).hasSize(2);
        }
    }

    private static KeyedBroadcastOperatorTestHarness<String, Event, byte[], Partial> harness(String specJson,
            String designJson, String job) throws Exception {
        var h = ProcessFunctionTestHarnesses.forKeyedBroadcastProcessFunction(
                new ShardFunction(new Refitter.Setup(specJson, designJson, "", ""), WindowSpec.parse("tumbling:1h"), 0,
                        job, false),
                new ShardKeys(2, 1), Types.STRING, ShardFunction.feedbackDescriptor());
        h.processBroadcastWatermark(Long.MAX_VALUE); // the feedback input has no event time (as in the job)
        return h;
    }

    /** The request for pass {@code iteration}, as a run with id {@code job} would send it. */
    private static byte[] pass(String job, GlmModel model, FittedDesign design, List<List<byte[]>> answers,
                               int iteration) {
        var step = (ResumableFit.Pending) ResumableFit.step(model, design.columns(),
                answers.subList(0, Math.min(iteration, answers.size())));
        return Feedback.pass(job, Feedback.Sender.FRESH, "m", HOUR, iteration, new int[]{0, 1},
                PassCodec.encodeAny(step.pass())).encode();
    }

    private static List<byte[]> accumulators(List<Partial> out, int iteration) {
        return out.stream().filter(p -> p.iteration() == iteration).sorted(Comparator.comparingInt(Partial::shard))
                .map(Partial::accumulator).toList();
    }
}
