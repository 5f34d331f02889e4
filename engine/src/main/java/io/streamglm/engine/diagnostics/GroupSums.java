package io.streamglm.engine.diagnostics;

import java.util.ArrayList;
import java.util.List;

/**
 * Sums by group for actual against expected: rows, prior weight x y, prior weight x fitted mean and
 * dispersion-free variance sum w V(mu); flat arrays indexed by group.
 */
final class GroupSums {
    private static final double Z_975 = 1.959963984540054;

    final long[] rows;
    final double[] actual;
    final double[] expected;
    final double[] variance;

    GroupSums(int groups) {
        rows = new long[groups];
        actual = new double[groups];
        expected = new double[groups];
        variance = new double[groups];
    }

    void add(int group, double w, double y, double mu, double varianceOfMu) {
        rows[group]++;
        actual[group] += w * y;
        expected[group] += w * mu;
        variance[group] += w > 0 ? w * varianceOfMu : 0.0;
    }

    /** Adds a cell of rows at once: its row count and its sums. */
    void addAll(int group, long rowCount, double actualSum, double expectedSum, double varianceSum) {
        rows[group] += rowCount;
        actual[group] += actualSum;
        expected[group] += expectedSum;
        variance[group] += varianceSum;
    }

    /** These sums plus another's, group by group (rows of both). */
    GroupSums plus(GroupSums other) {
        if (other.rows.length != rows.length) {
            throw new IllegalArgumentException("sums over " + rows.length + " and " + other.rows.length
                    + " groups cannot be added");
        }
        GroupSums out = new GroupSums(rows.length);
        for (int g = 0; g < rows.length; g++) {
            out.rows[g] = rows[g] + other.rows[g];
            out.actual[g] = actual[g] + other.actual[g];
            out.expected[g] = expected[g] + other.expected[g];
            out.variance[g] = variance[g] + other.variance[g];
        }
        return out;
    }

    /**
     * The groups as levels with the ratio's interval: Var(actual) = sum w^2 Var(y) = dispersion x sum w V(mu),
     * so ratio +/- z_{0.975} sqrt(dispersion x sum w V(mu)) / expected.
     */
    List<ActualExpected.Level> levels(List<String> labels, double dispersion) {
        List<ActualExpected.Level> out = new ArrayList<>(labels.size());
        for (int g = 0; g < labels.size(); g++) {
            double ratio = actual[g] / expected[g];
            double half = Z_975 * Math.sqrt(dispersion * variance[g]) / expected[g];
            out.add(new ActualExpected.Level(labels.get(g), rows[g], actual[g], expected[g], ratio, ratio - half,
                    ratio + half));
        }
        return out;
    }
}
