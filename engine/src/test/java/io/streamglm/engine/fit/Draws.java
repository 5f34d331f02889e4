package io.streamglm.engine.fit;

import java.util.Random;

/** Random draws for tests' synthetic data. */
public final class Draws {
    private Draws() {
    }

    /** A Poisson count of the given mean (Knuth's product of uniforms; fine for the small means of tests). */
    public static int poisson(Random random, double mean) {
        double limit = Math.exp(-mean);
        double product = random.nextDouble();
        int k = 0;
        while (product > limit) {
            product *= random.nextDouble();
            k++;
        }
        return k;
    }
}
