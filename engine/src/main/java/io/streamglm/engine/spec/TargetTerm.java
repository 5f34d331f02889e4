package io.streamglm.engine.spec;

/**
 * A high-cardinality categorical column replaced by an ordered target statistic: each training row is encoded with
 * the mean response of the rows of its level that come before it in a seeded random order, blended with the
 * global mean by {@code priorWeight} pseudo-rows, so no row sees its own response. Scoring uses the statistic of
 * all training rows; levels never seen get the global mean.
 */
public record TargetTerm(String column, double priorWeight, long seed) implements TermSpec {
    @Override public String type() {
        return "target_encoding";
    }
}
