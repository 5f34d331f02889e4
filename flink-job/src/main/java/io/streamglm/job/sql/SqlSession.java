package io.streamglm.job.sql;

import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.CsvRecord;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.table.api.TableResult;
import org.apache.flink.types.Row;
import org.apache.flink.util.CloseableIterator;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A local Flink SQL session with the streamglm functions registered ({@code GLM_PREDICT}, {@code GLM_LINK},
 * {@code GLM_PREDICT_INTERVAL}) and CSV files exposed as tables: a column whose values all read as numbers is a
 * DOUBLE, any other a STRING.
 */
public final class SqlSession implements AutoCloseable {
    private final TableEnvironment tEnv;
    private final List<Path> temporary = new ArrayList<>();

    public SqlSession() {
        tEnv = TableEnvironment.create(EnvironmentSettings.inBatchMode());
        registerFunctions(tEnv);
    }

    public SqlSession(TableEnvironment tEnv) {
        this.tEnv = tEnv;
        registerFunctions(tEnv);
    }

    /** Registers the functions in any table environment (as {@code CREATE TEMPORARY SYSTEM FUNCTION} would). */
    public static void registerFunctions(TableEnvironment tEnv) {
        tEnv.createTemporarySystemFunction("GLM_PREDICT", GlmPredict.class);
        tEnv.createTemporarySystemFunction("GLM_LINK", GlmLink.class);
        tEnv.createTemporarySystemFunction("GLM_PREDICT_INTERVAL", GlmPredictInterval.class);
    }

    public TableEnvironment tableEnvironment() {
        return tEnv;
    }

    /** Exposes a CSV file with a header row as a table. */
    public void registerCsv(String name, Path csv) {
        List<String> header = null;
        List<Boolean> numeric = new ArrayList<>();
        Path body;
        try {
            body = Files.createTempFile("streamglm-sql-", ".csv");
            temporary.add(body);
            try (CsvReader<CsvRecord> reader = CsvReader.builder().ofCsvRecord(csv);
                 BufferedWriter out = Files.newBufferedWriter(body, StandardCharsets.UTF_8)) {
                for (CsvRecord r : reader) {
                    if (header == null) {
                        header = r.getFields();
                        header.forEach(h -> numeric.add(true));
                        continue;
                    }
                    StringBuilder line = new StringBuilder();
                    for (int i = 0; i < r.getFieldCount(); i++) {
                        String v = r.getField(i);
                        if (i < numeric.size() && numeric.get(i) && !v.isEmpty()) {
                            try {
                                Double.parseDouble(v);
                            } catch (NumberFormatException e) {
                                numeric.set(i, false);
                            }
                        }
                        line.append(i == 0 ? "" : ",").append('"').append(v.replace("\"", "\"\"")).append('"');
                    }
                    out.write(line.append('\n').toString());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(csv + ": " + e.getMessage(), e);
        }
        if (header == null) {
            throw new IllegalArgumentException(csv + ": the file is empty (it needs a header row)");
        }
        StringBuilder ddl = new StringBuilder("CREATE TEMPORARY TABLE `" + name + "` (");
        for (int i = 0; i < header.size(); i++) {
            ddl.append(i == 0 ? "" : ", ").append('`').append(header.get(i)).append("` ")
                    .append(numeric.get(i) ? "DOUBLE" : "STRING");
        }
        ddl.append(") WITH ('connector' = 'filesystem', 'path' = '").append(body.toUri())
                .append("', 'format' = 'csv')");
        tEnv.executeSql(ddl.toString());
    }

    public TableResult execute(String sql) {
        return tEnv.executeSql(sql);
    }

    /** Runs a query and writes its rows as CSV with a header row. */
    public long writeCsv(String sql, Path out) {
        TableResult result = tEnv.executeSql(sql);
        List<String> names = result.getResolvedSchema().getColumnNames();
        long rows = 0;
        try (CloseableIterator<Row> it = result.collect();
             BufferedWriter w = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
            w.write(String.join(",", names));
            w.write('\n');
            while (it.hasNext()) {
                Row row = it.next();
                StringBuilder line = new StringBuilder();
                for (int i = 0; i < row.getArity(); i++) {
                    Object v = row.getField(i);
                    line.append(i == 0 ? "" : ",").append(v == null ? "" : csv(v.toString()));
                }
                w.write(line.append('\n').toString());
                rows++;
            }
        } catch (Exception e) {
            throw new IllegalStateException("query failed: " + e.getMessage(), e);
        }
        return rows;
    }

    private static String csv(String v) {
        return v.contains(",") || v.contains("\"") ? '"' + v.replace("\"", "\"\"") + '"' : v;
    }

    @Override public void close() {
        for (Path p : temporary) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException e) {
                // temporary files are only a nuisance
            }
        }
    }
}
