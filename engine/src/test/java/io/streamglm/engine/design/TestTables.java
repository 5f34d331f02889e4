package io.streamglm.engine.design;

import io.streamglm.engine.data.DataTable;
import io.streamglm.engine.data.TestColumns;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Random tables for design tests: numeric x1, x2 (positive), y; categoricals g (4 levels) and zip (30 levels). */
final class TestTables {
    /**
     * A spec over these tables with every kind of component, alone and in interactions: linear (x), B-spline,
     * natural spline, expression, categorical, target and frequency encodings.
     */
    static final String EVERY_COMPONENT_SPEC = """
            {"response": "y", "family": "poisson",
             "terms": {"x1": {"type": "bs", "df": 5},
                       "x2": {"type": "ns", "df": 3},
                       "x": {"type": "linear", "column": "x1"},
                       "ratio": {"type": "expression", "expr": "log(x2) * (x1 > 0) + x1 ** 2"},
                       "g": {"type": "categorical", "base": "c", "unseen": "base"},
                       "zip": {"type": "target_encoding", "prior_weight": 2},
                       "zipf": {"type": "frequency_encoding", "column": "zip"}},
             "interactions": [{"x1": {}, "g": {}, "include_main": false},
                              {"x": {}, "g": {}, "include_main": false},
                              {"x2": {}, "g": {}, "ratio": {}, "include_main": false}]}
            """;

    private TestTables() {
    }

    static DataTable random(long seed, int n, List<String> zipLevels) {
        SplittableRandom r = new SplittableRandom(seed);
        return TestColumns.drawn("test", n, (i, row) -> {
            double x1 = r.nextDouble(-2, 2);
            double x2 = r.nextDouble(0.1, 10);
            int g = r.nextInt(4);
            int zip = r.nextInt(zipLevels.size());
            row.numeric("x1", x1).numeric("x2", x2).numeric("y", r.nextInt(5))
                    .categorical("g", g, List.of("a", "b", "c", "d")).categorical("zip", zip, zipLevels);
        });
    }

    static List<String> zips(int k) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < k; i++) {
            out.add(String.format("z%03d", i));
        }
        return out;
    }
}
