package io.streamglm.engine.accumulate;

/**
 * Where a pass takes each row's linear predictor eta from, mirroring {@code glm.fit}'s three ways to start.
 *
 * @param kind  {@link Kind}
 * @param beta  coefficients over the full design (FITTED, COEFFICIENTS), or over the pass's own design
 *              (COEFFICIENTS of an intercept-only pass); null for MUSTART
 */
public record Point(Kind kind, double[] beta) {

    public enum Kind {
        /** eta = g(mustart) from the family's {@code initialize}. */
        MUSTART,
        /** eta = g(g^-1(x'beta + offset)): R's {@code etastart = g(mu)} or {@code mustart = fitted values}. */
        FITTED,
        /** eta = x'beta + offset. */
        COEFFICIENTS
    }

    public static final Point MU_START = new Point(Kind.MUSTART, null);

    public static Point fitted(double[] beta) {
        return new Point(Kind.FITTED, beta.clone());
    }

    public static Point coefficients(double[] beta) {
        return new Point(Kind.COEFFICIENTS, beta.clone());
    }
}
