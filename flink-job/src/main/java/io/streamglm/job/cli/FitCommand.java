package io.streamglm.job.cli;

import io.streamglm.connectors.csv.CsvTableReader;
import io.streamglm.engine.data.DataTable;
import io.streamglm.engine.diagnostics.Diagnostics;
import io.streamglm.engine.diagnostics.Holdout;
import io.streamglm.engine.fit.FitStatus;
import io.streamglm.engine.fit.Fitting;
import io.streamglm.engine.model.EngineVersion;
import io.streamglm.engine.model.ModelFile;
import io.streamglm.engine.model.Provenance;
import io.streamglm.engine.model.ResultJson;
import io.streamglm.engine.report.HtmlReport;
import io.streamglm.engine.spec.ModelSpec;
import io.streamglm.engine.spec.SpecParser;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.Callable;
import java.util.concurrent.ForkJoinPool;

/** {@code streamglm fit}: one fit of a CSV file, the engine alone (no Flink). */
@Command(name = "fit", mixinStandardHelpOptions = true,
        description = "Fit a GLM to a CSV file and write the result JSON (R's numbers).")
public final class FitCommand implements Callable<Integer> {
    @Option(names = "--data", required = true, description = "CSV file with a header row")
    Path data;

    @Option(names = "--spec", required = true, description = "model spec JSON")
    Path spec;

    @Option(names = "--out", required = true, description = "result JSON to write")
    Path out;

    @Option(names = "--model-out", description = "model file to write for scoring and streams")
    Path modelOut;

    @Option(names = "--diagnostics", paramLabel = "ROWS.csv", description = "write one row of residuals, leverage"
            + " and influence per data row, and add drop1, vif and actual/expected to the result JSON")
    Path diagnostics;

    @Option(names = "--unmodelled", split = ",", paramLabel = "COLUMN", description = "categorical columns not in"
            + " the model to check with --diagnostics: actual/expected by level and a score test of adding each")
    java.util.List<String> unmodelled = new java.util.ArrayList<>();

    @Option(names = "--unmodelled-numeric", split = ",", paramLabel = "COLUMN", description = "numeric columns not"
            + " in the model to check with --diagnostics: actual/expected by band and a score test of adding each")
    java.util.List<String> unmodelledNumeric = new java.util.ArrayList<>();

    @Option(names = "--holdout", paramLabel = "FRACTION", description = "with --diagnostics: fit on the other rows"
            + " and measure the model on this random fraction of rows too (seeded by --holdout-seed)")
    Double holdout;

    @Option(names = "--holdout-column", paramLabel = "COLUMN",
            description = "with --diagnostics: hold out the rows where this 0/1 column is 1")
    String holdoutColumn;

    @Option(names = "--holdout-seed", defaultValue = "1", description = "seed of --holdout (default: ${DEFAULT-VALUE})")
    long holdoutSeed;

    @Option(names = "--report", paramLabel = "REPORT.html", description = "write the model report: one"
            + " self-contained HTML page (coefficients, relativities, A/E, calibration, lift, residuals)")
    Path report;

    @Option(names = "--compare", paramLabel = "MODEL.json", description = "with --diagnostics: a double lift of"
            + " the fit against this model file (e.g. the model in production) on the fitted rows")
    Path compare;

    @Option(names = "--diagnostics-seed", defaultValue = "1",
            description = "seed of the randomized quantile residuals (default: ${DEFAULT-VALUE})")
    long diagnosticsSeed;

    @Option(names = "--threads", description = "threads for the passes (default: available processors)")
    Integer threads;

    @Option(names = "--quiet", description = "do not print the coefficient table")
    boolean quiet;

    @Option(names = "--timings", description = "print the time of each phase (read, fit, write) to stderr")
    boolean timings;

    @Option(names = "--repeat-fit", defaultValue = "1", hidden = true,
            description = "fit the loaded data this many times and report the median fit time (benchmarks)")
    int repeatFit;

