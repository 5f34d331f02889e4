package io.streamglm.engine.diagnostics;

import io.streamglm.engine.data.DataTable;
import io.streamglm.engine.fit.Draws;
import io.streamglm.engine.fit.Fitting;
import io.streamglm.engine.model.ModelFile;
import io.streamglm.engine.model.Provenance;
import io.streamglm.engine.model.TableScoring;
import io.streamglm.engine.spec.ModelSpec;
import io.streamglm.engine.spec.SpecParser;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The double lift of a fit against a model file. */
class DoubleLiftTest {
    private static final String FULL = "{\"response\": \"y\", \"family\": \"poisson\", \"terms\": {"
            + "\"x\": {\"type\": \"linear\"}, \"g\": {\"type\": \"categorical\"}}}";
    private static final String WITHOUT_X = "{\"response\": \"y\", \"family\": \"poisson\", \"terms\": {"
            + "\"g\": {\"type\": \"categorical\"}}}";

    @Test
    void theRightModelStaysNearOneWhereTheModelsDisagreeMost() {
        Compared c = compare(table(20_000, 41), WITHOUT_X);
        DoubleLift lift = DoubleLift.compute("without-x.json", c.fit().matrix(), c.fitted(), c.compared(), null);
        assertThat(lift.rowsLeftOut()).isZero();
        assertThat(lift.deciles()).hasSize(10);
        for (DoubleLift.Decile dec : List.of(lift.deciles().get(0), lift.deciles().get(9))) {
            assertThat(Math.abs(dec.ratio() - 1)).as("decile %d", dec.decile()).isLessThan(0.1);
            assertThat(Math.abs(dec.ratioCompared() - 1)).as("decile %d", dec.decile()).isGreaterThan(0.2);
        }
        double actual = lift.deciles().stream().mapToDouble(DoubleLift.Decile::actual).sum();
        assertThat(lift.deciles().stream().mapToDouble(DoubleLift.Decile::expectedCompared).sum())
                .as("both fits reproduce the total").isCloseTo(actual, within(1e-6 * actual));
    }

    @Test
    void aModelAgainstItselfGivesTheSameRatios() {
        Compared c = compare(table(2_000, 42), FULL);
        double[] compared = c.compared();
        for (int i = 0; i < compared.length; i++) {
            assertThat(compared[i]).isCloseTo(c.fitted()[i], within(1e-12 * compared[i]));
        }
    }

    /** The full model's fit and fitted means, and the means of a model file of {@code comparedSpec} on the data. */
    private record Compared(Fitting.Detailed fit, double[] fitted, double[] compared) {
    }

    private static Compared compare(DataTable data, String comparedSpec) {
        Fitting.Detailed fit = Fitting.fitDetailed(SpecParser.parse(FULL, null), data, null);
        Diagnostics d = Diagnostics.compute(fit, data, 1, null);
        return new Compared(fit, d.rows().fitted(), TableScoring.means(modelFile(comparedSpec, data), data));
    }

    private static ModelFile.Model modelFile(String specJson, DataTable data) {
        ModelSpec spec = SpecParser.parse(specJson, null);
        Fitting.Output out = Fitting.fit(spec, data, null);
        String json = ModelFile.toJson(spec, out.design(), out.result(),
                new Provenance("fit", ModelFile.specSha256(spec), "test", "memory", out.rows(), "now")).toString();
        return ModelFile.read(json, "memory");
    }

    private static DataTable table(int n, long seed) {
        return Draws.poissonTable("double-lift", n, seed, 3, 0.2, 0.6, 0.2);
    }
}
