package io.streamglm.engine.spec;

import java.util.List;
import java.util.Map;

/**
 * The spec's {@code penalty} object: an elastic-net path as R's {@code glmnet} 4.1 fits it, and optionally
 * {@code cv.glmnet}'s cross-validation over it. Built by {@link PenaltyParser}; immutable.
 *
 * @param l1Ratio        glmnet's alpha: 1 lasso, 0 ridge
 * @param lambdas        the given lambdas in decreasing order (glmnet sorts them so), or null for glmnet's own
 *                       sequence
 * @param nLambda        the length of glmnet's own sequence
 * @param lambdaMinRatio the smallest lambda of that sequence as a fraction of lambda_max, or null for glmnet's
 *                       default (1e-2 when rows &lt; columns, else 1e-4)
 * @param standardize    scale columns by their weighted (1/n) standard deviation for the penalty
 * @param penaltyFactor  glmnet's penalty.factor by term key (a term not named has 1)
 * @param thresh         coordinate descent convergence threshold, scaled by the null deviance as glmnet does
 * @param maxPasses      glmnet's maxit: the most passes over the data for the whole path
 * @param cv             cross-validation, or null
 * @param select         which fit is the result's {@code coefficients}: {@code last}, {@code lambda_min} or
 *                       {@code lambda_1se}
 * @param groupByTerm    the group lasso: each term's columns share one penalty ({@code "group": "by_term"}), so a
 *                       term enters or leaves the model whole
 */
public record PenaltySpec(double l1Ratio, List<Double> lambdas, int nLambda, Double lambdaMinRatio,
                          boolean standardize, Map<String, Double> penaltyFactor, double thresh, int maxPasses,
                          Cv cv, String select, boolean groupByTerm) {

    /** The reference cases were made with glmnet's {@code thresh = 1e-14}. */
    public static final double DEFAULT_THRESH = 1e-14;
    public static final int DEFAULT_MAX_PASSES = 100_000;
    public static final List<String> SELECTIONS = List.of("last", "lambda_min", "lambda_1se");

    public PenaltySpec {
        lambdas = lambdas == null ? null : List.copyOf(lambdas);
        penaltyFactor = Map.copyOf(penaltyFactor);
    }

    /**
     * cv.glmnet's folds: a column of fold numbers 1..K, or {@code folds} folds drawn with {@code seed}.
     *
     * @param measure cv.glmnet's type.measure: {@code deviance} (its default; for the gaussian the same as
     *                {@code mse}), {@code mse}, {@code mae}, and for binomial models with the logit link (glmnet's
     *                lognet) also {@code class} and {@code auc}
     */
    public record Cv(String foldColumn, Integer folds, long seed, String measure) {
        public static final java.util.List<String> MEASURES = java.util.List.of("deviance", "mse", "mae", "class",
                "auc");
    }
}
