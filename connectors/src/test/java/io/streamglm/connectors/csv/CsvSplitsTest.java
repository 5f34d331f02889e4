package io.streamglm.connectors.csv;

import io.streamglm.engine.data.DataException;
import io.streamglm.engine.data.DataTable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The union of a plan's splits, each read on its own, is the whole file's records in order: for 1 to 8 splits,
 * with quoted fields holding commas, doubled quotes and line breaks, cut points inside such fields, CRLF line
 * ends, empty lines and a last record without a line break.
 */
class CsvSplitsTest {
    private static final Map<String, String> NUMERIC = Map.of("id", "test", "y", "test");
    private static final Map<String, String> CATEGORICAL = Map.of("cat", "test");

    @TempDir
    Path tmp;

    /** A generated file and the byte ranges of its quoted fields that hold a line break. */
    private record Generated(byte[] bytes, List<long[]> multiLineFields) {
    }

    private static Generated generate(int rows, String eol, boolean trailingEol, boolean emptyLines, long seed) {
        Random r = new Random(seed);
        StringBuilder sb = new StringBuilder("id,note,cat,y").append(eol);
        List<long[]> multiLine = new ArrayList<>();
        String[] cats = {"plain", "\"with, comma\"", "\"say \"\"hi\"\"\"", "\"two" + eol + "lines\"",
                "\"a,\"\"b\"\"" + eol + "c\"", "\"\"\"\""};
        for (int i = 0; i < rows; i++) {
            sb.append(i).append(',');
            long start = sb.toString().getBytes(StandardCharsets.UTF_8).length;
            StringBuilder note = new StringBuilder("\"");
            int parts = 1 + r.nextInt(6);
            for (int p = 0; p < parts; p++) {
                note.append("x".repeat(r.nextInt(40))).append(r.nextBoolean() ? "," : "\"\"")
                        .append(r.nextInt(3) == 0 ? "é" : "").append(eol);
            }
            note.append("end\"");
            sb.append(note);
            long end = sb.toString().getBytes(StandardCharsets.UTF_8).length;
            multiLine.add(new long[]{start, end});
            sb.append(',').append(cats[r.nextInt(cats.length)]).append(',').append(r.nextInt(100) / 7.0);
            if (i < rows - 1 || trailingEol) {
                sb.append(eol);
            }
            if (emptyLines && r.nextInt(5) == 0 && i < rows - 1) {
                sb.append(eol);
            }
        }
        return new Generated(sb.toString().getBytes(StandardCharsets.UTF_8), multiLine);
    }

