package io.streamglm.engine.design;

import io.streamglm.engine.data.DataTable;
import io.streamglm.engine.spec.ModelSpec;
import io.streamglm.engine.spec.SpecParser;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class TargetEncodingTest {
    private static final String SPEC = """
            {"response": "y", "family": "poisson",
             "terms": {"zip": {"type": "target_encoding", "prior_weight": 3, "seed": %d}}}
            """;

    private static double[] trainingColumn(DataTable data, long seed) {
        ModelSpec spec = SpecParser.parse(SPEC.formatted(seed), null);
        FittedDesign design = DesignBuilder.fit(spec, data, new ArrayList<>());
        DesignMatrix m = DesignMatrix.encode(design, data, data.numeric("y"), null, null);
        double[] col = new double[data.rows()];
        System.arraycopy(m.denseValues(), data.rows(), col, 0, data.rows()); // dense column 1 after the intercept
        return col;
    }

    @Test
    void noRowSeesItsOwnTarget() {
        DataTable data = TestTables.random(1, 400, TestTables.zips(30));
        ModelSpec spec = SpecParser.parse(SPEC.formatted(11), null);
        TargetComponent t = (TargetComponent) DesignBuilder.fit(spec, data, new ArrayList<>()).terms().get(0)
                .components().get(0);
        // Training rows get the ordered statistics (not the full-data ones) ...
        double[] y = data.numeric("y").clone();
        assertThat(trainingColumn(data, 11))
                .containsExactly(TableEncoder.orderedTargetStatistics(t, data.categorical("zip"), y));
        // ... and a row's own response never enters its encoding: change it and the encoding stays.
        double[] before = TableEncoder.orderedTargetStatistics(t, data.categorical("zip"), y);
        for (int i = 0; i < y.length; i++) {
            double old = y[i];
            y[i] = old + 1000;
            double[] after = TableEncoder.orderedTargetStatistics(t, data.categorical("zip"), y);
            assertThat(after[i]).as("row %d", i).isEqualTo(before[i]);
            y[i] = old;
        }
    }

    @Test
    void theSeedMakesItReproducible() {
        DataTable data = TestTables.random(2, 300, TestTables.zips(20));
        assertThat(trainingColumn(data, 5)).containsExactly(trainingColumn(data, 5));
        assertThat(trainingColumn(data, 5)).isNotEqualTo(trainingColumn(data, 6));
    }

    @Test
    void scoringUsesTheFullDataStatisticsAndThePriorForUnseenLevels() {
        DataTable train = TestTables.random(3, 500, TestTables.zips(10));
        ModelSpec spec = SpecParser.parse(SPEC.formatted(1), null);
        FittedDesign design = DesignBuilder.fit(spec, train, new ArrayList<>());
        double[] y = train.numeric("y");
        int[] codes = train.categorical("zip").codes();
        double mean = Arrays.stream(y).average().orElseThrow();
        List<String> scoringLevels = new ArrayList<>(TestTables.zips(10));
        scoringLevels.add("never-seen");
        DataTable score = TestTables.random(4, 50, scoringLevels);
        TableEncoder encoder = new TableEncoder(design, score);
        int[] idx = new int[4];
        double[] val = new double[4];
        for (int i = 0; i < score.rows(); i++) {
            encoder.encode(i, idx, val);
            String level = score.categorical("zip").value(i);
            double expected = mean;
            if (!level.equals("never-seen")) {
                double s = 0;
                int c = 0;
                for (int j = 0; j < y.length; j++) {
                    if (train.categorical("zip").value(j).equals(level)) {
                        s += y[j];
                        c++;
                    }
                }
                expected = (s + 3 * mean) / (c + 3);
            }
            assertThat(val[1]).as("row %d level %s", i, level).isCloseTo(expected, within(1e-12));
        }
        assertThat(codes).isNotEmpty();
    }
}
