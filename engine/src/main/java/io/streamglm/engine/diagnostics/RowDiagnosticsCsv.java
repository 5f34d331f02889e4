package io.streamglm.engine.diagnostics;

import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes {@link RowDiagnostics} as CSV, one line per data row: {@code row} (0-based, the data file's order), then
 * the columns of the shared reference README's names (with a holdout, {@code set} after {@code row}). Numbers are Java's shortest round-trip decimal form, so a
 * reader gets the same doubles back; R's NA (no value, e.g. the leverage of a zero-weight row) is {@code NA}.
 */
public final class RowDiagnosticsCsv {
    private RowDiagnosticsCsv() {
    }

    /** The column names after {@code row}, in order; {@code resid_quantile} only for count families. */
    public static List<String> columns(RowDiagnostics d) {
        List<String> names = new ArrayList<>(List.of("fitted", "linear_predictor", "resid_response", "resid_working",
                "resid_pearson", "resid_deviance", "hat", "cooks_distance", "std_resid_deviance"));
        if (d.residQuantile() != null) {
            names.add("resid_quantile");
        }
        return names;
    }

    /** Writes the header and every row to {@code out} (not closed). */
    public static void write(RowDiagnostics d, Writer out) throws IOException {
        out.write("row," + String.join(",", columns(d)) + "\n");
        List<double[]> values = values(d);
        StringBuilder line = new StringBuilder(256);
        for (int i = 0; i < d.rows(); i++) {
            line.setLength(0);
            line.append(i);
            appendValues(line, values, i);
            out.write(line.toString());
        }
    }

    /**
     * With rows held out: one line per row of either set in data order, {@code row} its index in the data and
     * {@code set} {@code train} or {@code test}.
     *
     * @param trainRows the data index of each row of {@code train}, ascending; likewise {@code testRows}
     */
    public static void write(RowDiagnostics train, int[] trainRows, RowDiagnostics test, int[] testRows, Writer out)
            throws IOException {
        out.write("row,set," + String.join(",", columns(train)) + "\n");
        List<double[]> trainValues = values(train);
        List<double[]> testValues = values(test);
        StringBuilder line = new StringBuilder(256);
        int a = 0;
        int b = 0;
        while (a < trainRows.length || b < testRows.length) {
            line.setLength(0);
            if (b >= testRows.length || (a < trainRows.length && trainRows[a] < testRows[b])) {
                line.append(trainRows[a]).append(",train");
                appendValues(line, trainValues, a++);
            } else {
                line.append(testRows[b]).append(",test");
                appendValues(line, testValues, b++);
            }
            out.write(line.toString());
        }
    }

    private static List<double[]> values(RowDiagnostics d) {
        List<double[]> values = new ArrayList<>(List.of(d.fitted(), d.linearPredictor(), d.residResponse(),
                d.residWorking(), d.residPearson(), d.residDeviance(), d.hat(), d.cooksDistance(),
                d.stdResidDeviance()));
        if (d.residQuantile() != null) {
            values.add(d.residQuantile());
        }
        return values;
    }

    private static void appendValues(StringBuilder line, List<double[]> values, int i) {
        for (double[] column : values) {
            double v = column[i];
            line.append(',');
            if (Double.isFinite(v)) {
                line.append(v);
            } else {
                line.append("NA");
            }
        }
        line.append('\n');
    }
}
