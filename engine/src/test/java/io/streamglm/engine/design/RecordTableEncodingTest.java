package io.streamglm.engine.design;

import io.streamglm.engine.data.DataTable;
import io.streamglm.engine.spec.SpecParser;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One term expansion: a record and the same row of a table encode to identical design rows (columns and values
 * to the bit) through {@link RecordEncoder} and {@link TableEncoder}, and the training rows of
 * {@link DesignMatrix#encode} (with its column-wise paths for numeric and categorical terms) are the table's.
 */
class RecordTableEncodingTest {

    private static FittedDesign design(DataTable train) {
        return DesignBuilder.fit(SpecParser.parse(TestTables.EVERY_COMPONENT_SPEC, null), train, new ArrayList<>());
    }

    @Test
    void recordsAndTablesGiveIdenticalRows() {
        FittedDesign design = design(TestTables.random(7, 500, TestTables.zips(20)));
        List<String> zips = new ArrayList<>(TestTables.zips(20));
        zips.add("zNEW");
        DataTable records = TestTables.random(8, 300, zips);
        double[] x1 = records.numeric("x1");
        for (int i = 0; i < 10; i++) {
            x1[i] = 3 + i; // beyond the spline's boundary knots
        }
        TableEncoder table = new TableEncoder(design, records);
        RecordEncoder record = new RecordEncoder(design);
        int width = design.maxNonZeros();
        for (int r = 0; r < records.rows(); r++) {
            int[] ti = new int[width];
            double[] tv = new double[width];
            int[] ri = new int[width];
            double[] rv = new double[width];
            int k = table.encode(r, ti, tv);
            assertThat(record.encode(row(records, r), ri, rv)).as("row %d", r).isEqualTo(k);
            assertThat(Arrays.copyOf(ri, k)).as("row %d", r).containsExactly(Arrays.copyOf(ti, k));
            assertThat(Arrays.copyOf(rv, k)).as("row %d", r).containsExactly(Arrays.copyOf(tv, k));
        }
    }

    @Test
    void trainingRowsOfTheDesignMatrixAreTheTablesRows() {
        DataTable train = TestTables.random(9, 400, TestTables.zips(15));
        FittedDesign design = design(train);
        double[] y = train.numeric("y");
        DesignMatrix m = DesignMatrix.encode(design, train, y, null, null);
        TableEncoder table = new TableEncoder(design, train, y);
        int[] idx = new int[design.maxNonZeros()];
        double[] val = new double[idx.length];
        int[] denseColumns = m.denseColumns();
        for (int r = 0; r < train.rows(); r++) {
            double[] expected = new double[design.columns()];
            int k = table.encode(r, idx, val);
            for (int e = 0; e < k; e++) {
                expected[idx[e]] = val[e];
            }
            double[] actual = new double[design.columns()];
            for (int a = 0; a < denseColumns.length; a++) {
                actual[denseColumns[a]] = m.denseValues()[a * m.rows() + r];
            }
            for (int e = 0; e < m.nonZeros()[r]; e++) {
                actual[m.indices()[r * m.stride() + e]] = m.values()[r * m.stride() + e];
            }
            assertThat(actual).as("row %d", r).containsExactly(expected);
        }
    }

    /** Row r of a table as a record's values. */
    private static RecordValues row(DataTable data, int r) {
        return new RecordValues() {
            @Override public double number(String column) {
                return data.numericColumns().contains(column) ? data.numeric(column)[r] : Double.NaN;
            }

            @Override public String text(String column) {
                return data.categorical(column).value(r);
            }
        };
    }
}
