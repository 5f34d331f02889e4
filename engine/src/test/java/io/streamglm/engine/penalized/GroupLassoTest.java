package io.streamglm.engine.penalized;

import io.streamglm.engine.data.DataTable;
import io.streamglm.engine.data.TestColumns;
import io.streamglm.engine.fit.Draws;
import io.streamglm.engine.spec.SpecParser;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The group lasso ({@code "group": "by_term"}): whole terms in or out, and the lasso when every term is one column. */
class GroupLassoTest {
    private static final int N = 300;

    private static DataTable table() {
        Random rnd = new Random(11);
        double[] effect = {0, 0.5, -0.3, 0.1, 0.8};
        return TestColumns.drawn("test", N, (i, row) -> {
            double x1 = rnd.nextGaussian();
            double x2 = rnd.nextGaussian() + 0.3 * x1;
            int region = rnd.nextInt(5);
            double y = Draws.poisson(rnd, Math.exp(0.2 + 0.3 * x1 + 0.05 * x2 + effect[region]));
            row.numeric("y", y).numeric("x1", x1).numeric("x2", x2)
                    .categorical("region", region, List.of("a", "b", "c", "d", "e"));
        });
    }

    private static PenalizedResult fit(String family, boolean withRegion, String group) {
        String terms = "\"x1\": {\"type\": \"linear\"}, \"x2\": {\"type\": \"linear\"}"
                + (withRegion ? ", \"region\": {\"type\": \"categorical\"}" : "");
        return PenalizedFitting.fit(SpecParser.parse("{\"response\": \"y\", \"family\": \"" + family
                + "\", \"terms\": {" + terms + "}, \"penalty\": {\"l1_ratio\": 1, \"path\": {\"n_lambda\": 30}"
                + group + "}}", null), table()).result();
    }

    @Test
    void singleColumnGroupsAreTheLasso() {
        for (String family : List.of("poisson", "gaussian")) {
            PenalizedResult lasso = fit(family, false, "");
            PenalizedResult grouped = fit(family, false, ", \"group\": \"by_term\"");
            assertThat(grouped.path().size()).isEqualTo(lasso.path().size());
            for (int m = 0; m < lasso.path().size(); m++) {
                assertThat(grouped.path().lambda()[m]).isCloseTo(lasso.path().lambda()[m],
                        within(1e-9 * lasso.path().lambda()[m]));
                double[] a = lasso.coefficients(m);
                double[] b = grouped.coefficients(m);
                for (int j = 0; j < a.length; j++) {
                    assertThat(b[j]).as("%s fit %d column %d", family, m, j).isCloseTo(a[j], within(1e-6));
                }
            }
        }
    }

    @Test
    void aCategoricalEntersWhole() {
        PenalizedResult r = fit("poisson", true, ", \"group\": \"by_term\"");
        int first = r.columnNames().indexOf("region[T.b]");
        boolean sawIn = false;
        for (int m = 0; m < r.path().size(); m++) {
            double[] c = r.coefficients(m);
            int nonZero = 0;
            for (int j = first; j < first + 4; j++) {
                nonZero += c[j] != 0 ? 1 : 0;
            }
            assertThat(nonZero).as("fit %d", m).isIn(0, 4);
            sawIn |= nonZero == 4;
        }
        assertThat(sawIn).isTrue();
        assertThat(r.path().df()[0]).isZero();
    }
}
