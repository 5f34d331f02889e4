package io.streamglm.job.cli;

import io.streamglm.connectors.csv.CsvTableReader;
import io.streamglm.engine.data.DataTable;
import io.streamglm.engine.diagnostics.Diagnostics;
import io.streamglm.engine.fit.FitStatus;
import io.streamglm.engine.fit.Fitting;
import io.streamglm.engine.model.EngineVersion;
import io.streamglm.engine.model.ModelFile;
import io.streamglm.engine.model.Provenance;
import io.streamglm.engine.model.ResultJson;
import io.streamglm.engine.spec.ModelSpec;
import io.streamglm.engine.spec.SpecParser;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
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

    @Mixin
    DiagnosticsOptions diagnostics = new DiagnosticsOptions();

    @Option(names = "--plot-path", paramLabel = "PATH.svg", description = "a penalized fit: write glmnet's"
            + " pictures as an SVG file, the coefficient paths against log(lambda) and the CV curve")
    Path plotPath;

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
        if (plotPath != null && !modelSpec.penalized()) {
            throw new UsageException("--plot-path " + plotPath + ": the spec has no penalty, so there is no path to"
                    + " plot; add a \"penalty\" object to the spec (docs/penalized.md) or leave the option out");
        }
        diagnostics.prepare(modelSpec);
        DataTable all = CsvTableReader.read(data, diagnostics.numericColumns(modelSpec),
                diagnostics.categoricalColumns(modelSpec));
        DataTable table = diagnostics.training(all);
        long t1 = System.nanoTime();
        if (modelSpec.penalized()) {
            return PenalizedFit.run(modelSpec, table, data, out, modelOut, plotPath, quiet);
        }
        int parallelism = threads != null ? threads : Runtime.getRuntime().availableProcessors();
        ForkJoinPool pool = parallelism > 1 ? new ForkJoinPool(parallelism) : null;
        Fitting.Detailed detailed = null;
        Diagnostics diag;
        long diagNanos;
        long[] fitNanos = new long[Math.max(1, repeatFit)];
        try {
            for (int r = 0; r < fitNanos.length; r++) {
                long start = System.nanoTime();
                detailed = Fitting.fitDetailed(modelSpec, table, pool);
                fitNanos[r] = System.nanoTime() - start;
            }
            long start = System.nanoTime();
            diag = diagnostics.compute(detailed, all, table, pool);
            diagNanos = System.nanoTime() - start;
        } finally {
            if (pool != null) {
                pool.shutdown();
            }
        }
        Fitting.Output output = detailed.output();
        long t2 = System.nanoTime();
        AtomicFiles.writeString(out, ResultJson.toJson(output.result(), diag).toPrettyString() + "\n");
        diagnostics.write(output, diag, data.getFileName() + " — " + spec.getFileName());
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
                System.err.printf(java.util.Locale.ROOT, "timings: diagnostics %.3f s%n", diagNanos / 1e9);
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
