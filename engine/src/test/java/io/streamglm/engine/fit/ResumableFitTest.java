package io.streamglm.engine.fit;

import io.streamglm.engine.accumulate.InMemoryPasses;
import io.streamglm.engine.accumulate.InferencePass;
import io.streamglm.engine.accumulate.IrlsPass;
import io.streamglm.engine.accumulate.ThetaPass;
import io.streamglm.engine.data.DataTable;
import io.streamglm.engine.data.TestColumns;
import io.streamglm.engine.design.DesignBuilder;
import io.streamglm.engine.design.DesignMatrix;
import io.streamglm.engine.design.FittedDesign;
import io.streamglm.engine.spec.ModelSpec;
import io.streamglm.engine.spec.SpecParser;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A fit driven step by step through {@link ResumableFit}, with each pass answered by two shards' partial
 * accumulators, is the in-memory fit bit for bit when the shards split the rows where the in-memory passes
 * split their chunks (the sums are then added in the same order).
 */
class ResumableFitTest {
    private static final int ROWS = InMemoryPasses.CHUNK_ROWS + 5_000;

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ';', value = {
            "gaussian;", "poisson;, \"exposure\": \"e\"", "binomial;", "gamma;, \"link\": \"log\"",
            "negbinomial;, \"exposure\": \"e\"", "tweedie;, \"var_power\": 1.5"})
    void steppedFitWithShardAnswersIsTheInMemoryFit(String family, String extra) {
        ModelSpec spec = SpecParser.parse("{\"response\": \"y\", \"family\": \"" + family + "\""
                + (extra == null ? "" : extra) + ", \"terms\": {\"x\": {\"type\": \"linear\"},"
                + " \"g\": {\"type\": \"categorical\"}}}", null);
        DataTable data = table(family, new Random(family.hashCode()));
        FittedDesign design = DesignBuilder.fit(spec, data, new ArrayList<>());
        GlmModel model = GlmModel.of(spec, design);
        DesignMatrix matrix = TrainingSet.build(spec, model, design, data, new ArrayList<>());
        GlmResult expected = GlmFitter.fit(new InMemoryPasses(matrix, null), model);

        List<List<byte[]>> answers = new ArrayList<>();
        ResumableFit.Step step = ResumableFit.step(model, matrix.columns(), answers);
        while (step instanceof ResumableFit.Pending pending) {
            int split = InMemoryPasses.CHUNK_ROWS;
            answers.add(List.of(shard(pending.pass(), matrix, 0, split), shard(pending.pass(), matrix, split, ROWS)));
            step = ResumableFit.step(model, matrix.columns(), answers);
        }
        GlmResult actual = ((ResumableFit.Done) step).result();

        assertThat(actual.status()).isEqualTo(expected.status());
        assertThat(actual.iterations()).isEqualTo(expected.iterations());
        assertThat(actual.deviance()).isEqualTo(expected.deviance());
        assertThat(actual.nullDeviance()).isEqualTo(expected.nullDeviance());
        assertThat(actual.aic()).isEqualTo(expected.aic());
        assertThat(actual.theta()).isEqualTo(expected.theta());
        assertThat(actual.coefficients()).isEqualTo(expected.coefficients());
        assertThat(answers.size()).as("passes").isGreaterThan(2);
    }

    private static byte[] shard(Object pass, DesignMatrix m, int from, int to) {
        if (pass instanceof IrlsPass p) {
            return InMemoryPasses.irls(m, from, to, p).toByteArray();
        }
        if (pass instanceof InferencePass p) {
            return InMemoryPasses.inference(m, from, to, p).toByteArray();
        }
        return InMemoryPasses.theta(m, from, to, (ThetaPass) pass).toByteArray();
    }

    private static DataTable table(String family, Random random) {
        return TestColumns.drawn("shards", ROWS, (i, row) -> {
            double x = random.nextGaussian();
            int g = random.nextInt(3);
            double e = 0.5 + random.nextDouble();
            double eta = 0.3 + 0.4 * x - 0.2 * g;
            double y = switch (family) {
                case "gaussian" -> eta + random.nextGaussian();
                case "binomial" -> random.nextDouble() < 1 / (1 + Math.exp(-eta)) ? 1 : 0;
                case "gamma", "tweedie" -> Math.exp(eta) * (0.2 + random.nextDouble() * 1.6)
                        * (family.equals("tweedie") && random.nextDouble() < 0.3 ? 0 : 1);
                default -> Draws.poisson(random, Math.exp(eta) * e * (0.5 + random.nextDouble()));
            };
            row.numeric("x", x).numeric("y", y).numeric("e", e).categorical("g", g, List.of("a", "b", "c"));
        });
    }
}
