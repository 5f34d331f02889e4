package io.streamglm.engine.report;

import io.streamglm.engine.penalized.CvResult;
import io.streamglm.engine.penalized.PathFit;
import io.streamglm.engine.penalized.PenalizedResult;

import java.util.List;
import java.util.Locale;

/**
 * The pictures of a penalized fit, as glmnet draws them: {@code plot(fit, xvar = "lambda")}, every coefficient
 * (original scale, intercept left out) against log(lambda), and {@code plot(cv.glmnet(...))}, the cross-validated
 * deviance with its standard error against log(lambda); lambda_min and lambda_1se dashed, the selected fit's
 * lambda dashed when there is no cross-validation. A standalone SVG file ({@code fit --plot-path}); the charts are
 * {@link Svg}'s, so they need nothing else to open.
 */
public final class PathPlot {
    /** Coefficients named at the right end of the paths: more would not be readable. */
    private static final int LABELLED = 8;

    private PathPlot() {
    }

    public static String svg(PenalizedResult result) {
        PathFit path = result.path();
        int n = path.size();
        double[] logLambda = new double[n];
        for (int m = 0; m < n; m++) {
            logLambda[m] = Math.log(path.lambda()[m]);
        }
        int p = n == 0 ? 0 : path.beta()[0].length;
        double[][] series = new double[p][n];
        for (int m = 0; m < n; m++) {
            for (int j = 0; j < p; j++) {
                series[j][m] = path.beta()[m][j];
            }
        }
        List<String> names = result.intercept() ? result.columnNames().subList(1, result.columnNames().size())
                : result.columnNames();
        CvResult cv = result.cv();
        double[] marks = cv != null ? new double[]{Math.log(cv.lambdaMin()), Math.log(cv.lambda1se())}
                : new double[]{Math.log(result.selectedLambda())};
        String title = String.format(Locale.ROOT, "%s (%s link), l1_ratio %s: %d lambdas, selected lambda %s (%s)",
                result.family(), result.link(), Svg.format(result.l1Ratio()), n, Svg.format(result.selectedLambda()),
                result.select());
        StringBuilder sb = new StringBuilder(1 << 15);
        int height = Svg.HEIGHT + 24 + (cv != null ? Svg.HEIGHT + 24 : 0);
        sb.append(String.format(Locale.ROOT, "<svg xmlns='http://www.w3.org/2000/svg' width='%d' height='%d' "
                + "viewBox='0 0 %d %d' font-family='sans-serif'>", Svg.WIDTH, height, Svg.WIDTH, height));
        sb.append("<text x='8' y='16' font-size='12'>").append(HtmlReport.escape(title)).append("</text>");
        sb.append("<g transform='translate(0 24)'>")
                .append(Svg.lines(logLambda, series, names, LABELLED, marks, "log(lambda)", "coefficient"))
                .append("</g>");
        if (cv != null) {
            double[] x = new double[cv.lambda().length];
            double[] lower = new double[x.length];
            double[] upper = new double[x.length];
            for (int m = 0; m < x.length; m++) {
                x[m] = Math.log(cv.lambda()[m]);
                lower[m] = cv.cvm()[m] - cv.cvsd()[m];
                upper[m] = cv.cvm()[m] + cv.cvsd()[m];
            }
            sb.append(String.format(Locale.ROOT, "<g transform='translate(0 %d)'>", Svg.HEIGHT + 48))
                    .append(Svg.band(x, cv.cvm(), lower, upper, marks, "log(lambda)",
                            cv.folds() + "-fold CV deviance"))
                    .append("</g>");
        }
        return sb.append("</svg>\n").toString();
    }
}
