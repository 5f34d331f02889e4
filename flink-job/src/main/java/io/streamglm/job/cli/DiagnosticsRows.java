package io.streamglm.job.cli;

import io.streamglm.engine.diagnostics.RowDiagnostics;
import io.streamglm.engine.diagnostics.RowDiagnosticsCsv;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** {@code fit --diagnostics ROWS.csv}: the per-row diagnostics, written through a temporary file as AtomicFiles. */
final class DiagnosticsRows {
    private DiagnosticsRows() {
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
