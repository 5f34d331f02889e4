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
    void recordsReadByPositionGiveTheRowsOfRecordsReadByName() {
        FittedDesign design = design(TestTables.random(7, 500, TestTables.zips(20)));
        DataTable records = TestTables.random(8, 300, TestTables.zips(20));
        RecordEncoder encoder = new RecordEncoder(design);
        assertThat(encoder.columns()).doesNotHaveDuplicates().isNotEmpty();
        int width = design.maxNonZeros();
        for (int r = 0; r < records.rows(); r++) {
            int[] ni = new int[width];
            double[] nv = new double[width];
            int k = encoder.encode(row(records, r), ni, nv);
            // By position with the encoder's own columns; and a record whose positions follow another list (a copy,
            // not the encoder's) is read by name, so that its positions cannot be misread.
            for (List<String> columns : List.of(encoder.columns(), List.copyOf(new ArrayList<>(encoder.columns())))) {
                RecordValues byName = row(records, r);
                int[] pi = new int[width];
                double[] pv = new double[width];
                assertThat(encoder.encode(byPosition(byName, columns), pi, pv)).as("row %d", r).isEqualTo(k);
                assertThat(Arrays.copyOf(pi, k)).as("row %d", r).containsExactly(Arrays.copyOf(ni, k));
                assertThat(Arrays.copyOf(pv, k)).as("row %d", r).containsExactly(Arrays.copyOf(nv, k));
            }
        }
        // The encoder's own list is read by position; any other list by name, so that its positions cannot be misread.
        int[] positionReads = new int[1];
        int[] idx = new int[width];
        double[] val = new double[width];
        encoder.encode(counting(row(records, 0), encoder.columns(), positionReads), idx, val);
        assertThat(positionReads[0]).isPositive();
        positionReads[0] = 0;
        encoder.encode(counting(row(records, 0), new ArrayList<>(encoder.columns()), positionReads), idx, val);
        assertThat(positionReads[0]).isZero();
    }

    private static ColumnValues counting(RecordValues record, List<String> columns, int[] positionReads) {
        ColumnValues inner = byPosition(record, columns);
        return new ColumnValues() {
            @Override public List<String> columns() {
                return columns;
            }

            @Override public double number(int column) {
                positionReads[0]++;
                return inner.number(column);
            }

            @Override public String text(int column) {
                positionReads[0]++;
                return inner.text(column);
            }

            @Override public double number(String column) {
                return inner.number(column);
            }

            @Override public String text(String column) {
                return inner.text(column);
            }
        };
    }

    /** A record read by name, answering by position in {@code columns} too. */
    private static ColumnValues byPosition(RecordValues record, List<String> columns) {
        return new ColumnValues() {
            @Override public List<String> columns() {
                return columns;
            }

            @Override public double number(int column) {
                return record.number(columns.get(column));
            }

            @Override public String text(int column) {
                return record.text(columns.get(column));
            }

            @Override public double number(String column) {
                return record.number(column);
            }

            @Override public String text(String column) {
                return record.text(column);
            }
        };
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
