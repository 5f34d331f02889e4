package io.streamglm.connectors.csv;

import de.siegmar.fastcsv.reader.CsvParseException;
import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.CsvRecord;
import io.streamglm.engine.data.CategoricalColumn;
import io.streamglm.engine.data.DataException;
import io.streamglm.engine.data.DataTable;
import io.streamglm.engine.spec.Suggestions;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Reads the columns a model needs from a CSV file with a header row (RFC 4180 quoting, parsed by FastCSV) into a
 * {@link DataTable}: numeric columns parsed to doubles, categorical columns dictionary-encoded, other columns
 * skipped. Any unusable value stops the read with one line naming the file, row and column.
 *
 * <p>Large files are split at a line break outside quotes and the halves parsed on two threads; the halves'
 * columns are concatenated and their dictionaries merged in first-seen order, so the table is the same as a
 * sequential read.
 */
public final class CsvTableReader {
    /** Files smaller than this are read on one thread. */
    private static final long PARALLEL_BYTES = 8L << 20;

    private CsvTableReader() {
    }

    /**
     * @param numeric     numeric columns to read, each mapped to where the spec uses it (for messages)
     * @param categorical categorical columns to read, likewise
     */
    public static DataTable read(Path file, Map<String, String> numeric, Map<String, String> categorical) {
        String source = file.toString();
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new DataException(source + ": no such file (check the --data path)");
        } catch (IOException e) {
            throw new UncheckedIOException(source + ": " + e.getMessage(), e);
        }
        int headerEnd = lineEnd(bytes, 0);
        if (bytes.length == 0) {
            throw new DataException(source + ": the file is empty (it needs a header row naming the columns)");
        }
        List<String> header = header(source, new String(bytes, 0, headerEnd, StandardCharsets.UTF_8));
        Columns columns = Columns.of(source, header, numeric, categorical);
        int bodyStart = Math.min(bytes.length, headerEnd + 1);
        int split = bytes.length - bodyStart > PARALLEL_BYTES ? splitPoint(bytes, bodyStart) : -1;
        if (split < 0) {
            return columns.table(List.of(parse(source, columns, bytes, bodyStart, bytes.length, 0)));
        }
        CompletableFuture<Segment> second = CompletableFuture.supplyAsync(
                () -> parse(source, columns, bytes, split, bytes.length, -1));
        Segment first;
        try {
            first = parse(source, columns, bytes, bodyStart, split, 0);
        } catch (RuntimeException e) {
            second.cancel(true);
            throw e;
        }
        Segment rest = second.join();
        if (rest.error() != null) {
            // The second half numbers its rows from 1; shift them by the first half's rows.
            throw rest.error().at(first.rows());
        }
        return columns.table(List.of(first, rest));
    }

    /**
     * Reads the records of one split of a file ({@link CsvSplits}) on the calling thread: the header is read from
     * the file's first line, the values from the split's byte range only, by the same FastCSV path as
     * {@link #read(Path, Map, Map)}. The splits of a plan, read in order and concatenated, give the same rows
     * as the whole file; an error names the row as the whole-file read would. A split without records gives a
     * table of 0 rows.
     */
    public static DataTable readSplit(Path file, CsvSplits.Plan plan, CsvSplits.Split split,
                                      Map<String, String> numeric, Map<String, String> categorical) {
        String source = file.toString();
        long length = split.to() - split.from();
        if (length > Integer.MAX_VALUE - 16 || plan.headerEnd() > Integer.MAX_VALUE - 16) {
            throw new DataException(source + ": a split of " + length + " bytes is too large to read at once"
                    + " (use more splits)");
        }
        byte[] head = new byte[(int) plan.headerEnd()];
        byte[] bytes = new byte[(int) length];
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(file)) {
            readFully(ch, 0, head);
            readFully(ch, split.from(), bytes);
        } catch (NoSuchFileException e) {
            throw new DataException(source + ": no such file (check the --data path)");
        } catch (IOException e) {
            throw new UncheckedIOException(source + ": " + e.getMessage(), e);
        }
        if (plan.length() == 0) {
            throw new DataException(source + ": the file is empty (it needs a header row naming the columns)");
        }
        List<String> header = header(source, new String(head, StandardCharsets.UTF_8));
        Columns columns = Columns.of(source, header, numeric, categorical);
        if (split.firstRecord() > Integer.MAX_VALUE) {
            throw new DataException(source + ": more than " + Integer.MAX_VALUE + " rows");
        }
        Segment segment = parse(source, columns, bytes, 0, bytes.length, (int) split.firstRecord());
        return columns.table(List.of(segment), true);
    }

    private static void readFully(java.nio.channels.FileChannel ch, long position, byte[] into) throws IOException {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(into);
        while (b.hasRemaining()) {
            if (ch.read(b, position + b.position()) < 0) {
                throw new IOException("the file ended at " + (position + b.position()) + " bytes (it changed?)");
            }
        }
    }

    /** Reads CSV text (header first) on the calling thread. */
    public static DataTable read(Reader reader, String source, Map<String, String> numeric,
                                 Map<String, String> categorical) throws IOException {
        String text = new String(readAll(reader));
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        int headerEnd = lineEnd(bytes, 0);
        if (bytes.length == 0) {
            throw new DataException(source + ": the file is empty (it needs a header row naming the columns)");
        }
        List<String> header = header(source, new String(bytes, 0, headerEnd, StandardCharsets.UTF_8));
        Columns columns = Columns.of(source, header, numeric, categorical);
        return columns.table(List.of(parse(source, columns, bytes, Math.min(bytes.length, headerEnd + 1), bytes.length, 0)));
    }

    private static char[] readAll(Reader reader) throws IOException {
        StringBuilder sb = new StringBuilder();
        char[] buf = new char[8192];
        int n;
        while ((n = reader.read(buf)) > 0) {
            sb.append(buf, 0, n);
        }
        return sb.toString().toCharArray();
    }

    private static List<String> header(String source, String line) {
        try (CsvReader<CsvRecord> csv = CsvReader.builder().ofCsvRecord(new StringReader(line))) {
            var it = csv.iterator();
            if (!it.hasNext()) {
                throw new DataException(source + ": the file is empty (it needs a header row naming the columns)");
            }
            List<String> header = it.next().getFields();
            if (header.size() == 1 && header.get(0).isBlank()) {
                throw new DataException(source + ": the file is empty (it needs a header row naming the columns)");
            }
            return List.copyOf(header);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (CsvParseException e) {
            throw new DataException(source + ": cannot parse the header: " + e.getMessage());
        }
    }

    /** Index of the first line break at or after {@code from} (the header has no quoted line breaks). */
    private static int lineEnd(byte[] bytes, int from) {
        int i = from;
        while (i < bytes.length && bytes[i] != '\n') {
            i++;
        }
        return i;
    }

    /**
     * A position near the middle that starts a record: just after a line break with an even number of quote
     * characters before it (doubled quotes inside quoted fields keep the parity), or -1 if there is none.
     */
    static int splitPoint(byte[] bytes, int bodyStart) {
        int target = bodyStart + (bytes.length - bodyStart) / 2;
        long quotes = 0;
        for (int i = bodyStart; i < target; i++) {
            if (bytes[i] == '"') {
                quotes++;
            }
        }
        for (int i = target; i < bytes.length; i++) {
            byte b = bytes[i];
            if (b == '"') {
                quotes++;
            } else if (b == '\n' && (quotes & 1) == 0) {
                return i + 1 < bytes.length ? i + 1 : -1;
            }
        }
        return -1;
    }

    /** Which header positions to read and how. */
    private record Columns(String source, List<String> header, List<String> numNames, List<String> numUsage,
                           int[] numPos, List<String> catNames, int[] catPos) {

        static Columns of(String source, List<String> header, Map<String, String> numeric,
                          Map<String, String> categorical) {
            Map<String, Integer> position = new HashMap<>();
            for (int i = 0; i < header.size(); i++) {
                if (position.put(header.get(i), i) != null) {
                    throw DataException.at(source, 0, header.get(i), "appears twice in the header",
                            "give every column a distinct name");
                }
            }
            List<String> missing = new ArrayList<>();
            checkPresent(source, numeric, header, missing);
            checkPresent(source, categorical, header, missing);
            if (!missing.isEmpty()) {
                throw new DataException(String.join("\n", missing));
            }
            List<String> numNames = new ArrayList<>(numeric.keySet());
            List<String> catNames = new ArrayList<>(categorical.keySet());
            return new Columns(source, header, numNames, numNames.stream().map(numeric::get).toList(),
                    numNames.stream().mapToInt(position::get).toArray(), catNames,
                    catNames.stream().mapToInt(position::get).toArray());
        }

        DataTable table(List<Segment> segments) {
            return table(segments, false);
        }

        DataTable table(List<Segment> segments, boolean mayBeEmpty) {
            int rows = segments.stream().mapToInt(Segment::rows).sum();
            if (rows == 0 && !mayBeEmpty) {
                throw new DataException(source + ": has a header but no data rows");
            }
            Map<String, double[]> numericColumns = new LinkedHashMap<>();
            for (int c = 0; c < numNames.size(); c++) {
                double[] all = new double[rows];
                int at = 0;
                for (Segment s : segments) {
                    System.arraycopy(s.numeric()[c], 0, all, at, s.rows());
                    at += s.rows();
                }
                numericColumns.put(numNames.get(c), all);
            }
            Map<String, CategoricalColumn> categoricalColumns = new LinkedHashMap<>();
            for (int c = 0; c < catNames.size(); c++) {
                int[] codes = new int[rows];
                Map<String, Integer> index = new HashMap<>();
                List<String> dictionary = new ArrayList<>();
                int at = 0;
                for (Segment s : segments) {
                    List<String> local = s.dictionaries().get(c);
                    int[] remap = new int[local.size()];
                    for (int k = 0; k < local.size(); k++) {
                        remap[k] = index.computeIfAbsent(local.get(k), v -> {
                            dictionary.add(v);
                            return dictionary.size() - 1;
                        });
                    }
                    int[] segmentCodes = s.codes()[c];
                    for (int i = 0; i < s.rows(); i++) {
                        codes[at + i] = remap[segmentCodes[i]];
                    }
                    at += s.rows();
                }
                categoricalColumns.put(catNames.get(c), new CategoricalColumn(codes, dictionary));
            }
            return new DataTable(source, rows, numericColumns, categoricalColumns, header);
        }
    }

    /** A bad value found in a segment; rows counted from 1 within the segment. */
    private record SegmentError(String source, long row, String column, String problem, String fix) {
        DataException at(long rowOffset) {
            return DataException.at(source, row + rowOffset, column, problem, fix);
        }
    }

    /** The columns of a contiguous run of records. */
    private record Segment(int rows, double[][] numeric, int[][] codes, List<List<String>> dictionaries,
                           SegmentError error) {
    }

    /**
     * Parses records in {@code bytes[from, to)}. With {@code rowOffset} >= 0 errors are thrown at once with
     * rows shifted by it; with -1 the first error is returned in the segment so the caller can number it.
     */
    private static Segment parse(String source, Columns columns, byte[] bytes, int from, int to, int rowOffset) {
        int nNum = columns.numPos().length;
        int nCat = columns.catPos().length;
        int width = columns.header().size();
        int[] slotOfField = new int[width];
        java.util.Arrays.fill(slotOfField, -1);
        for (int c = 0; c < nNum; c++) {
            slotOfField[columns.numPos()[c]] = c;
        }
        for (int c = 0; c < nCat; c++) {
            slotOfField[columns.catPos()[c]] = nNum + c;
        }
        int capacity = Math.max(1024, (to - from) / 64);
        double[][] num = new double[nNum][capacity];
        int[][] codes = new int[nCat][capacity];
        ColumnHandler handler = new ColumnHandler(slotOfField, nNum, nCat);
        int rows = 0;
        Reader reader = new InputStreamReader(new ByteArrayInputStream(bytes, from, to - from), StandardCharsets.UTF_8);
        try (CsvReader<ColumnHandler> csv = CsvReader.builder().skipEmptyLines(true).ignoreDifferentFieldCount(true)
                .build(handler, reader)) {
            for (ColumnHandler record : csv) {
                int row = rows + 1;
                if (record.fieldCount() != width) {
                    return fail(rowOffset, new SegmentError(source, row, null, "has " + record.fieldCount()
                            + " fields but the header has " + width, "check for an unquoted comma or a missing field"),
                            rows, num, codes, handler);
                }
                if (record.badField >= 0) {
                    int slot = slotOfField[record.badField];
                    String column = columns.header().get(record.badField);
                    SegmentError error = slot < nNum
                            ? numberError(source, row, column, columns.numUsage().get(slot), record.badText)
                            : new SegmentError(source, row, column, "missing value",
                                    "fill it in or remove the row; streamglm does not drop rows silently");
                    return fail(rowOffset, error, rows, num, codes, handler);
                }
                if (rows == capacity) {
                    capacity *= 2;
                    for (int c = 0; c < nNum; c++) {
                        num[c] = Arrays.copyOf(num[c], capacity);
                    }
                    for (int c = 0; c < nCat; c++) {
                        codes[c] = Arrays.copyOf(codes[c], capacity);
                    }
                }
                for (int c = 0; c < nNum; c++) {
                    num[c][rows] = record.numbers[c];
                }
                for (int c = 0; c < nCat; c++) {
                    codes[c][rows] = record.codes[c];
                }
                rows++;
            }
        } catch (CsvParseException e) {
            return fail(rowOffset, new SegmentError(source, rows + 1, null, "cannot parse the CSV: " + e.getMessage(),
                    "check the quoting"), rows, num, codes, handler);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return segment(rows, num, codes, handler, null);
    }

    private static Segment segment(int rows, double[][] num, int[][] codes, ColumnHandler handler, SegmentError error) {
        List<List<String>> dicts = new ArrayList<>();
        for (CharDictionary d : handler.dictionaries) {
            dicts.add(d.values());
        }
        return new Segment(rows, num, codes, dicts, error);
    }

    private static Segment fail(int rowOffset, SegmentError error, int rows, double[][] num, int[][] codes,
                                ColumnHandler handler) {
        if (rowOffset >= 0) {
            throw error.at(rowOffset);
        }
        return segment(rows, num, codes, handler, error);
    }

    private static SegmentError numberError(String source, int row, String column, String usage, String text) {
        String t = text.trim();
        if (t.isEmpty() || t.equals("NA")) {
            return new SegmentError(source, row, column, "missing value",
                    "fill it in or remove the row; streamglm does not drop rows silently");
        }
        try {
            double v = Double.parseDouble(t);
            return new SegmentError(source, row, column, "value " + (Double.isNaN(v) ? "NaN" : t)
                    + " is not a finite number", "remove or impute the row");
        } catch (NumberFormatException e) {
            return new SegmentError(source, row, column, "'" + text + "' is not a number",
                    "fix the value; " + usage + " needs numbers, or declare it \"type\": \"categorical\"");
        }
    }

    /** Adds one line per column the spec names that the header lacks, so all are reported at once. */
    private static void checkPresent(String source, Map<String, String> wanted, List<String> header,
                                     List<String> missing) {
        for (Map.Entry<String, String> w : wanted.entrySet()) {
            if (!header.contains(w.getKey())) {
                String hint = Suggestions.didYouMean(w.getKey(), header);
                missing.add(source + ": column '" + w.getKey() + "' named by " + w.getValue()
                        + " is not in the header (" + (hint != null ? hint : "the header has " + header) + ")");
            }
        }
    }
}
