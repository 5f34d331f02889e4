package io.streamglm.engine.fit;

import java.util.List;

/**
 * Everything a fit reports, with R's names in mind: {@code summary.glm}'s table, deviances and degrees of
 * freedom, dispersion, AIC and log-likelihood (null where R gives NA), Pearson's chi-square, sandwich standard
 * errors, and the fit's status and warnings.
 *
 * @param rows               rows used (zero-weight rows included, as R's nobs)
 * @param covariance         dispersion * (X'WX)^-1, row-major p x p, zeros for aliased columns; null if failed
 * @param statisticName      "z" or "t"
 * @param theta              negbinomial theta (estimated or fixed), else null
 * @param thetaSe            standard error of an estimated theta, else null
 * @param fittedHead         fitted means of the first rows (up to five), for checks against R
 */
public record GlmResult(String family, String rFamily, String link, long rows, FitStatus status,
                        List<String> warnings, boolean converged, boolean boundary, int iterations,
                        List<Coefficient> coefficients, int rank, Double deviance, Double nullDeviance,
                        long dfResidual, long dfNull, Double dispersion, boolean dispersionEstimated,
                        Double pearsonChi2, Double aic, Double logLikelihood, String statisticName, Double theta,
                        Double thetaSe, double[] covariance, List<Double> fittedHead) {

    public GlmResult {
        warnings = List.copyOf(warnings);
        coefficients = List.copyOf(coefficients);
        fittedHead = fittedHead == null ? List.of() : List.copyOf(fittedHead);
    }

    public List<String> aliasedNames() {
        return coefficients.stream().filter(Coefficient::aliased).map(Coefficient::name).toList();
    }

    /** Estimates with aliased columns as 0, in design order (the linear predictor's coefficients). */
    public double[] linearPredictorCoefficients() {
        double[] b = new double[coefficients.size()];
        for (int i = 0; i < b.length; i++) {
            Double e = coefficients.get(i).estimate();
            b[i] = e == null ? 0.0 : e;
        }
        return b;
    }

    /** The same result with other warnings. */
    public GlmResult withWarnings(List<String> newWarnings) {
        return new GlmResult(family, rFamily, link, rows, status, newWarnings, converged, boundary, iterations,
                coefficients, rank, deviance, nullDeviance, dfResidual, dfNull, dispersion, dispersionEstimated,
                pearsonChi2, aic, logLikelihood, statisticName, theta, thetaSe, covariance, fittedHead);
    }
}
