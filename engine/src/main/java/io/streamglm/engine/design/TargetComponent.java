package io.streamglm.engine.design;

import java.util.List;
import java.util.Map;

/**
 * A categorical column replaced by a target statistic. Frozen with the training data's per-level response sums
 * and counts: scoring gives {@code (sum + priorWeight * prior) / (count + priorWeight)}, and the global mean
 * {@code prior} for a level never seen. Training rows are encoded with ordered statistics instead (see
 * {@code DesignMatrix}). Column {@code TE(name)}.
 *
 * @param sums   per level: sum of responses
 * @param counts per level: number of rows
 */
public record TargetComponent(String name, String column, double priorWeight, long seed, double prior,
                              Map<String, Double> sums, Map<String, Double> counts) implements DesignComponent {

    public TargetComponent {
        sums = Map.copyOf(sums);
        counts = Map.copyOf(counts);
    }

    /** The full-data statistic of a level (the prior for a level never seen). */
    public double value(String level) {
        Double s = sums.get(level);
        if (s == null) {
            return prior;
        }
        return (s + priorWeight * prior) / (counts.get(level) + priorWeight);
    }

    @Override public int width() {
        return 1;
    }

    @Override public List<String> labels() {
        return List.of("TE(" + name + ")");
    }
}
