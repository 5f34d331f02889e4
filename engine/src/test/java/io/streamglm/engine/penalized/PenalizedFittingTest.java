package io.streamglm.engine.penalized;

import io.streamglm.engine.data.DataTable;
import io.streamglm.engine.data.TestColumns;
import io.streamglm.engine.fit.Draws;
import io.streamglm.engine.spec.ModelSpec;
import io.streamglm.engine.spec.SpecException;
import io.streamglm.engine.spec.SpecParser;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * Properties of glmnet's solution that hold whatever the data: the optimality (KKT) conditions of the objective,
 * lambda_max as the first lambda with every penalized coefficient zero, and the same optimum from glmnet's
 * family-object path (glmnet.path) as from its native poisson driver.
 */
class PenalizedFittingTest {
    private static final int N = 400;

    /** A Poisson table with exposure and weights, three correlated predictors and a fold column. */
    private static DataTable table(long seed, boolean binary) {
        Random rnd = new Random(seed);
        return TestColumns.drawn("test", N, (i, row) -> {
            double x1 = rnd.nextGaussian();
            double x2 = 0.6 * x1 + rnd.nextGaussian();
            double x3 = rnd.nextDouble() * 10;
            double expo = 0.2 + rnd.nextDouble();
            double w = 1 + rnd.nextInt(3);
            double eta = -0.5 + 0.4 * x1 - 0.2 * x2 + 0.05 * x3;
            double y = binary ? (rnd.nextDouble() < 1 / (1 + Math.exp(-eta)) ? 1 : 0)
                    : Draws.poisson(rnd, Math.exp(eta) * expo * 3);
            row.numeric("y", y).numeric("x1", x1).numeric("x2", x2).numeric("x3", x3)
                    .numeric("expo", expo).numeric("w", w).numeric("fold", i % 5 + 1);
        });
    }

    private static ModelSpec spec(String family, String extra, String penalty) {
        return SpecParser.parse("{\"response\": \"y\", \"family\": \"" + family + "\", " + extra
                + "\"terms\": {\"x1\": {\"type\": \"linear\"}, \"x2\": {\"type\": \"linear\"},"
                + " \"x3\": {\"type\": \"linear\"}}, \"penalty\": " + penalty + "}", null);
    }

    /**
     * The subgradient conditions of -loglik/n + lambda * pen on the original scale: for a non-zero coefficient,
     * the gradient of the loss equals -lambda * vp * xs * (alpha * sign + (1 - alpha) * b * xs); for a zero one, it is
     * at most lambda * vp * alpha * xs in absolute value.
     */
    @Test
    void poissonPathWithExposureAndWeightsSatisfiesTheOptimalityConditions() {
        ModelSpec spec = spec("poisson", "\"exposure\": \"expo\", \"weights\": \"w\",",
                "{\"l1_ratio\": 0.7, \"path\": {\"n_lambda\": 30}, \"penalty_factor\": {\"x3\": 0.5}}");
        DataTable data = table(3, false);
        PenalizedResult r = PenalizedFitting.fit(spec, data).result();
        assertThat(r.path().df()[0]).isZero();
        assertThat(r.path().df()[1]).isPositive();
        double[] vp = {1 / (2.5 / 3), 1 / (2.5 / 3), 0.5 / (2.5 / 3)};
        double[] y = data.numeric("y");
        double[] w = data.numeric("w");
        double[] e = data.numeric("expo");
        double sw = 0;
        for (double v : w) {
            sw += v;
        }
        for (int m = 1; m < r.path().size(); m++) {
            double lambda = r.path().lambda()[m];
            double[] c = r.coefficients(m);
            String[] cols = {"x1", "x2", "x3"};
            double[] grad = new double[4];
            for (int i = 0; i < N; i++) {
                double eta = c[0] + Math.log(e[i]);
                for (int j = 0; j < 3; j++) {
                    eta += c[j + 1] * data.numeric(cols[j])[i];
                }
                double res = w[i] / sw * (y[i] - Math.exp(eta));
                grad[0] += res;
                for (int j = 0; j < 3; j++) {
                    grad[j + 1] += res * data.numeric(cols[j])[i];
                }
            }
            assertThat(grad[0]).isCloseTo(0, within(1e-9));
            for (int j = 0; j < 3; j++) {
                double mean = 0;
                double sq = 0;
                for (int i = 0; i < N; i++) {
                    double x = data.numeric(cols[j])[i];
                    mean += w[i] / sw * x;
                    sq += w[i] / sw * x * x;
                }
                double xs = Math.sqrt(sq - mean * mean);
                double bStd = c[j + 1] * xs;
                if (c[j + 1] != 0) {
                    double expected = lambda * vp[j] * (0.7 * Math.signum(bStd) + 0.3 * bStd);
                    assertThat(grad[j + 1] / xs).as("fit %d column %s", m, cols[j])
                            .isCloseTo(expected, within(1e-6 * Math.max(1, Math.abs(expected))));
                } else {
                    assertThat(Math.abs(grad[j + 1] / xs)).isLessThanOrEqualTo(lambda * vp[j] * 0.7 * (1 + 1e-9));
                }
            }
        }
    }

