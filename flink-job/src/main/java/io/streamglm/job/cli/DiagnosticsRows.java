package io.streamglm.job.cli;

import io.streamglm.engine.diagnostics.RowDiagnostics;
import io.streamglm.engine.diagnostics.RowDiagnosticsCsv;
import io.streamglm.engine.spec.ModelSpec;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code fit --diagnostics ROWS.csv [--unmodelled COL,...]}: the columns to read for the unmodelled check, and
 * the per-row diagnostics, written through a temporary file as AtomicFiles.
 */
final class DiagnosticsRows {
    private DiagnosticsRows() {
    }

    /** The spec's categorical columns plus the unmodelled ones, which must not be in the model. */
    static Map<String, String> categoricalColumns(ModelSpec spec, Path diagnostics, List<String> unmodelled) {
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
        return columns;
    }

    static void write(Path target, RowDiagnostics rows) {
        Path dir = target.toAbsolutePath().getParent();
        try {
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, "." + target.getFileName(), ".tmp");
            try {
                try (BufferedWriter out = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                    RowDiagnosticsCsv.write(rows, out);
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
