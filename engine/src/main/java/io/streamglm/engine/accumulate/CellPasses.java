package io.streamglm.engine.accumulate;

import io.streamglm.engine.design.DesignMatrix;
import io.streamglm.engine.family.Family;
import io.streamglm.engine.link.Link;

import java.util.Arrays;

/**
 * The fitter's passes over a {@link CellTable} instead of rows, for a Poisson (or quasi-Poisson) model with log
 * link and no prior weights. A row of cell x with exposure e has mu = e m, m = exp(x'beta), so its IRLS weight
 * is e m and its working response x'beta + y / (e m) - 1: a cell enters X'WX as one row of weight m sum(e) and
 * X'Wz with m sum(e) x'beta + sum(y) - m sum(e). R's start (mustart = y + 0.1 on every row), the deviance
 * (using sum y log y and sum y log e), Pearson's chi-square (sum y^2/e), the dispersion and the HC0 meat (sums
 * of y^2, y e and e^2), the null deviance and the AIC (sum lgamma(y + 1)) follow the same way, so the fit takes
 * the rows' path: the same iterations, coefficients and statistics up to rounding.
 *
 * <p>Not from cells: HC2 and HC3 (each row's own leverage; reported as not available), theta passes (the
 * negative binomial), and counts of rows with means near zero, which are exact only when a cell's rows all lie
 * on one side of the threshold (else one row is counted, so the warning and status are still right).
 */
public final class CellPasses implements RowPasses {
    private static final double TEN_EPS = 10 * Math.ulp(1.0);
    private final CellTable table;

    public CellPasses(CellTable table) {
        this.table = table;
    }

    public CellTable table() {
        return table;
    }

    /** Whether rows of a model with this family and link can be compressed into cells exactly. */
    public static boolean supports(Family family, Link link, boolean hasWeights) {
        return family != null && (family.name().equals("poisson") || family.name().equals("quasipoisson"))
                && link.name().equals("log") && !hasWeights;
    }

    @Override public int columns() {
        return table.cells().columns();
    }

    @Override public IrlsAccumulator irls(IrlsPass pass) {
        DesignMatrix m = table.cells();
        int c = m.rows();
        boolean interceptOnly = pass.interceptOnly();
        IrlsAccumulator acc = new IrlsAccumulator(interceptOnly ? 1 : m.columns(),
                interceptOnly ? new int[]{0} : m.denseColumns());
        boolean start = pass.point().kind() == Point.Kind.MUSTART;
        double[] a = start ? new double[c] : linearPredictors(pass.point(), interceptOnly);
        double[] w = new double[c];
        double[] z = new double[c];
        long extraGoodRows = 0;
        for (int i = 0; i < c; i++) {
            double n = table.stat(i, CellTable.N);
            double sy = table.stat(i, CellTable.Y);
            double weight;
            double weightedZ;
            double deviance;
            if (start) {
                // mu = y + 0.1 on each row; z = log(y + 0.1) - log e - 0.1 / (y + 0.1)
                weight = sy + 0.1 * n;
                weightedZ = table.stat(i, CellTable.Y01_LOG_Y01) - table.stat(i, CellTable.Y_LOG_E)
                        - 0.1 * table.stat(i, CellTable.LOG_E) - 0.1 * n;
                deviance = 2 * (table.stat(i, CellTable.Y_LOG_Y) - table.stat(i, CellTable.Y_LOG_Y01) + 0.1 * n);
            } else {
                double mean = Math.exp(a[i]);
                if (!(Double.isFinite(mean * table.stat(i, CellTable.MAX_E)) && mean * table.stat(i, CellTable.MIN_E) > 0)) {
                    acc.addInvalidRows((long) n);
                }
                weight = mean * table.stat(i, CellTable.E);
                weightedZ = weight * a[i] + sy - weight;
                deviance = 2 * (table.stat(i, CellTable.Y_LOG_Y) - table.stat(i, CellTable.Y_LOG_E) - a[i] * sy - sy
                        + weight);
                if (!(mean > 0)) {
                    acc.addBadVarianceRows((long) n);
                    weight = 0;
                }
            }
            acc.addObservations((long) n, sy, deviance);
            if (weight > 0) {
                w[i] = weight;
                z[i] = weightedZ / weight;
                extraGoodRows += (long) n - 1;
            }
        }
        if (interceptOnly) {
            for (int i = 0; i < c; i++) {
                if (w[i] > 0) {
                    acc.addIntercept(w[i], z[i]);
                }
            }
        } else {
            acc.addRows(m, 0, c, w, z, new double[c]);
        }
        acc.addGoodRows(extraGoodRows);
        return acc;
    }

