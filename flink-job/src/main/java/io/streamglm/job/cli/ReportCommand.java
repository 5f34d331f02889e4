package io.streamglm.job.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamglm.engine.model.ResultJson;
import io.streamglm.engine.report.TrajectoryReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code streamglm report}: the HTML report of a stream's or replay's refit records. */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = "Write one self-contained HTML page of refits (JSON lines from stream or replay): a table of"
                + " the refits and each coefficient's trajectory with its 95%% band.")
public final class ReportCommand implements Callable<Integer> {
    @Option(names = "--fits", required = true, paramLabel = "FITS.jsonl", description = "refit records, one per line")
    Path fits;

    @Option(names = "--out", required = true, paramLabel = "REPORT.html", description = "HTML file to write")
    Path out;

    @Override public Integer call() {
        List<JsonNode> records = new ArrayList<>();
        try {
            int line = 0;
            for (String text : Files.readAllLines(fits)) {
                line++;
                if (text.isBlank()) {
                    continue;
                }
                try {
                    records.add(ResultJson.MAPPER.readTree(text));
                } catch (IOException e) {
                    throw new UsageException(fits + ":" + line + ": not a JSON record (" + e.getMessage().lines()
                            .findFirst().orElse("") + "); give the output of stream or replay");
                }
            }
        } catch (NoSuchFileException e) {
            throw new UsageException(fits + ": no such file (check the --fits path)");
        } catch (IOException e) {
            throw new UncheckedIOException(fits + ": " + e.getMessage(), e);
        }
        AtomicFiles.writeString(out, TrajectoryReport.render(fits.getFileName().toString(), records));
        return 0;
    }
}
