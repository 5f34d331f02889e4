package io.streamglm.engine.fit;

/**
 * One row of the coefficient table; every number is null where R would print NA or the value is not finite.
 *
 * @param statistic z (fixed dispersion) or t (estimated dispersion)
 */
public record Coefficient(String name, boolean aliased, Double estimate, Double stdError, Double statistic,
                          Double pValue, Double robustSeHc0, Double robustSeHc1, Double robustSeHc2,
                          Double robustSeHc3) {
}
