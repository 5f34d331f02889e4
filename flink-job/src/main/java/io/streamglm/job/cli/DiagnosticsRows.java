package io.streamglm.job.cli;

import io.streamglm.engine.data.DataTable;
import io.streamglm.engine.diagnostics.Diagnostics;
import io.streamglm.engine.diagnostics.DoubleLift;
import io.streamglm.engine.diagnostics.Holdout;
import io.streamglm.engine.fit.Fitting;
import io.streamglm.engine.model.ModelFile;
import io.streamglm.engine.model.TableScoring;
import io.streamglm.engine.diagnostics.RowDiagnosticsCsv;
import io.streamglm.engine.spec.ModelSpec;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code fit --diagnostics ROWS.csv [--unmodelled COL,...] [--holdout F | --holdout-column C] [--compare M]}:
 * the columns to read for the unmodelled check, the holdout and the compared model, which rows are held out,
 * the double lift, and the per-row diagnostics, written through a temporary file as AtomicFiles.
 */
final class DiagnosticsRows {
    private DiagnosticsRows() {
    }

    /**
     * The spec's categorical columns plus the unmodelled ones, which must not be in the model, and the compared
     * model's.
     */
    static Map<String, String> categoricalColumns(ModelSpec spec, Path diagnostics, List<String> unmodelled,
                                                  ModelFile.Model compared) {
        if (!unmodelled.isEmpty() && diagnostics == null) {
            throw new UsageException("--unmodelled is part of the diagnostics: add --diagnostics ROWS.csv");
        }
        Map<String, String> columns = new LinkedHashMap<>(spec.categoricalColumnUsage());
        for (String column : unmodelled) {
            String use = columns.containsKey(column) ? columns.get(column) : spec.numericColumnUsage().get(column);
            if (use != null) {
                throw new UsageException("--unmodelled " + column + ": the column is in the model (" + use
                        + "); name columns the spec does not use");
            }
            columns.put(column, "--unmodelled");
        }
        if (compared != null) {
            compared.spec().categoricalColumnUsage().forEach((c, use) -> columns.putIfAbsent(c, "--compare " + use));
        }
        return columns;
    }

    /** The model file of {@code --compare}, or null without one. */
    static ModelFile.Model readCompared(Path compare, Path diagnostics) {
        if (compare == null) {
            return null;
        }
        if (diagnostics == null) {
            throw new UsageException("--compare draws a double lift in the diagnostics: add --diagnostics ROWS.csv");
        }
        try {
            return ModelFile.read(Files.readString(compare), compare.toString());
        } catch (NoSuchFileException e) {
            throw new UsageException(compare + ": no such model file (check the --compare path)");
        } catch (IOException e) {
            throw new UncheckedIOException(compare + ": " + e.getMessage(), e);
        }
    }

    /** The double lift of the fit against the compared model on the fitted rows. */
    static Diagnostics withDoubleLift(Diagnostics diag, Path compare, ModelFile.Model compared,
                                      Fitting.Detailed fit, DataTable table) {
        String exposure = fit.output().spec().exposure();
        return diag.withDoubleLift(DoubleLift.compute(compare.toString(), fit.matrix(), diag.rows().fitted(),
                TableScoring.means(compared, table), exposure == null ? null : table.numeric(exposure)));
    }

    /**
     * The spec's numeric columns plus a holdout column, the numeric unmodelled ones (which must not be in the
     * model) and the compared model's numeric columns.
     */
    static Map<String, String> numericColumns(ModelSpec spec, Path diagnostics, String holdoutColumn,
                                              List<String> unmodelledNumeric, ModelFile.Model compared) {
        if (!unmodelledNumeric.isEmpty() && diagnostics == null) {
            throw new UsageException("--unmodelled-numeric is part of the diagnostics: add --diagnostics ROWS.csv");
        }
        Map<String, String> columns = new LinkedHashMap<>(spec.numericColumnUsage());
        for (String column : unmodelledNumeric) {
            String use = columns.containsKey(column) ? columns.get(column) : spec.categoricalColumnUsage().get(column);
            if (use != null) {
                throw new UsageException("--unmodelled-numeric " + column + ": the column is in the model (" + use
                        + "); name columns the spec does not use");
            }
            columns.put(column, "--unmodelled-numeric");
        }
        if (compared != null) {
            compared.spec().numericColumnUsage().forEach((c, use) -> columns.putIfAbsent(c, "--compare " + use));
        }
        if (holdoutColumn != null) {
            String use = columns.get(holdoutColumn) != null ? columns.get(holdoutColumn)
                    : spec.categoricalColumnUsage().get(holdoutColumn);
            if (use != null) {
                throw new UsageException("--holdout-column " + holdoutColumn + ": the column is in the model (" + use
                        + "); mark test rows in a column of their own (1 test, 0 train)");
            }
            columns.put(holdoutColumn, "--holdout-column");
        }
        return columns;
    }

    /** Test-row flags, or null without a holdout. */
    static boolean[] holdout(DataTable table, Double fraction, String column, long seed, Path diagnostics) {
        if (fraction == null && column == null) {
            return null;
        }
        if (diagnostics == null) {
            throw new UsageException("a holdout is measured by the diagnostics: add --diagnostics ROWS.csv");
        }
        if (fraction != null && column != null) {
            throw new UsageException("--holdout and --holdout-column exclude each other: give one");
        }
        if (fraction != null && !(fraction > 0 && fraction < 1)) {
            throw new UsageException("--holdout " + fraction + ": give the fraction of rows to hold out, in (0, 1)");
        }
        boolean[] test = column != null ? Holdout.byColumn(table, column) : Holdout.random(table.rows(), fraction, seed);
        int testRows = Holdout.rowsWhere(test, true).length;
        if (testRows == 0 || testRows == test.length) {
            throw new UsageException("the holdout leaves " + (testRows == 0 ? "no test" : "no training")
                    + " rows: choose another fraction or column");
        }
        return test;
    }

    /** Writes the rows of the fit, and with a holdout the test rows too (in data order, with a set column). */
    static void write(Path target, Diagnostics diag, boolean[] test) {
        write(target, out -> {
            if (diag.holdout() == null) {
                RowDiagnosticsCsv.write(diag.rows(), out);
            } else {
                RowDiagnosticsCsv.write(diag.rows(), Holdout.rowsWhere(test, false), diag.holdout().rows(),
                        diag.holdout().testRows(), out);
            }
        });
    }

    private interface Body {
        void write(BufferedWriter out) throws IOException;
    }

    private static void write(Path target, Body body) {
        Path dir = target.toAbsolutePath().getParent();
        try {
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, "." + target.getFileName(), ".tmp");
            try {
                try (BufferedWriter out = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                    body.write(out);
                }
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target + ": " + e.getMessage(), e);
        }
    }
}
