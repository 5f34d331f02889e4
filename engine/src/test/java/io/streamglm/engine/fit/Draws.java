package io.streamglm.engine.fit;

import io.streamglm.engine.data.DataTable;
import io.streamglm.engine.data.TestColumns;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.random.RandomGenerator;

/** Random draws for tests' synthetic data. */
public final class Draws {
    private Draws() {
    }

    /** A Poisson count of the given mean (Knuth's product of uniforms; fine for the small means of tests). */
    public static int poisson(RandomGenerator random, double mean) {
        double limit = Math.exp(-mean);
        double product = random.nextDouble();
        int k = 0;
        while (product > limit) {
            product *= random.nextDouble();
            k++;
        }
        return k;
    }

    /**
     * Columns x, y, g of n rows: x standard normal, g uniform over the first {@code levels} of a, b, c, ..., and
     * y Poisson at exp(b0 + bx x + bg g), drawn row by row in that order from {@code new Random(seed)}.
     */
    public static DataTable poissonTable(String source, int n, long seed, int levels, double b0, double bx,
                                         double bg) {
        Random random = new Random(seed);
        List<String> names = new ArrayList<>();
        for (int l = 0; l < levels; l++) {
            names.add(String.valueOf((char) ('a' + l)));
        }
        return TestColumns.drawn(source, n, (i, row) -> {
            double x = random.nextGaussian();
            int g = random.nextInt(levels);
            double y = poisson(random, Math.exp(b0 + bx * x + bg * g));
            row.numeric("x", x).numeric("y", y).categorical("g", g, names);
        });
    }
}
