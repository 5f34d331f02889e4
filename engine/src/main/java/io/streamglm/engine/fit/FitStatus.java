package io.streamglm.engine.fit;

import java.util.Locale;

/** How a fit ended. Numerical trouble is reported here and in the warnings, never by an exception from the loop. */
public enum FitStatus {
    /** Converged without trouble. */
    CONVERGED,
    /** Stopped at the iteration limit; estimates are the last iterate. */
    NOT_CONVERGED,
    /** A step had to be halved to keep the deviance finite or the means valid, and the fit ended there (R's boundary). */
    BOUNDARY,
    /** Binomial means numerically 0 or 1 (or Poisson means 0): likely complete or quasi-complete separation. */
    SEPARATION,
    /** Estimates exist but inference does not (zero residual df, zero-variance response, leverage 1). */
    DEGENERATE,
    /** No valid estimates; coefficients are null. */
    FAILED;

    public String specName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
