package io.streamglm.job.operators;

import io.streamglm.engine.data.CategoricalColumn;
import io.streamglm.engine.data.DataTable;
import io.streamglm.engine.design.DesignBuilder;
import io.streamglm.engine.design.DesignMatrix;
import io.streamglm.engine.design.FittedDesign;
import io.streamglm.engine.design.RowBuffer;
import io.streamglm.engine.fit.GlmModel;
import io.streamglm.engine.fit.GlmResult;
import io.streamglm.engine.fit.TrainingSet;
import io.streamglm.engine.penalized.PenalizedFitting;
import io.streamglm.engine.penalized.PenalizedResult;
import io.streamglm.engine.spec.ModelSpec;
import io.streamglm.engine.spec.SpecParser;
import io.streamglm.job.refit.Refitter;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** A penalized window refit (rows in the stream's canonical order) equals {@code streamglm fit} on the same rows. */
class PenalizedRefitTest {
    private static final int N = 500;

    @Test
    void windowRefitEqualsFitOnTheSameRows() {
        Random rnd = new Random(21);
        double[] x1 = new double[N];
        double[] x2 = new double[N];
        double[] expo = new double[N];
        double[] y = new double[N];
        int[] region = new int[N];
        for (int i = 0; i < N; i++) {
            x1[i] = rnd.nextGaussian();
            x2[i] = rnd.nextDouble();
            expo[i] = 0.5 + rnd.nextDouble();
            region[i] = rnd.nextInt(3);
            double mu = expo[i] * Math.exp(0.1 + 0.4 * x1[i] - 0.3 * x2[i] + 0.2 * region[i]);
            double l = Math.exp(-mu);
            int k = 0;
            double pr = rnd.nextDouble();
            while (pr > l) {
                pr *= rnd.nextDouble();
                k++;
            }
            y[i] = k;
        }
        Map<String, double[]> numeric = new LinkedHashMap<>();
        numeric.put("y", y);
        numeric.put("x1", x1);
        numeric.put("x2", x2);
        numeric.put("expo", expo);
        DataTable table = new DataTable("window", N, numeric,
                Map.of("region", new CategoricalColumn(region, List.of("a", "b", "c"))),
                List.of("y", "x1", "x2", "expo", "region"));
        ModelSpec spec = SpecParser.parse("""
                {"response": "y", "family": "poisson", "exposure": "expo",
                 "terms": {"x1": {"type": "linear"}, "x2": {"type": "linear"},
                           "region": {"type": "categorical", "levels": ["a", "b", "c"]}},
                 "penalty": {"l1_ratio": 0.5, "path": {"n_lambda": 40},
                             "cv": {"folds": 5, "seed": 2, "select": "lambda_1se"}}}
                """, null);
        PenalizedResult fit = PenalizedFitting.fit(spec, table).result();

        FittedDesign design = DesignBuilder.fit(spec, table, new ArrayList<>());
        DesignMatrix m = TrainingSet.build(spec, GlmModel.of(spec, design), design, table, new ArrayList<>());
        Refitter refitter = new Refitter(spec, design, "test", "test");
        RowBuffer buffer = refitter.newBuffer();
        int[] dense = m.denseColumns();
        for (int i = 0; i < N; i++) {
            int count = dense.length + m.nonZeros()[i];
            long[] entries = new long[count];
            double[] values = new double[design.columns()];
            int e = 0;
            for (int a = 0; a < dense.length; a++) {
                values[dense[a]] = m.denseValues()[a * N + i];
                entries[e++] = dense[a];
            }
            for (int k = 0; k < m.nonZeros()[i]; k++) {
                int c = m.indices()[i * m.stride() + k];
                values[c] = m.values()[i * m.stride() + k];
                entries[e++] = c;
            }
            Arrays.sort(entries);
            int[] idx = new int[count];
            double[] val = new double[count];
            for (int k = 0; k < count; k++) {
                idx[k] = (int) entries[k];
                val[k] = values[idx[k]];
            }
            // seeded folds follow the rows' order: the window's canonical (event-time) order is the table's
            buffer.append(1000 + i, N - i, m.y(i), m.weight(i), m.offset(i), idx, val, count);
        }
        GlmResult refit = refitter.exact(buffer.sorted());

        double[] expected = fit.coefficients(fit.selected());
        assertThat(fit.select()).isEqualTo("lambda_1se");
        double max = Arrays.stream(expected).map(Math::abs).max().orElseThrow();
        double[] actual = refit.linearPredictorCoefficients();
        for (int j = 0; j < expected.length; j++) {
            assertThat(actual[j]).as(fit.columnNames().get(j)).isCloseTo(expected[j], within(1e-9 * max));
        }
    }
}
