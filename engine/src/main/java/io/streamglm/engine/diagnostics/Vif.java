package io.streamglm.engine.diagnostics;

import io.streamglm.engine.design.DesignTerm;
import io.streamglm.engine.design.FittedDesign;
import io.streamglm.engine.fit.FinalStep;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code car::vif} of a glm (its {@code vif.default}): generalized variance-inflation factors (Fox and Monette
 * 1992) from the correlation matrix R of the coefficients' covariance without the intercept,
 * GVIF = det(R11) det(R22) / det(R) with R11 the block of the term's columns and R22 the rest.
 *
 * @param terms by term label, in the design's order
 */
public record Vif(Map<String, Row> terms) {

    /** @param gvifAdjusted GVIF^(1 / (2 df)), comparable across terms of different df */
    public record Row(double gvif, int df, double gvifAdjusted) {
    }

    public Vif {
        terms = Collections.unmodifiableMap(new LinkedHashMap<>(terms));
    }

    /**
     * Null where car stops with an error: aliased coefficients, or fewer than two terms. (Without an intercept car
     * only warns that the values "may not be sensible"; so do we, by computing them.)
     */
    public static Vif compute(FittedDesign design, FinalStep step) {
        List<DesignTerm> terms = design.terms();
        if (terms.size() < 2) {
            return null;
        }
        for (boolean a : step.aliased()) {
            if (a) {
                return null;
            }
        }
        int p = step.beta().length;
        int first = design.intercept() ? 1 : 0;
        int k = p - first;
        double[] cov = step.unscaledCovariance();
        // cov2cor: the dispersion that scales vcov cancels, so the unscaled inverse serves.
        double[] corr = new double[k * k];
        for (int i = 0; i < k; i++) {
            for (int j = 0; j < k; j++) {
                int a = i + first;
                int b = j + first;
                corr[i * k + j] = cov[a * p + b] / Math.sqrt(cov[a * p + a] * cov[b * p + b]);
            }
        }
        double detAll = determinant(corr, k, 0, k, true);
        Map<String, Row> out = new LinkedHashMap<>();
        for (DesignTerm t : terms) {
            int from = t.firstColumn() - first;
            int to = from + t.width();
            double gvif = determinant(corr, k, from, to, true) * determinant(corr, k, from, to, false) / detAll;
            int df = t.width();
            out.put(t.label(), new Row(gvif, df, Math.pow(gvif, 1.0 / (2 * df))));
        }
        return new Vif(out);
    }

    /**
     * The determinant of the principal submatrix of the k x k matrix {@code m} on the indices inside [from, to)
     * ({@code inside}) or outside it, by Gaussian elimination with partial pivoting; 1 for an empty submatrix.
     */
    static double determinant(double[] m, int k, int from, int to, boolean inside) {
        int[] keep = new int[k];
        int s = 0;
        for (int i = 0; i < k; i++) {
            if ((i >= from && i < to) == inside) {
                keep[s++] = i;
            }
        }
        double[] a = new double[s * s];
        for (int i = 0; i < s; i++) {
            for (int j = 0; j < s; j++) {
                a[i * s + j] = m[keep[i] * k + keep[j]];
            }
        }
        double det = 1;
        for (int c = 0; c < s; c++) {
            int pivot = c;
            for (int r = c + 1; r < s; r++) {
                if (Math.abs(a[r * s + c]) > Math.abs(a[pivot * s + c])) {
                    pivot = r;
                }
            }
            if (a[pivot * s + c] == 0) {
                return 0;
            }
            if (pivot != c) {
                for (int j = 0; j < s; j++) {
                    double tmp = a[c * s + j];
                    a[c * s + j] = a[pivot * s + j];
                    a[pivot * s + j] = tmp;
                }
                det = -det;
            }
            double d = a[c * s + c];
            det *= d;
            for (int r = c + 1; r < s; r++) {
                double factor = a[r * s + c] / d;
                if (factor != 0) {
                    for (int j = c; j < s; j++) {
                        a[r * s + j] -= factor * a[c * s + j];
                    }
                }
            }
        }
        return det;
    }
}
