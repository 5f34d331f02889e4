package io.streamglm.engine.design;

import io.streamglm.engine.data.DataTable;
import io.streamglm.engine.fit.Fitting;
import io.streamglm.engine.fit.GlmResult;
import io.streamglm.engine.model.ModelFile;
import io.streamglm.engine.model.Provenance;
import io.streamglm.engine.spec.ModelSpec;
import io.streamglm.engine.spec.SpecParser;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** For random records, the frozen design gives identical rows before and after a round trip through the model file. */
class FrozenDesignRoundTripTest {
    @RepeatedTest(5)
    void rowsSurviveTheModelFile(RepetitionInfo info) {
        long seed = info.getCurrentRepetition();
        DataTable train = TestTables.random(seed, 600, TestTables.zips(25));
        ModelSpec spec = SpecParser.parse(TestTables.EVERY_COMPONENT_SPEC, null);
        Fitting.Output fit = Fitting.fit(spec, train, null);
        GlmResult result = fit.result();
        String json = ModelFile.toJson(spec, fit.design(), result,
                new Provenance("fit", ModelFile.specSha256(spec), "test", "memory", train.rows(), "now")).toString();
        ModelFile.Model model = ModelFile.read(json, "model.json");
        assertThat(model.design().columnNames()).isEqualTo(fit.design().columnNames());

        // Records the fit never saw, including points beyond the spline boundaries and an unseen zip.
        List<String> zips = new ArrayList<>(TestTables.zips(25));
        zips.add("zNEW");
        DataTable records = TestTables.random(seed + 100, 300, zips);
        double[] x1 = records.numeric("x1");
        for (int i = 0; i < 10; i++) {
            x1[i] = 3 + i; // beyond the training range [-2, 2]
        }
        TableEncoder before = new TableEncoder(fit.design(), records);
        TableEncoder after = new TableEncoder(model.design(), records);
        int width = fit.design().maxNonZeros();
        int[] i1 = new int[width];
        double[] v1 = new double[width];
        int[] i2 = new int[width];
        double[] v2 = new double[width];
        for (int r = 0; r < records.rows(); r++) {
            int k1 = before.encode(r, i1, v1);
            int k2 = after.encode(r, i2, v2);
            assertThat(k2).as("row %d", r).isEqualTo(k1);
            for (int k = 0; k < k1; k++) {
                assertThat(i2[k]).isEqualTo(i1[k]);
                assertThat(v2[k]).as("row %d entry %d", r, k).isEqualTo(v1[k]);
            }
        }
    }
}
