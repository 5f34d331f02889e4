package io.streamglm.engine.penalized;

/**
 * cv.glmnet's summary over the full data's lambdas.
 *
 * @param cvm        mean cross-validated deviance per lambda (fold means weighted by the folds' weight sums)
 * @param cvsd       its standard error
 * @param lambdaMin  the largest lambda with the smallest cvm
 * @param lambda1se  the largest lambda whose cvm is within one standard error of that minimum
 */
public record CvResult(double[] lambda, double[] cvm, double[] cvsd, double lambdaMin, double lambda1se,
                       int indexMin, int index1se, int folds) {
}
