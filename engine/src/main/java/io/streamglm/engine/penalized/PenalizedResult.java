package io.streamglm.engine.penalized;

import io.streamglm.engine.fit.FitStatus;

import java.util.List;

/**
 * A penalized fit: glmnet's whole path, cv.glmnet's summary when asked for, and the fit chosen as the model.
 *
 * @param columnNames design columns, {@code Intercept} first when there is one
 * @param cv          null without cross-validation
 * @param selected    index into the path of the fit reported as the model's coefficients
 * @param select      how it was chosen: {@code last}, {@code lambda_min} or {@code lambda_1se}
 */
public record PenalizedResult(String family, String link, long rows, double l1Ratio, List<String> columnNames,
                              boolean intercept, PathFit path, CvResult cv, int selected, String select,
                              List<String> warnings) {

    public PenalizedResult {
        columnNames = List.copyOf(columnNames);
        warnings = List.copyOf(warnings);
    }

    /** The coefficients of fit m by design column, the intercept first when there is one. */
    public double[] coefficients(int m) {
        double[] beta = path.beta()[m];
        int first = intercept ? 1 : 0;
        double[] out = new double[beta.length + first];
        if (intercept) {
            out[0] = path.intercept()[m];
        }
        System.arraycopy(beta, 0, out, first, beta.length);
        return out;
    }

    /** Converged, or not when glmnet's maxit cut the path short. */
    public FitStatus status() {
        return path.warnings().isEmpty() ? FitStatus.CONVERGED : FitStatus.NOT_CONVERGED;
    }

    public double selectedLambda() {
        return path.lambda()[selected];
    }
}
