package io.streamglm.engine.inference;

import org.apache.commons.statistics.distribution.NormalDistribution;
import org.apache.commons.statistics.distribution.TDistribution;

/** Two-sided p-values as {@code summary.glm}: {@code 2 * pnorm(-|z|)} or {@code 2 * pt(-|t|, df)}. */
public final class TestStatistics {
    private static final NormalDistribution STANDARD_NORMAL = NormalDistribution.of(0, 1);

    private TestStatistics() {
    }

    public static double normalTwoSided(double z) {
        return 2.0 * STANDARD_NORMAL.cumulativeProbability(-Math.abs(z));
    }

    public static double studentTwoSided(double t, double df) {
        return 2.0 * TDistribution.of(df).cumulativeProbability(-Math.abs(t));
    }
}
