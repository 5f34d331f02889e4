package io.streamglm.job.cli;

import io.streamglm.engine.data.DataTable;
import io.streamglm.engine.diagnostics.Diagnostics;
import io.streamglm.engine.diagnostics.DoubleLift;
import io.streamglm.engine.diagnostics.Holdout;
import io.streamglm.engine.diagnostics.RowDiagnosticsCsv;
import io.streamglm.engine.fit.Fitting;
import io.streamglm.engine.model.ModelFile;
import io.streamglm.engine.model.TableScoring;
import io.streamglm.engine.report.HtmlReport;
import io.streamglm.engine.spec.ModelSpec;
import picocli.CommandLine.Option;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ForkJoinPool;

/**
 * The diagnostics options of {@code fit} (a picocli mixin) and what they do around the fit: which extra columns
 * to read (unmodelled, holdout, the compared model's), which rows to hold out, the diagnostics to compute, and
 * the per-row CSV and HTML report to write (through temporary files, as AtomicFiles).
 */
public final class DiagnosticsOptions {
    @Option(names = "--diagnostics", paramLabel = "ROWS.csv", description = "write one row of residuals, leverage"
            + " and influence per data row, and add drop1, vif, actual/expected and lift to the result JSON")
    Path rowsCsv;

    @Option(names = "--report", paramLabel = "REPORT.html", description = "write the model report: one"
            + " self-contained HTML page (coefficients, relativities, A/E, calibration, lift, residuals)")
    Path report;

    @Option(names = "--unmodelled", split = ",", paramLabel = "COLUMN", description = "categorical columns not in"
            + " the model to check with --diagnostics: actual/expected by level and a score test of adding each")
    List<String> unmodelled = new ArrayList<>();

    @Option(names = "--unmodelled-numeric", split = ",", paramLabel = "COLUMN", description = "numeric columns not"
            + " in the model to check with --diagnostics: actual/expected by band and a score test of adding each")
    List<String> unmodelledNumeric = new ArrayList<>();

    @Option(names = "--holdout", paramLabel = "FRACTION", description = "with --diagnostics: fit on the other rows"
            + " and measure the model on this random fraction of rows too (seeded by --holdout-seed)")
    Double holdout;

    @Option(names = "--holdout-column", paramLabel = "COLUMN",
            description = "with --diagnostics: hold out the rows where this 0/1 column is 1")
    String holdoutColumn;

    @Option(names = "--holdout-seed", defaultValue = "1", description = "seed of --holdout (default: ${DEFAULT-VALUE})")
    long holdoutSeed;

    @Option(names = "--compare", paramLabel = "MODEL.json", description = "with --diagnostics: a double lift of"
            + " the fit against this model file (e.g. the model in production) on the fitted rows")
    Path compare;

    @Option(names = "--diagnostics-seed", defaultValue = "1",
            description = "seed of the randomized quantile residuals (default: ${DEFAULT-VALUE})")
    long seed;

    private ModelFile.Model compared;
    private boolean[] test;

    /** Checks the options against the spec and reads the compared model; call before reading the data. */
    void prepare(ModelSpec spec) {
        if (rowsCsv == null && (!unmodelled.isEmpty() || !unmodelledNumeric.isEmpty() || holdout != null
                || holdoutColumn != null || compare != null)) {
            throw new UsageException("--unmodelled, --unmodelled-numeric, --holdout, --holdout-column and --compare"
                    + " are parts of the diagnostics: add --diagnostics ROWS.csv");
        }
        if (holdout != null && holdoutColumn != null) {
            throw new UsageException("--holdout and --holdout-column exclude each other: give one");
        }
        if (holdout != null && !(holdout > 0 && holdout < 1)) {
            throw new UsageException("--holdout " + holdout + ": give the fraction of rows to hold out, in (0, 1)");
        }
        compared = compare == null ? null : readModel(compare);
    }

