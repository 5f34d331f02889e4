package io.streamglm.engine.diagnostics;

import io.streamglm.engine.data.DataTable;
import io.streamglm.engine.fit.Draws;
import io.streamglm.engine.fit.Fitting;
import io.streamglm.engine.spec.SpecParser;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Measures of a fit on rows it did not see. */
class HoldoutTest {
    private static final String SPEC = "{\"response\": \"y\", \"family\": \"poisson\", \"terms\": {"
            + "\"x\": {\"type\": \"linear\"}, \"g\": {\"type\": \"categorical\"}}}";

    @Test
    void theRandomSplitIsSeeded() {
        boolean[] a = Holdout.random(10_000, 0.2, 5);
        assertThat(Holdout.random(10_000, 0.2, 5)).isEqualTo(a);
        assertThat(Holdout.random(10_000, 0.2, 6)).isNotEqualTo(a);
        assertThat(Holdout.rowsWhere(a, true).length).isBetween(1800, 2200);
        assertThat(Holdout.rowsWhere(a, true).length + Holdout.rowsWhere(a, false).length).isEqualTo(10_000);
    }

    @Test
    void theTrainingRowsAsTestRowsGiveTheFitsOwnMeasures() {
        DataTable data = table(3_000, 31, 3);
        Fitting.Detailed fit = Fitting.fitDetailed(SpecParser.parse(SPEC, null), data, null);
        Diagnostics d = Diagnostics.compute(fit, data, 1, null);
        int[] all = Holdout.rowsWhere(new boolean[data.rows()], false);
        Holdout h = Holdout.compute(fit, data, all, 1, null);
        assertThat(h.leftOut()).isZero();
        assertThat(h.deviance()).isCloseTo(fit.output().result().deviance(), within(1e-9 * h.deviance()));
        assertThat(h.rows().fitted()).containsExactly(d.rows().fitted());
        assertThat(java.util.Arrays.stream(h.rows().hat()).allMatch(Double::isNaN)).isTrue();
        assertThat(h.actualExpected()).isEqualTo(d.actualExpected());
        assertThat(h.lift().gini()).isEqualTo(d.lift().gini());
    }

    @Test
    void testRowsWithALevelTheTrainingRowsLackAreLeftOut() {
        DataTable data = table(2_000, 32, 4);
        int[] codes = data.categorical("g").codes();
        boolean[] test = new boolean[data.rows()];
        long levelD = 0;
        for (int i = 0; i < test.length; i++) {
            test[i] = codes[i] == 3 || i % 5 == 0; // every row of level d is a test row
            levelD += codes[i] == 3 ? 1 : 0;
        }
        DataTable train = data.subset(Holdout.rowsWhere(test, false));
        Fitting.Detailed fit = Fitting.fitDetailed(SpecParser.parse(SPEC, null), train, null);
        int[] testRows = Holdout.rowsWhere(test, true);
        Holdout h = Holdout.compute(fit, data, testRows, 1, null);
        assertThat(h.leftOut()).isEqualTo(levelD);
        assertThat(h.testRows()).hasSize((int) (testRows.length - levelD));
        assertThat(h.actualExpected().terms().get("g")).extracting(ActualExpected.Level::level)
                .containsExactly("a", "b", "c");
        double actual = h.actualExpected().terms().get("g").stream().mapToDouble(ActualExpected.Level::actual).sum();
        double y = 0;
        for (int row : h.testRows()) {
            y += data.numeric("y")[row];
        }
        assertThat(actual).isEqualTo(y);
    }

    private static DataTable table(int n, long seed, int levels) {
        return Draws.poissonTable("holdout", n, seed, levels, 0.1, 0.4, 0.3);
    }
}