    @Test
    void familyObjectPathFindsTheNativeOptimum() {
        String penalty = "{\"l1_ratio\": 0.5, \"lambda\": [0.2, 0.05, 0.01, 0.001]}";
        DataTable data = table(5, false);
        PenalizedResult nat = PenalizedFitting.fit(spec("poisson", "\"exposure\": \"expo\",", penalty), data).result();
        PenalizedResult flex = PenalizedFitting.fit(spec("quasipoisson", "\"exposure\": \"expo\",", penalty), data)
                .result();
        for (int m = 0; m < 4; m++) {
            double[] a = nat.coefficients(m);
            double[] b = flex.coefficients(m);
            for (int j = 0; j < a.length; j++) {
                assertThat(b[j]).as("fit %d column %d", m, j).isCloseTo(a[j], within(1e-5));
            }
            assertThat(flex.path().devRatio()[m]).isCloseTo(nat.path().devRatio()[m], within(1e-8));
            assertThat(flex.path().df()[m]).isEqualTo(nat.path().df()[m]);
        }
    }

    @Test
    void familyObjectPathHasGlmnetsLambdaSequence() {
        DataTable data = table(9, false);
        for (String factors : List.of("", ", \"penalty_factor\": {\"x3\": 0}")) {
            String penalty = "{\"l1_ratio\": 1, \"path\": {\"n_lambda\": 20}" + factors + "}";
            PathFit nat = PenalizedFitting.fit(spec("poisson", "\"exposure\": \"expo\",", penalty), data).result()
                    .path();
            PathFit flex = PenalizedFitting.fit(spec("quasipoisson", "\"exposure\": \"expo\",", penalty), data)
                    .result().path();
            assertThat(flex.df()[0]).isEqualTo(factors.isEmpty() ? 0 : 1);
            for (int m = 0; m < Math.min(nat.size(), flex.size()); m++) {
                assertThat(flex.lambda()[m]).as("%s lambda %d", factors, m)
                        .isCloseTo(nat.lambda()[m], within(1e-9 * nat.lambda()[m]));
            }
        }
    }

    @Test
    void crossValidationSelectsWithinThePath() {
        PenalizedResult r = PenalizedFitting.fit(spec("binomial", "",
                "{\"l1_ratio\": 1, \"cv\": {\"fold_column\": \"fold\", \"select\": \"lambda_1se\"}}"), table(7, true))
                .result();
        CvResult cv = r.cv();
        assertThat(cv.folds()).isEqualTo(5);
        assertThat(cv.cvm()).hasSize(r.path().size());
        assertThat(cv.lambda1se()).isGreaterThanOrEqualTo(cv.lambdaMin());
        assertThat(r.selectedLambda()).isEqualTo(cv.lambda1se());
        assertThat(cv.cvm()[cv.indexMin()]).isLessThanOrEqualTo(cv.cvm()[0]);
    }