    @Override public InferenceAccumulator inference(InferencePass pass) {
        DesignMatrix m = table.cells();
        int c = m.rows();
        Family family = pass.family();
        boolean poisson = family.name().equals("poisson");
        InferenceAccumulator acc = new InferenceAccumulator(m.columns(), m.denseColumns());
        double[] a = linearPredictors(Point.coefficients(pass.beta()), false);
        boolean solvedAtStart = pass.solvedAt().kind() == Point.Kind.MUSTART;
        double[] a0 = solvedAtStart ? null : linearPredictors(pass.solvedAt(), false);
        double[] wres = new double[c];
        double[] hat = new double[c];
        Arrays.fill(hat, Double.NaN); // HC2 and HC3 need each row's leverage
        for (int i = 0; i < c; i++) {
            double n = table.stat(i, CellTable.N);
            double sy = table.stat(i, CellTable.Y);
            double se = table.stat(i, CellTable.E);
            double yLogY = table.stat(i, CellTable.Y_LOG_Y);
            double mean = Math.exp(a[i]);
            if (poisson && mean * table.stat(i, CellTable.MIN_E) < TEN_EPS) {
                acc.addMuNearZero(mean * table.stat(i, CellTable.MAX_E) < TEN_EPS ? (long) n : 1);
            }
            double pearson = table.stat(i, CellTable.Y2_OVER_E) / mean - 2 * sy + mean * se;
            double aic = family.hasAic() ? -2 * (table.stat(i, CellTable.Y_LOG_E) + a[i] * sy - mean * se
                    - table.stat(i, CellTable.LGAMMA_Y1)) : 0;
            double nullDeviance;
            if (pass.nullMean() != null) {
                double mu = pass.nullMean();
                nullDeviance = 2 * (yLogY - Math.log(mu) * sy - sy + n * mu);
            } else {
                nullDeviance = 2 * (yLogY - table.stat(i, CellTable.Y_LOG_E) - sy + se); // mu = e
            }
            double dispersion;
            double squaredScores;
            if (solvedAtStart) {
                // working weight y + 0.1 on each row
                double m2 = mean * mean;
                dispersion = (table.stat(i, CellTable.Y01_Y2_OVER_E2) - 2 * mean * table.stat(i, CellTable.Y01_Y_OVER_E)
                        + m2 * (sy + 0.1 * n)) / m2;
                squaredScores = (table.stat(i, CellTable.Y01_SQ_Y2_OVER_E2)
                        - 2 * mean * table.stat(i, CellTable.Y01_SQ_Y_OVER_E) + m2 * table.stat(i, CellTable.Y01_SQ)) / m2;
            } else {
                double mean0 = Math.exp(a0[i]);
                dispersion = mean0 * (table.stat(i, CellTable.Y2_OVER_E) - 2 * mean * sy + mean * mean * se)
                        / (mean * mean);
                double ratio = mean0 / mean;
                squaredScores = ratio * ratio * (table.stat(i, CellTable.Y2) - 2 * mean * table.stat(i, CellTable.YE)
                        + mean * mean * table.stat(i, CellTable.E2));
            }
            acc.addRows((long) n, pearson, dispersion, aic, nullDeviance);
            wres[i] = Math.sqrt(Math.max(0, squaredScores));
        }
        acc.addMeats(m, 0, c, wres, hat, new double[c], new double[c], new double[c]);
        return acc;
    }

    @Override public ScalarSums theta(ThetaPass pass) {
        throw new UnsupportedOperationException("theta needs each row's count; cells keep Poisson sums only");
    }

    /** x'beta of each cell, without offsets (the exposures are in the cell sums). */
    private double[] linearPredictors(Point point, boolean interceptOnly) {
        DesignMatrix m = table.cells();
        double[] a = new double[m.rows()];
        if (interceptOnly && point.kind() == Point.Kind.COEFFICIENTS) {
            Arrays.fill(a, point.beta()[0]);
        } else {
            m.addLinearPredictor(0, m.rows(), point.beta(), a);
        }
        return a;
    }
}
