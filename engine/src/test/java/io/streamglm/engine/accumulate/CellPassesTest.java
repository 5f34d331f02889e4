package io.streamglm.engine.accumulate;

import io.streamglm.engine.data.DataTable;
import io.streamglm.engine.data.TestColumns;
import io.streamglm.engine.design.DesignBuilder;
import io.streamglm.engine.design.DesignMatrix;
import io.streamglm.engine.design.FittedDesign;
import io.streamglm.engine.fit.Coefficient;
import io.streamglm.engine.fit.Draws;
import io.streamglm.engine.fit.GlmFitter;
import io.streamglm.engine.fit.GlmModel;
import io.streamglm.engine.fit.GlmResult;
import io.streamglm.engine.fit.TrainingSet;
import io.streamglm.engine.spec.ModelSpec;
import io.streamglm.engine.spec.SpecParser;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * A fit over cells takes the rows' path: the same iterations, and coefficients, standard errors, HC0/HC1,
 * deviances, dispersion, Pearson's chi-square and AIC to 1e-10, from far fewer cells than rows.
 */
class CellPassesTest {
    private static final int ROWS = 20_000;

    @ParameterizedTest(name = "{0}{1} {2}")
    @CsvSource(delimiter = ';', value = {
            "poisson;, \"exposure\": \"e\";\"a\": {\"type\": \"categorical\"}, \"b\": {\"type\": \"categorical\"}",
            "quasipoisson;, \"exposure\": \"e\";\"a\": {\"type\": \"categorical\"}, \"b\": {\"type\": \"categorical\"}",
            "poisson;;\"a\": {\"type\": \"categorical\"}, \"b\": {\"type\": \"categorical\"}",
            "poisson;, \"exposure\": \"e\", \"intercept\": false;\"a\": {\"type\": \"categorical\"}",
            "poisson;, \"exposure\": \"e\", \"control\": {\"max_iterations\": 1};\"a\": {\"type\": \"categorical\"}",
            "quasipoisson;, \"exposure\": \"e\", \"control\": {\"max_iterations\": 1};\"b\": {\"type\": \"categorical\"}",
            "poisson;, \"exposure\": \"e\", \"interactions\": [{\"a\": {\"type\": \"categorical\"},"
                    + " \"b\": {\"type\": \"categorical\"}}];\"a\": {\"type\": \"categorical\"},"
                    + " \"b\": {\"type\": \"categorical\"}"})
    void cellsFitAsTheirRows(String family, String extra, String terms) {
        ModelSpec spec = SpecParser.parse("{\"response\": \"y\", \"family\": \"" + family + "\""
                + (extra == null ? "" : extra) + ", \"terms\": {" + terms + "}}", null);
        DataTable data = table(new Random(family.hashCode() + terms.hashCode()));
        FittedDesign design = DesignBuilder.fit(spec, data, new ArrayList<>());
        GlmModel model = GlmModel.of(spec, design);
        DesignMatrix matrix = TrainingSet.build(spec, model, design, data, new ArrayList<>());
        assertThat(CellPasses.supports(model.family(), model.link(), matrix.hasWeights())).isTrue();
        GlmResult rows = GlmFitter.fit(new InMemoryPasses(matrix, null), model);
        CellTable cells = CellTable.compress(matrix, design);
        GlmResult fromCells = GlmFitter.fit(new CellPasses(cells), model);
        assertThat(GlmFitter.fit(new CellPasses(CellTable.heapify(cells.toByteArray(), design)), model).coefficients())
                .as("the same fit from the cells' bytes").isEqualTo(fromCells.coefficients());

        assertThat(cells.rows()).isEqualTo(ROWS);
        assertThat(cells.size()).isLessThanOrEqualTo(4 * 5);
        assertThat(fromCells.status()).isEqualTo(rows.status());
        assertThat(fromCells.iterations()).isEqualTo(rows.iterations());
        assertThat(fromCells.rows()).isEqualTo(rows.rows());
        assertThat(fromCells.dfResidual()).isEqualTo(rows.dfResidual());
        close(fromCells.deviance(), rows.deviance());
        close(fromCells.nullDeviance(), rows.nullDeviance());
        close(fromCells.dispersion(), rows.dispersion());
        close(fromCells.pearsonChi2(), rows.pearsonChi2());
        close(fromCells.aic(), rows.aic());
        for (int j = 0; j < rows.coefficients().size(); j++) {
            Coefficient r = rows.coefficients().get(j);
            Coefficient c = fromCells.coefficients().get(j);
            assertThat(c.name()).isEqualTo(r.name());
            close(c.estimate(), r.estimate());
            close(c.stdError(), r.stdError());
            close(c.pValue(), r.pValue());
            close(c.robustSeHc0(), r.robustSeHc0());
            close(c.robustSeHc1(), r.robustSeHc1());
            assertThat(c.robustSeHc2()).as("HC2 needs each row's leverage").isNull();
            assertThat(c.robustSeHc3()).isNull();
        }
    }

    private static void close(Double actual, Double expected) {
        if (expected == null) {
            assertThat(actual).isNull();
            return;
        }
        assertThat(actual).isCloseTo(expected, within(1e-10 * Math.max(1e-3, Math.abs(expected))));
    }

    private static DataTable table(Random random) {
        double[] y = new double[ROWS];
        double[] e = new double[ROWS];
        int[] a = new int[ROWS];
        int[] b = new int[ROWS];
        for (int i = 0; i < ROWS; i++) {
            a[i] = random.nextInt(4);
            b[i] = random.nextInt(5);
            e[i] = 0.05 + random.nextDouble() * 2;
            double mean = e[i] * Math.exp(-0.5 + 0.3 * a[i] - 0.2 * b[i] + (a[i] == 2 && b[i] == 3 ? 0.4 : 0));
            y[i] = Draws.poisson(random, mean);
        }
        return new TestColumns().numeric("y", y).numeric("e", e).categorical("a", a, List.of("a0", "a1", "a2", "a3"))
                .categorical("b", b, List.of("b0", "b1", "b2", "b3", "b4")).table("cells", ROWS);
    }
}
