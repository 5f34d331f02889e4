package io.streamglm.connectors.csv;

import io.streamglm.engine.data.CategoricalColumn;
import io.streamglm.engine.data.DataException;
import io.streamglm.engine.data.DataTable;
import io.streamglm.engine.spec.Suggestions;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

import java.io.IOException;
import java.io.Reader;
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

/**
 * Reads the columns a model needs from a CSV file with a header row (RFC 4180 quoting, via Commons CSV) into a
 * {@link DataTable}: numeric columns parsed to doubles, categorical columns dictionary-encoded, other columns
 * skipped. Any unusable value stops the read with one line naming the file, row and column.
 */
public final class CsvTableReader {
    private CsvTableReader() {
    }

    /**
     * @param numeric     numeric columns to read, each mapped to where the spec uses it (for messages)
     * @param categorical categorical columns to read, likewise
     */
    public static DataTable read(Path file, Map<String, String> numeric, Map<String, String> categorical) {
        String source = file.toString();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return read(reader, source, numeric, categorical);
        } catch (NoSuchFileException e) {
            throw new DataException(source + ": no such file (check the --data path)");
        } catch (IOException e) {
            throw new UncheckedIOException(source + ": " + e.getMessage(), e);
        }
    }

    public static DataTable read(Reader reader, String source, Map<String, String> numeric,
                                 Map<String, String> categorical) throws IOException {
        CSVFormat format = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true)
                .setAllowMissingColumnNames(true).setIgnoreEmptyLines(true).get();
        try (CSVParser parser = CSVParser.builder().setReader(reader).setFormat(format).get()) {
            List<String> header = parser.getHeaderNames();
            if (header.isEmpty()) {
                throw new DataException(source + ": the file is empty (it needs a header row naming the columns)");
            }
            Map<String, Integer> position = new HashMap<>();
            for (int i = 0; i < header.size(); i++) {
                if (position.put(header.get(i), i) != null) {
                    throw DataException.at(source, 0, header.get(i), "appears twice in the header",
                            "give every column a distinct name");
                }
            }
            checkPresent(source, numeric, header);
            checkPresent(source, categorical, header);
            List<String> numNames = new ArrayList<>(numeric.keySet());
            List<String> catNames = new ArrayList<>(categorical.keySet());
            int[] numPos = numNames.stream().mapToInt(position::get).toArray();
            int[] catPos = catNames.stream().mapToInt(position::get).toArray();
            double[][] num = new double[numNames.size()][1024];
            int[][] codes = new int[catNames.size()][1024];
            List<Map<String, Integer>> dictIndex = new ArrayList<>();
            List<List<String>> dicts = new ArrayList<>();
            for (int c = 0; c < catNames.size(); c++) {
                dictIndex.add(new HashMap<>());
                dicts.add(new ArrayList<>());
            }
            int rows = 0;
            for (CSVRecord record : parser) {
                int row = rows + 1;
                if (record.size() != header.size()) {
                    throw DataException.at(source, row, null, "has " + record.size() + " fields but the header has "
                            + header.size(), "check for an unquoted comma or a missing field");
                }
                for (int c = 0; c < numPos.length; c++) {
                    if (rows == num[c].length) {
                        num[c] = Arrays.copyOf(num[c], rows * 2);
                    }
                    num[c][rows] = parseNumber(source, row, numNames.get(c), numeric.get(numNames.get(c)),
                            record.get(numPos[c]));
                }
                for (int c = 0; c < catPos.length; c++) {
                    if (rows == codes[c].length) {
                        codes[c] = Arrays.copyOf(codes[c], rows * 2);
                    }
                    String value = record.get(catPos[c]);
                    if (value.isEmpty() || value.equals("NA")) {
                        throw DataException.at(source, row, catNames.get(c), "missing value",
                                "fill it in or remove the row; streamglm does not drop rows silently");
                    }
                    Map<String, Integer> index = dictIndex.get(c);
                    Integer code = index.get(value);
                    if (code == null) {
                        code = index.size();
                        index.put(value, code);
                        dicts.get(c).add(value);
                    }
                    codes[c][rows] = code;
                }
                rows++;
            }
            if (rows == 0) {
                throw new DataException(source + ": has a header but no data rows");
            }
            Map<String, double[]> numericColumns = new LinkedHashMap<>();
            for (int c = 0; c < numNames.size(); c++) {
                numericColumns.put(numNames.get(c), Arrays.copyOf(num[c], rows));
            }
            Map<String, CategoricalColumn> categoricalColumns = new LinkedHashMap<>();
            for (int c = 0; c < catNames.size(); c++) {
                categoricalColumns.put(catNames.get(c), new CategoricalColumn(Arrays.copyOf(codes[c], rows), dicts.get(c)));
            }
            return new DataTable(source, rows, numericColumns, categoricalColumns, header);
        } catch (java.io.UncheckedIOException e) {
            throw new DataException(source + ": cannot parse the CSV: " + e.getCause().getMessage());
        } catch (IllegalStateException e) {
            throw new DataException(source + ": cannot parse the CSV: " + e.getMessage());
        }
    }

    private static void checkPresent(String source, Map<String, String> wanted, List<String> header) {
        for (Map.Entry<String, String> w : wanted.entrySet()) {
            if (!header.contains(w.getKey())) {
                String hint = Suggestions.didYouMean(w.getKey(), header);
                throw new DataException(source + ": column '" + w.getKey() + "' named by " + w.getValue()
                        + " is not in the header (" + (hint != null ? hint : "the header has " + header) + ")");
            }
        }
    }

    static double parseNumber(String source, int row, String column, String usage, String text) {
        String t = text.trim();
        if (t.isEmpty() || t.equals("NA")) {
            throw DataException.at(source, row, column, "missing value",
                    "fill it in or remove the row; streamglm does not drop rows silently");
        }
        double v;
        try {
            v = Double.parseDouble(t);
        } catch (NumberFormatException e) {
            throw DataException.at(source, row, column, "'" + text + "' is not a number",
                    "fix the value; " + usage + " needs numbers, or declare it \"type\": \"categorical\"");
        }
        if (!Double.isFinite(v)) {
            throw DataException.at(source, row, column, "value " + t + " is not a finite number",
                    "remove or impute the row");
        }
        return v;
    }
}
