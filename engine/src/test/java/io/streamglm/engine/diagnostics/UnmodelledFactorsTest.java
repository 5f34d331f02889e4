package io.streamglm.engine.diagnostics;

import io.streamglm.engine.data.DataTable;
import io.streamglm.engine.data.TestColumns;
import io.streamglm.engine.fit.Draws;
import io.streamglm.engine.fit.Fitting;
import io.streamglm.engine.fit.GlmResult;
import io.streamglm.engine.spec.SpecParser;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The score test of a column left out of the model, against refits that include it. */
class UnmodelledFactorsTest {
    private static final String BASE = "\"x\": {\"type\": \"linear\"}, \"g\": {\"type\": \"categorical\"}";
    private static final String WITH_H = BASE + ", \"h\": {\"type\": \"categorical\"}";

    @Test
    void gaussianScoreIsTheDevianceDropOverTheBaseDispersion() {
        DataTable data = table(500, 21);
        Diagnostics d = diagnose("gaussian", BASE, data, List.of("h", "g2"));
        GlmResult base = fit("gaussian", BASE, data);
        GlmResult full = fit("gaussian", WITH_H, data);
        UnmodelledFactors.Column h = d.unmodelled().columns().get("h");
        // Constant working weights: the score statistic is the regression sum of squares of the added columns.
        assertThat(h.df()).isEqualTo(3);
        assertThat(h.statistic()).isCloseTo((base.deviance() - full.deviance()) / base.dispersion(), within(1e-8));
        assertThat(h.levels()).extracting(ActualExpected.Level::level).containsExactly("p", "q", "r", "s");

        UnmodelledFactors.Column g2 = d.unmodelled().columns().get("g2");
        assertThat(g2.df()).as("a copy of the modelled g adds nothing").isZero();
        assertThat(g2.statistic()).isNull();
    }

    @Test
    void aNumericColumnIsTestedLinearlyAndBanded() {
        DataTable data = table(500, 23);
        String base = "\"g\": {\"type\": \"categorical\"}";
        String withX = base + ", \"x\": {\"type\": \"linear\"}";
        Diagnostics d = diagnose("gaussian", base, data, List.of(), List.of("x"));
        GlmResult without = fit("gaussian", base, data);
        GlmResult with = fit("gaussian", withX, data);
        UnmodelledFactors.Column x = d.unmodelled().columns().get("x");
        assertThat(x.numeric()).isTrue();
        assertThat(x.df()).isEqualTo(1);
        assertThat(x.statistic()).isCloseTo((without.deviance() - with.deviance()) / without.dispersion(),
                within(1e-8));
        assertThat(x.levels()).hasSize(10);
        assertThat(x.levels().stream().mapToLong(ActualExpected.Level::rows).sum()).isEqualTo(500);
    }

    @Test
    void poissonScoreIsCloseToTheLikelihoodRatio() {
        DataTable data = table(20_000, 22);
        Diagnostics d = diagnose("poisson", BASE, data, List.of("h"));
        double lrt = fit("poisson", BASE, data).deviance() - fit("poisson", WITH_H, data).deviance();
        UnmodelledFactors.Column h = d.unmodelled().columns().get("h");
        assertThat(lrt).as("h has an effect").isGreaterThan(20);
        assertThat(h.statistic()).isCloseTo(lrt, within(0.05 * lrt));
        assertThat(h.pValue()).isLessThan(1e-4);
    }

    private static Diagnostics diagnose(String family, String terms, DataTable data, List<String> unmodelled) {
        return diagnose(family, terms, data, unmodelled, List.of());
    }

    private static Diagnostics diagnose(String family, String terms, DataTable data, List<String> unmodelled,
                                        List<String> numeric) {
        return Diagnostics.compute(Fitting.fitDetailed(SpecParser.parse(spec(family, terms), null), data, null), data,
                unmodelled, numeric, 1, null);
    }

    private static GlmResult fit(String family, String terms, DataTable data) {
        return Fitting.fit(SpecParser.parse(spec(family, terms), null), data, null).result();
    }

    private static String spec(String family, String terms) {
        return "{\"response\": \"y\", \"family\": \"" + family + "\", \"terms\": {" + terms + "}}";
    }

    /** y Poisson at exp(0.2 + 0.3 x + 0.2 g + 0.15 h); g2 repeats g under other names. */
    private static DataTable table(int n, long seed) {
        Random random = new Random(seed);
        return TestColumns.drawn("unmodelled", n, (i, row) -> {
            double x = random.nextGaussian();
            int g = random.nextInt(3);
            int h = random.nextInt(4);
            double y = Draws.poisson(random, Math.exp(0.2 + 0.3 * x + 0.2 * g + 0.15 * h));
            row.numeric("x", x).numeric("y", y).categorical("g", g, List.of("a", "b", "c"))
                    .categorical("g2", g, List.of("z", "y", "x")).categorical("h", h, List.of("s", "q", "p", "r"));
        });
    }
}