    private static List<String> rows(DataTable t) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < t.rows(); i++) {
            out.add(t.numeric("id")[i] + "|" + t.categorical("cat").value(i) + "|" + t.numeric("y")[i]);
        }
        return out;
    }

    /** Checks every plan of 1 to 8 splits; returns how many nominal cuts fell inside a multi-line quoted field. */
    private int checkAllSplitCounts(Generated g, int align) throws Exception {
        Path file = tmp.resolve("data-" + System.nanoTime() + ".csv");
        Files.write(file, g.bytes());
        List<String> whole = rows(CsvTableReader.read(file, NUMERIC, CATEGORICAL));
        int insideQuotes = 0;
        for (int n = 1; n <= 8; n++) {
            CsvSplits.Plan plan = CsvSplits.plan(file, n, align);
            assertThat(plan).isEqualTo(CsvSplits.plan(g.bytes(), n, align));
            assertThat(plan.records()).isEqualTo(whole.size());
            assertThat(plan.splits()).hasSize(n);
            List<String> union = new ArrayList<>();
            long expectedFirst = 0;
            long expectedFrom = plan.bodyStart();
            for (CsvSplits.Split s : plan.splits()) {
                assertThat(s.from()).as("split %d of %d", s.index(), n).isEqualTo(expectedFrom);
                assertThat(s.firstRecord()).isEqualTo(expectedFirst);
                assertThat(s.firstRecord() % align).isZero();
                DataTable t = CsvTableReader.readSplit(file, plan, s, NUMERIC, CATEGORICAL);
                assertThat(t.rows()).as("split %d of %d", s.index(), n).isEqualTo((int) s.records());
                union.addAll(rows(t));
                expectedFirst += s.records();
                expectedFrom = s.to();
            }
            assertThat(expectedFrom).isEqualTo(g.bytes().length);
            assertThat(union).as("%d splits", n).isEqualTo(whole);
            long body = g.bytes().length - plan.bodyStart();
            for (int k = 1; k < n; k++) {
                long nominal = plan.bodyStart() + (long) (body * ((double) k / n));
                for (long[] f : g.multiLineFields()) {
                    if (nominal > f[0] && nominal < f[1]) {
                        insideQuotes++;
                    }
                }
            }
        }
        return insideQuotes;
    }

    @Test
    void unionOfSplitsIsTheWholeFileForOneToEightSplits() throws Exception {
        int inside = checkAllSplitCounts(generate(300, "\n", true, false, 1), 1);
        // the file is mostly multi-line quoted fields, so most nominal cuts fall inside one
        assertThat(inside).isGreaterThan(10);
    }

    @Test
    void crlfLineEndsAndEmptyLines() throws Exception {
        assertThat(checkAllSplitCounts(generate(250, "\r\n", true, true, 2), 1)).isGreaterThan(10);
    }

    @Test
    void lastRecordWithoutALineBreak() throws Exception {
        checkAllSplitCounts(generate(97, "\n", false, false, 3), 1);
        checkAllSplitCounts(generate(97, "\r\n", false, true, 4), 1);
        checkAllSplitCounts(generate(1, "\n", false, false, 5), 1);
    }

    @Test
    void cutsAlignedToChunksOfRows() throws Exception {
        checkAllSplitCounts(generate(200, "\n", true, false, 6), 7);
        checkAllSplitCounts(generate(200, "\r\n", false, true, 7), 16);
        // fewer eligible starts than splits: some splits are empty, the union is still the file
        checkAllSplitCounts(generate(20, "\n", true, false, 8), 16);
    }

    @Test
    void aCutInsideAQuotedFieldWithALineBreakMovesToARecordStart() throws Exception {
        String big = "\"" + "line, with \"\"quotes\"\"\n".repeat(50) + "\"";
        String csv = "id,note,cat,y\n0,short,a,1\n1," + big + ",b,2\n2,short,c,3\n";
        Path file = tmp.resolve("big.csv");
        Files.writeString(file, csv);
        CsvSplits.Plan plan = CsvSplits.plan(file, 2, 1);
        long bigStart = csv.indexOf(big);
        long nominal = plan.bodyStart() + (csv.length() - plan.bodyStart()) / 2;
        assertThat(nominal).isBetween(bigStart + 1, bigStart + big.length() - 1);
        long cut = plan.splits().get(1).from();
        assertThat(cut).isIn((long) csv.indexOf("1,\""), (long) csv.indexOf("2,short"));
        List<String> union = new ArrayList<>();
        for (CsvSplits.Split s : plan.splits()) {
            union.addAll(rows(CsvTableReader.readSplit(file, plan, s, NUMERIC, CATEGORICAL)));
        }
        assertThat(union).containsExactly("0.0|a|1.0", "1.0|b|2.0", "2.0|c|3.0");
    }

    @Test
    void anErrorNamesTheRowTheWholeFileReadNames() throws Exception {
        StringBuilder sb = new StringBuilder("id,note,cat,y\n");
        for (int i = 0; i < 50; i++) {
            sb.append(i).append(",\"n\nn\",a,").append(i == 41 ? "oops" : "1").append('\n');
        }
        Path file = tmp.resolve("bad.csv");
        Files.writeString(file, sb);
        String expected = null;
        try {
            CsvTableReader.read(file, NUMERIC, CATEGORICAL);
        } catch (DataException e) {
            expected = e.getMessage();
        }
        assertThat(expected).contains("row 42");
        CsvSplits.Plan plan = CsvSplits.plan(file, 4, 1);
        CsvSplits.Split last = plan.splits().get(3);
        assertThat(last.firstRecord()).isLessThan(41);
        assertThatThrownBy(() -> CsvTableReader.readSplit(file, plan, last, NUMERIC, CATEGORICAL))
                .isInstanceOf(DataException.class).hasMessage(expected);
    }

    @Test
    void aQuoteInsideAnUnquotedFieldIsText() throws Exception {
        StringBuilder sb = new StringBuilder("id,note,cat,y\n");
        for (int i = 0; i < 40; i++) {
            sb.append(i).append(",ab\"c,").append(i % 2 == 0 ? "in\"side" : "\"q\nq\"").append(",1\n");
        }
        Generated g = new Generated(sb.toString().getBytes(StandardCharsets.UTF_8), List.of());
        checkAllSplitCounts(g, 1);
        checkAllSplitCounts(g, 3);
    }

    @Test
    void headerOnlyAndEmptyBody() throws Exception {
        Path file = tmp.resolve("header.csv");
        Files.writeString(file, "id,note,cat,y\n");
        CsvSplits.Plan plan = CsvSplits.plan(file, 3, 1);
        assertThat(plan.records()).isZero();
        for (CsvSplits.Split s : plan.splits()) {
            assertThat(s.records()).isZero();
            assertThat(CsvTableReader.readSplit(file, plan, s, NUMERIC, CATEGORICAL).rows()).isZero();
        }
    }
}
