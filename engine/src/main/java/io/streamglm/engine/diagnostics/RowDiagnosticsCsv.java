package io.streamglm.engine.diagnostics;

import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes {@link RowDiagnostics} as CSV, one line per data row: {@code row} (0-based, the data file's order), then
 * the columns of the shared reference README's names. Numbers are Java's shortest round-trip decimal form, so a
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
        List<double[]> values = new ArrayList<>(List.of(d.fitted(), d.linearPredictor(), d.residResponse(),
                d.residWorking(), d.residPearson(), d.residDeviance(), d.hat(), d.cooksDistance(),
                d.stdResidDeviance()));
        if (d.residQuantile() != null) {
            values.add(d.residQuantile());
        }
        out.write("row," + String.join(",", columns(d)) + "\n");
        StringBuilder line = new StringBuilder(256);
        for (int i = 0; i < d.rows(); i++) {
            line.setLength(0);
            line.append(i);
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
            out.write(line.toString());
        }
    }
}