    @Override public Integer call() {
        long t0 = System.nanoTime();
        ModelSpec modelSpec = SpecParser.parse(readSpec(spec), spec.toString());
        ModelFile.Model compared = DiagnosticsRows.readCompared(compare, diagnostics);
        DataTable all = CsvTableReader.read(data,
                DiagnosticsRows.numericColumns(modelSpec, diagnostics, holdoutColumn, unmodelledNumeric, compared),
                DiagnosticsRows.categoricalColumns(modelSpec, diagnostics, unmodelled, compared));
        boolean[] test = DiagnosticsRows.holdout(all, holdout, holdoutColumn, holdoutSeed, diagnostics);
        DataTable table = test == null ? all : all.subset(Holdout.rowsWhere(test, false));
        long t1 = System.nanoTime();
        int parallelism = threads != null ? threads : Runtime.getRuntime().availableProcessors();
        ForkJoinPool pool = parallelism > 1 ? new ForkJoinPool(parallelism) : null;
        Fitting.Detailed detailed = null;
        Diagnostics diag = null;
        long diagNanos = 0;
        long[] fitNanos = new long[Math.max(1, repeatFit)];
        try {
            for (int r = 0; r < fitNanos.length; r++) {
                long start = System.nanoTime();
                detailed = Fitting.fitDetailed(modelSpec, table, pool);
                fitNanos[r] = System.nanoTime() - start;
            }
            if (diagnostics != null || report != null) {
                long start = System.nanoTime();
                diag = Diagnostics.compute(detailed, table, unmodelled, unmodelledNumeric, diagnosticsSeed, pool);
                if (diag != null && compared != null) {
                    diag = DiagnosticsRows.withDoubleLift(diag, compare, compared, detailed, table);
                }
                if (diag != null && test != null) {
                    diag = diag.withHoldout(Holdout.compute(detailed, all, Holdout.rowsWhere(test, true),
                            diagnosticsSeed, pool));
                }
                diagNanos = System.nanoTime() - start;
            }
        } finally {
            if (pool != null) {
                pool.shutdown();
            }
        }
        Fitting.Output output = detailed.output();
        long t2 = System.nanoTime();
        AtomicFiles.writeString(out, ResultJson.toJson(output.result(), diag).toPrettyString() + "\n");
        if (diag != null && diagnostics != null) {
            DiagnosticsRows.write(diagnostics, diag, test);
        }
        if (report != null) {
            AtomicFiles.writeString(report, HtmlReport.render(data.getFileName() + " — " + spec.getFileName(),
                    output.result(), output.design(), diag));
        }
        if (modelOut != null && output.result().status() != FitStatus.FAILED) {
            Provenance provenance = new Provenance("fit", ModelFile.specSha256(modelSpec), EngineVersion.get(),
                    data.toAbsolutePath().toString(), output.rows(), Instant.now().toString());
            AtomicFiles.writeString(modelOut, ModelFile.toJson(modelSpec, output.design(), output.result(), provenance)
                    .toPrettyString() + "\n");
        }
        long t3 = System.nanoTime();
        if (!quiet) {
            System.out.print(CoefficientTable.format(output.result()));
        }
        if (timings) {
            java.util.Arrays.sort(fitNanos);
            System.err.printf(java.util.Locale.ROOT, "timings: read %.3f s, fit %.3f s (median of %d), write %.3f s,"
                    + " rows %d, columns %d, iterations %d%n", (t1 - t0) / 1e9, fitNanos[fitNanos.length / 2] / 1e9,
                    fitNanos.length, (t3 - t2) / 1e9, output.rows(), output.design().columns(),
                    output.result().iterations());
            if (diag != null) {
                System.err.printf(java.util.Locale.ROOT, "timings: diagnostics %.3f s (rows, drop1 refits, vif, A/E)%n",
                        diagNanos / 1e9);
            }
        }
        return output.result().status() == FitStatus.FAILED ? StreamGlm.EXIT_FIT_FAILED : 0;
    }

    static String readSpec(Path path) {
        try {
            return Files.readString(path);
        } catch (NoSuchFileException e) {
            throw new UsageException(path + ": no such spec file (check the --spec path)");
        } catch (IOException e) {
            throw new UncheckedIOException(path + ": " + e.getMessage(), e);
        }
    }
}
