package io.streamglm.engine.penalized;

import java.util.List;
import java.util.Locale;

/**
 * The {@code fit} printout of a penalized fit: the path as a compact table (lambda, df, deviance ratio, and with
 * cross-validation the CV deviance +- its standard error), the selected lambda marked, then its coefficients.
 */
public final class PathTable {
    private PathTable() {
    }

    public static String format(PenalizedResult r) {
        StringBuilder sb = new StringBuilder();
        PathFit path = r.path();
        CvResult cv = r.cv();
        sb.append(String.format(Locale.ROOT, "Penalized %s (%s link), glmnet elastic net, l1_ratio %s: %d fits, %d rows%n",
                r.family(), r.link(), trim(r.l1Ratio()), path.size(), r.rows()));
        sb.append(String.format(Locale.ROOT, "  %-2s %12s %4s %10s%s%n", "", "lambda", "df", "dev.ratio",
                cv == null ? "" : String.format(Locale.ROOT, " %24s", "CV deviance +- SE")));
        for (int m = 0; m < path.size(); m++) {
            String mark = m == r.selected() ? "=>" : "";
            String cvText = "";
            if (cv != null) {
                String tag = m == cv.indexMin() ? " min" : m == cv.index1se() ? " 1se" : "";
                cvText = String.format(Locale.ROOT, " %12.6g +- %-9.3g%s", cv.cvm()[m], cv.cvsd()[m], tag);
            }
            // The null model's ratio is zero up to rounding: print it as 0, not -0.00000.
            double devRatio = Math.abs(path.devRatio()[m]) < 5e-6 ? 0 : path.devRatio()[m];
            sb.append(String.format(Locale.ROOT, "  %-2s %12.6g %4d %10.5f%s%n", mark, path.lambda()[m],
                    path.df()[m], devRatio, cvText));
        }
        sb.append(String.format(Locale.ROOT, "Selected lambda %.6g (%s):%n", r.selectedLambda(), r.select()));
        double[] c = r.coefficients(r.selected());
        List<String> names = r.columnNames();
        int width = names.stream().mapToInt(String::length).max().orElse(8);
        for (int j = 0; j < c.length; j++) {
            sb.append(String.format(Locale.ROOT, "  %-" + width + "s %14s%n", names.get(j),
                    c[j] == 0 ? "." : String.format(Locale.ROOT, "%.6g", c[j])));
        }
        for (String w : r.warnings()) {
            sb.append("warning: ").append(w).append(System.lineSeparator());
        }
        return sb.toString();
    }

    private static String trim(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }
}