    @Test
    void classAndAucAreForLogisticModelsAndTheAucNeedsTenRowsPerFold() {
        ModelSpec poisson = spec("poisson", "", "{\"cv\": {\"fold_column\": \"fold\", \"measure\": \"auc\"}}");
        assertThatThrownBy(() -> PenalizedFitting.fit(poisson, table(2, false))).isInstanceOf(SpecException.class)
                .satisfies(e -> assertThat(((SpecException) e).problems()).singleElement().satisfies(p -> {
                    assertThat(p.field()).isEqualTo("penalty.cv.measure");
                    assertThat(p.toString()).contains("logit link only", "use deviance, mse or mae");
                }));
        PenalizedResult auc = PenalizedFitting.fit(spec("binomial", "",
                "{\"cv\": {\"fold_column\": \"fold\", \"measure\": \"auc\", \"select\": \"lambda_min\"}}"),
                table(7, true)).result();
        assertThat(auc.cv().measure()).isEqualTo("auc");
        // larger is better: lambda_min has the largest AUC, within (0.5, 1] on data with signal
        double best = java.util.Arrays.stream(auc.cv().cvm()).max().orElseThrow();
        assertThat(auc.cv().cvm()[auc.cv().indexMin()]).isEqualTo(best);
        assertThat(best).isBetween(0.5, 1.0);
        assertThat(PenalizedJson.toJson(auc).get("penalized").get("cv").get("measure").asText()).isEqualTo("auc");
    }

    @Test
    void concordanceIsTheWeightedShareOfOrderedPairsTiesHalf() {
        // negatives at scores 1 (weight 2) and 3; positives at 2 and 3 (weight 0.5): pairs (n, p) weighted by
        // the product: (1, 2) 2, (1, 3) 1, (3, 2) 0 of 1, (3, 3) a tie of 0.5 -> (2 + 1 + 0.25) / 4.5
        double c = CrossValidation.concordance(new double[]{1, 3, 2, 3}, new double[]{2, 1, 0, 0},
                new double[]{0, 0, 1, 0.5});
        assertThat(c).isCloseTo(3.25 / 4.5, within(1e-15));
        assertThat(CrossValidation.concordance(new double[]{1, 2}, new double[]{1, 1}, new double[]{0, 0})).isNaN();
    }

    @Test
    void maxPassesCutsThePathShortAsGlmnetsMaxit() {
        PenalizedResult r = PenalizedFitting.fit(spec("poisson", "", "{\"max_passes\": 20}"), table(2, false))
                .result();
        assertThat(r.path().size()).isBetween(1, 99);
        assertThat(r.status()).isEqualTo(io.streamglm.engine.fit.FitStatus.NOT_CONVERGED);
        assertThat(r.warnings()).singleElement().asString().contains("maxit");
        assertThat(PenalizedJson.toJson(r).get("status").asText()).isEqualTo("not_converged");
    }

    @Test
    void aFoldColumnWithOneFoldIsOneErrorNamingTheField() {
        DataTable data = table(1, false);
        java.util.Arrays.fill(data.numeric("fold"), 1.0);
        ModelSpec spec = spec("poisson", "", "{\"cv\": {\"fold_column\": \"fold\"}}");
        assertThatThrownBy(() -> PenalizedFitting.fit(spec, data)).isInstanceOf(SpecException.class)
                .satisfies(e -> assertThat(((SpecException) e).problems()).singleElement()
                        .satisfies(p -> {
                            assertThat(p.field()).isEqualTo("penalty.cv.fold_column");
                            assertThat(p.toString()).contains("one fold", "at least 3 folds");
                        }));
    }
}