    /**
     * The spec's numeric columns plus the numeric unmodelled ones, a holdout column and the compared model's.
     */
    Map<String, String> numericColumns(ModelSpec spec) {
        Map<String, String> columns = new LinkedHashMap<>(spec.numericColumnUsage());
        for (String column : unmodelledNumeric) {
            columns.put(column, outOfModel(spec, "--unmodelled-numeric", column));
        }
        if (holdoutColumn != null) {
            columns.put(holdoutColumn, outOfModel(spec, "--holdout-column", holdoutColumn));
        }
        if (compared != null) {
            compared.spec().numericColumnUsage().forEach((c, use) -> columns.putIfAbsent(c, "--compare " + use));
        }
        return columns;
    }

    /** The spec's categorical columns plus the unmodelled ones and the compared model's. */
    Map<String, String> categoricalColumns(ModelSpec spec) {
        Map<String, String> columns = new LinkedHashMap<>(spec.categoricalColumnUsage());
        for (String column : unmodelled) {
            columns.put(column, outOfModel(spec, "--unmodelled", column));
        }
        if (compared != null) {
            compared.spec().categoricalColumnUsage().forEach((c, use) -> columns.putIfAbsent(c, "--compare " + use));
        }
        return columns;
    }

    /** The rows to fit: all of them, or those not held out. */
    DataTable training(DataTable all) {
        if (holdout == null && holdoutColumn == null) {
            return all;
        }
        test = holdoutColumn != null ? Holdout.byColumn(all, holdoutColumn)
                : Holdout.random(all.rows(), holdout, holdoutSeed);
        int testRows = Holdout.rowsWhere(test, true).length;
        if (testRows == 0 || testRows == test.length) {
            throw new UsageException("the holdout leaves " + (testRows == 0 ? "no test" : "no training")
                    + " rows: choose another fraction or column");
        }
        return all.subset(Holdout.rowsWhere(test, false));
    }

    /** The diagnostics asked for, or null when none are (or the fit failed). */
    Diagnostics compute(Fitting.Detailed fit, DataTable all, DataTable training, ForkJoinPool pool) {
        if (rowsCsv == null && report == null) {
            return null;
        }
        Diagnostics diag = Diagnostics.compute(fit, training, unmodelled, unmodelledNumeric, seed, pool);
        if (diag != null && compared != null) {
            String exposure = fit.output().spec().exposure();
            diag = diag.withDoubleLift(DoubleLift.compute(compare.toString(), fit.matrix(), diag.rows().fitted(),
                    TableScoring.means(compared, training), exposure == null ? null : training.numeric(exposure)));
        }
        if (diag != null && test != null) {
            diag = diag.withHoldout(Holdout.compute(fit, all, Holdout.rowsWhere(test, true), seed, pool));
        }
        return diag;
    }

    /** Writes the rows CSV and the report, where asked for. */
    void write(Fitting.Output output, Diagnostics diag, String title) {
        if (diag != null && rowsCsv != null) {
            writeThroughTemporary(rowsCsv, out -> {
                if (diag.holdout() == null) {
                    RowDiagnosticsCsv.write(diag.rows(), out);
                } else {
                    RowDiagnosticsCsv.write(diag.rows(), Holdout.rowsWhere(test, false), diag.holdout().rows(),
                            diag.holdout().testRows(), out);
                }
            });
        }
        if (report != null) {
            AtomicFiles.writeString(report, HtmlReport.render(title, output.result(), output.design(), diag));
        }
    }

    private static String outOfModel(ModelSpec spec, String option, String column) {
        String use = spec.numericColumnUsage().containsKey(column) ? spec.numericColumnUsage().get(column)
                : spec.categoricalColumnUsage().get(column);
        if (use != null) {
            throw new UsageException(option + " " + column + ": the column is in the model (" + use
                    + "); name a column the spec does not use");
        }
        return option;
    }

    private static ModelFile.Model readModel(Path file) {
        try {
            return ModelFile.read(Files.readString(file), file.toString());
        } catch (NoSuchFileException e) {
            throw new UsageException(file + ": no such model file (check the --compare path)");
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": " + e.getMessage(), e);
        }
    }

    private interface Body {
        void write(BufferedWriter out) throws IOException;
    }

    private static void writeThroughTemporary(Path target, Body body) {
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
