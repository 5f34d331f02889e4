package io.streamglm.engine.fit;

import io.streamglm.engine.data.DataException;
import io.streamglm.engine.data.DataTable;
import io.streamglm.engine.design.DesignMatrix;
import io.streamglm.engine.design.FittedDesign;
import io.streamglm.engine.spec.ModelSpec;

import java.util.List;

/**
 * Checks the response, weights, offset and exposure of training data against the spec and family (each bad
 * value is reported with its row and column) and encodes the rows into a {@link DesignMatrix}.
 */
public final class TrainingSet {
    private TrainingSet() {
    }

    public static DesignMatrix build(ModelSpec spec, GlmModel model, FittedDesign design, DataTable data,
                                     List<String> warnings) {
        int n = data.rows();
        if (n == 0) {
            throw DataException.at(data.source(), 0, null, "has no data rows", "a fit needs at least one row");
        }
        RowCheck check = new RowCheck(model);
        double[] weights = null;
        if (spec.weights() != null) {
            weights = data.numeric(spec.weights()).clone();
            boolean anyPositive = false;
            for (int i = 0; i < n; i++) {
                double w = weights[i];
                requireFinite(data, i, spec.weights(), w);
                if (!RowCheck.usableWeight(w)) {
                    throw DataException.at(data.source(), i + 1, spec.weights(), "weight " + w + " is negative",
                            "prior weights must be >= 0; use 0 to leave a row out");
                }
                anyPositive |= w > 0;
            }
            if (!anyPositive) {
                throw DataException.at(data.source(), 0, spec.weights(), "every prior weight is 0",
                        "at least one row needs a positive weight");
            }
        }
        double[] y = data.numeric(spec.response()).clone();
        long nonIntegerSuccesses = 0;
        double first = y[0];
        boolean constant = true;
        for (int i = 0; i < n; i++) {
            requireFinite(data, i, spec.response(), y[i]);
            String problem = check.responseProblem(y[i]);
            if (problem != null) {
                throw DataException.at(data.source(), i + 1, spec.response(), "value " + format(y[i]) + " " + problem,
                        "fix or remove the row, or choose another family");
            }
            double w = weights == null ? 1.0 : weights[i];
            y[i] = check.response(y[i], w);
            if (check.binomial()) {
                double m = w * y[i];
                if (Math.abs(m - Math.rint(m)) > 1e-3) {
                    nonIntegerSuccesses++;
                }
            }
            constant &= y[i] == first;
        }
        if (check.family().name().equals("binomial") && nonIntegerSuccesses > 0) {
            warnings.add("non-integer #successes in a binomial glm! (" + nonIntegerSuccesses
                    + " rows where weight * y is not a whole number)");
        }
        if (constant && n > 1) {
            warnings.add("the response '" + spec.response() + "' is constant (" + format(first) + ")");
        }
        double[] offset = null;
        if (spec.offset() != null) {
            offset = data.numeric(spec.offset()).clone();
            for (int i = 0; i < n; i++) {
                requireFinite(data, i, spec.offset(), offset[i]);
            }
        }
        if (spec.exposure() != null) {
            double[] exposure = data.numeric(spec.exposure());
            if (offset == null) {
                offset = new double[n];
            }
            for (int i = 0; i < n; i++) {
                double e = exposure[i];
                requireFinite(data, i, spec.exposure(), e);
                if (!RowCheck.usableExposure(e)) {
                    throw DataException.at(data.source(), i + 1, spec.exposure(), "exposure " + format(e)
                            + " is not positive", "exposure enters as log(exposure); remove the row or fix it");
                }
                offset[i] = RowCheck.withExposure(offset[i], e);
            }
        }
        return DesignMatrix.encode(design, data, y, weights, offset);
    }

    private static void requireFinite(DataTable data, int row, String column, double v) {
        if (!Double.isFinite(v)) {
            throw DataException.at(data.source(), row + 1, column, "value " + format(v) + " is not a finite number",
                    "remove or impute the row; streamglm does not drop rows silently");
        }
    }

    private static String format(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }
}
