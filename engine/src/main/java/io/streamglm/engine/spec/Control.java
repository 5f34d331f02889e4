package io.streamglm.engine.spec;

/**
 * IRLS control as R's {@code glm.control}.
 *
 * @param epsilon       convergence when |dev - dev_old| / (|dev| + 0.1) < epsilon
 * @param maxIterations the most IRLS iterations (and, for negbinomial, theta alternations)
 */
public record Control(double epsilon, int maxIterations) {
    public static final Control R_DEFAULT = new Control(1e-8, 25);

    public Control {
        if (!(epsilon > 0) || !Double.isFinite(epsilon)) {
            throw new IllegalArgumentException("control.epsilon must be > 0, got " + epsilon);
        }
        if (maxIterations < 1) {
            throw new IllegalArgumentException("control.max_iterations must be >= 1, got " + maxIterations);
        }
    }

    /** R's tolerance for detecting aliased columns: {@code min(1e-7, epsilon / 1000)}. */
    public double rankTolerance() {
        return Math.min(1e-7, epsilon / 1000);
    }
}
