package io.streamglm.job.cli;

import io.streamglm.job.synthetic.SyntheticClaims;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code streamglm generate}: the synthetic claims data set used by the benchmark and the demo. */
@Command(name = "generate", mixinStandardHelpOptions = true,
        description = "Write the synthetic claims data (8 normals, 20- and 50-level categoricals, exposure,"
                + " Poisson claims, Gamma amounts) and its specs.")
public final class GenerateCommand implements Callable<Integer> {
    @Option(names = "--rows", defaultValue = "1000000", description = "rows to write (default ${DEFAULT-VALUE})")
    long rows;

    @Option(names = "--seed", defaultValue = "20261125", description = "random seed (default ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--out", required = true, description = "CSV file to write")
    Path out;

    @Option(names = "--time-from", paramLabel = "ISO-8601",
            description = "add a last column ts: record times in epoch milliseconds, whole hours in row order, from this"
                    + " instant (e.g. 2025-01-12T00:00:00Z) over --time-days")
    String timeFrom;

    @Option(names = "--time-days", defaultValue = "360", description = "days the ts column spans (default ${DEFAULT-VALUE})")
    long timeDays;

    @Option(names = "--spec-dir", description = "also write poisson.json, gamma.json and truth.json here")
    Path specDir;

    @Override public Integer call() throws IOException {
        if (rows < 1) {
            throw new UsageException("--rows must be >= 1, got " + rows);
        }
        Path tmp = out.resolveSibling("." + out.getFileName() + ".tmp");
        SyntheticClaims.TimeSpan span = null;
        if (timeFrom != null) {
            if (timeDays < 1) {
                throw new UsageException("--time-days must be >= 1, got " + timeDays);
            }
            try {
                span = new SyntheticClaims.TimeSpan(java.time.Instant.parse(timeFrom).toEpochMilli(),
                        timeDays * 86_400_000L);
            } catch (java.time.format.DateTimeParseException e) {
                throw new UsageException("--time-from " + timeFrom + ": give an ISO-8601 instant such as"
                        + " 2025-01-12T00:00:00Z");
            }
        }
        SyntheticClaims.writeCsv(tmp, rows, seed, span);
        Files.move(tmp, out, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        if (specDir != null) {
            Files.createDirectories(specDir);
            AtomicFiles.writeString(specDir.resolve("poisson.json"), SyntheticClaims.poissonSpec());
            AtomicFiles.writeString(specDir.resolve("gamma.json"), SyntheticClaims.gammaSpec());
            AtomicFiles.writeString(specDir.resolve("truth.json"), truthJson());
        }
        System.err.printf("wrote %d rows to %s%n", rows, out);
        return 0;
    }

    private static String truthJson() {
        StringBuilder sb = new StringBuilder("{\n  \"poisson\": ");
        append(sb, SyntheticClaims.poissonTruth());
        sb.append(",\n  \"gamma\": ");
        append(sb, SyntheticClaims.gammaTruth());
        return sb.append("\n}\n").toString();
    }

    private static void append(StringBuilder sb, Map<String, Double> m) {
        sb.append('{');
        boolean first = true;
        for (Map.Entry<String, Double> e : m.entrySet()) {
            sb.append(first ? "" : ", ").append('"').append(e.getKey()).append("\": ").append(e.getValue());
            first = false;
        }
        sb.append('}');
    }
}
