package io.streamglm.engine.penalized;

/**
 * cv.glmnet's summary over the full data's lambdas.
 *
 * @param measure    the loss ({@code deviance}, {@code mse}, {@code mae}, {@code class} or {@code auc}): the
 *                   one asked for, or {@code deviance} where glmnet falls back to it (auc with fewer than 10 rows
 *                   per fold)
 * @param cvm        mean cross-validated loss per lambda (fold means weighted by the folds' weight sums)
 * @param cvsd       its standard error
 * @param lambdaMin  the largest lambda with the smallest cvm (the largest cvm for auc)
 * @param lambda1se  the largest lambda whose cvm is within one standard error of that minimum
 */
public record CvResult(String measure, double[] lambda, double[] cvm, double[] cvsd, double lambdaMin, double lambda1se,
                       int indexMin, int index1se, int folds) {
}
