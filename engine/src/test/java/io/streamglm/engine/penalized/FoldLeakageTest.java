package io.streamglm.engine.penalized;

import io.streamglm.engine.data.DataTable;
import io.streamglm.engine.data.TestColumns;
import io.streamglm.engine.design.DesignBuilder;
import io.streamglm.engine.design.DesignMatrix;
import io.streamglm.engine.design.FittedDesign;
import io.streamglm.engine.fit.GlmModel;
import io.streamglm.engine.fit.TrainingSet;
import io.streamglm.engine.spec.ModelSpec;
import io.streamglm.engine.spec.SpecParser;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Folds are cut before target encodings are learned: a fold's training problem and its held-out predictions do not
 * change when the held-out rows' responses do.
 */
class FoldLeakageTest {
    private static final int N = 200;
    private static final ModelSpec SPEC = SpecParser.parse("""
            {"response": "y", "family": "gaussian",
             "terms": {"x": {"type": "linear"}, "zip": {"type": "target_encoding", "prior_weight": 5, "seed": 3}},
             "penalty": {"l1_ratio": 1, "cv": {"fold_column": "fold"}}}
            """, null);

    private static DataTable table(double heldOutShift) {
        Random rnd = new Random(8);
        List<String> levels = new ArrayList<>();
        for (int k = 0; k < 40; k++) {
            levels.add("z" + k);
        }
        return TestColumns.drawn("t", N, (i, row) -> {
            double x = rnd.nextGaussian();
            int zip = rnd.nextInt(40);
            double fold = i % 4 + 1;
            double y = x + rnd.nextGaussian() + (fold == 1 ? heldOutShift * (zip % 3) : 0);
            row.numeric("y", y).numeric("x", x).numeric("fold", fold).categorical("zip", zip, levels);
        });
    }

    private static CrossValidation.Fold firstFold(DataTable data, boolean relearn) {
        FittedDesign design = DesignBuilder.fit(SPEC, data, new ArrayList<>());
        GlmModel model = GlmModel.of(SPEC, design);
        DesignMatrix m = TrainingSet.build(SPEC, model, design, data, new ArrayList<>());
        int[] train = new int[N * 3 / 4];
        int[] held = new int[N / 4];
        for (int i = 0, t = 0, h = 0; i < N; i++) {
            if (i % 4 == 0) {
                held[h++] = i;
            } else {
                train[t++] = i;
            }
        }
        CrossValidation.FoldData folds = relearn ? PenalizedFitting.relearned(SPEC, design, model, data, m, true)
                : CrossValidation.shared(m, true, true);
        return folds.open(train, held);
    }

    private static double[] trainingColumn(CrossValidation.Fold fold) {
        GlmnetProblem p = fold.training();
        double[] out = new double[p.n];
        double[] unit = new double[p.n];
        for (int i = 0; i < p.n; i++) {
            java.util.Arrays.fill(unit, 0);
            unit[i] = 1;
            out[i] = p.rawDot(1, unit); // the encoded zip column of training row i
        }
        return out;
    }

    @Test
    void heldOutResponsesReachNeitherTheTrainingFoldNorItsPredictions() {
        DataTable a = table(0);
        DataTable b = table(5);
        CrossValidation.Fold fa = firstFold(a, true);
        CrossValidation.Fold fb = firstFold(b, true);
        assertThat(trainingColumn(fb)).containsExactly(trainingColumn(fa));
        double[] coef = {0.1, 0.5, 0.8};
        for (int h = 0; h < N / 4; h++) {
            assertThat(fb.eta(h, coef)).isEqualTo(fa.eta(h, coef));
        }
        // Cut from one matrix encoded on all rows, the training fold would see them.
        assertThat(trainingColumn(firstFold(b, false))).isNotEqualTo(trainingColumn(firstFold(a, false)));
    }

    @Test
    void aCrossValidatedPathWithTargetEncodingRuns() {
        PenalizedResult r = PenalizedFitting.fit(SPEC, table(0)).result();
        assertThat(r.cv().cvm()).hasSize(r.path().size());
        assertThat(java.util.Arrays.stream(r.cv().cvm()).allMatch(Double::isFinite)).isTrue();
        assertThat(r.columnNames()).containsExactly("Intercept", "x", "TE(zip)");
    }
}
