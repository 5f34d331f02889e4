package io.streamglm.job.cli;

import io.streamglm.engine.data.CategoricalColumn;
import io.streamglm.engine.data.DataTable;
import io.streamglm.engine.diagnostics.WindowSummary;
import io.streamglm.engine.fit.Fitting;
import io.streamglm.engine.model.RefitRecord;
import io.streamglm.engine.spec.ModelSpec;
import io.streamglm.engine.spec.SpecParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code streamglm report --fits}: one page with a row per refit and a trajectory per coefficient. */
class ReportCommandTest {
    @TempDir
    Path dir;

    @Test
    void aPagePerRefitLogWithATrajectoryPerCoefficient() throws IOException {
        ModelSpec spec = SpecParser.parse("{\"response\": \"y\", \"family\": \"poisson\", \"terms\": {"
                + "\"x\": {\"type\": \"linear\"}, \"g\": {\"type\": \"categorical\"}}}", null);
        List<String> lines = new ArrayList<>();
        WindowSummary.PreviousModel previous = null;
        for (int w = 0; w < 4; w++) {
            Fitting.Detailed fit = Fitting.fitDetailed(spec, window(w), null);
            var result = fit.output().result();
            var json = RefitRecord.toJson("freq", "w:" + w, "tumbling", w * 3_600_000L, (w + 1) * 3_600_000L, 60,
                    "exact", result, Map.of());
            RefitRecord.addSummary(json, WindowSummary.compute(fit.matrix(), fit.output().design(),
                    fit.output().model(), result, null, previous), null);
            lines.add(json.toString());
            // the next window is scored with this model, its level b effect 2 too high: b flags
            double[] beta = result.linearPredictorCoefficients();
            beta[fit.output().design().columnNames().indexOf("g[T.b]")] += 2;
            previous = new WindowSummary.PreviousModel("w:" + w, beta, 1.0, Double.NaN);
        }
        Path fits = dir.resolve("fits.jsonl");
        Files.write(fits, lines);
        CliRun run = CliRun.of("report", "--fits", fits.toString(), "--out", dir.resolve("r.html").toString());
        assertThat(run.exitCode()).as("stderr: %s", run.err()).isZero();
        String html = Files.readString(dir.resolve("r.html"));
        assertThat(html).startsWith("<!DOCTYPE html>").contains("4 refits of 1 model(s).", "<h2>freq</h2>")
                .doesNotContain("<script", "src=", "href=");
        assertThat(Pattern.compile("<tr><td>w:").matcher(html).results().count()).as("4 refits, 3 drifts")
                .isEqualTo(7);
        assertThat(Pattern.compile("<svg ").matcher(html).results().count()).as("Intercept, x, g[T.b]").isEqualTo(3);
        // each refit's drift check: the first has no previous model, the others flag level b, listed by refit
        assertThat(html).contains("<td>first</td>", "Drift: levels whose A/E");
        assertThat(Pattern.compile("<tr><td>w:[123]</td><td>w:[012]</td><td>g</td><td>b</td>").matcher(html)
                .results().count()).isEqualTo(3);

        Files.writeString(dir.resolve("bad.jsonl"), "{not json\n");
        CliRun bad = CliRun.of("report", "--fits", dir.resolve("bad.jsonl").toString(), "--out",
                dir.resolve("b.html").toString());
        assertThat(bad.exitCode()).isEqualTo(StreamGlm.EXIT_BAD_INPUT);
        assertThat(bad.err()).contains("bad.jsonl:1: not a JSON record");
    }

    private static DataTable window(int w) {
        int n = 60;
        double[] x = new double[n];
        double[] y = new double[n];
        int[] g = new int[n];
        for (int i = 0; i < n; i++) {
            x[i] = ((i * 7 + w) % 11) / 5.0;
            g[i] = (i + w) % 2;
            y[i] = (i * 3 + w) % 5 + (x[i] > 1 ? 1 : 0);
        }
        Map<String, double[]> numeric = new LinkedHashMap<>();
        numeric.put("x", x);
        numeric.put("y", y);
        Map<String, CategoricalColumn> cats = new LinkedHashMap<>();
        cats.put("g", new CategoricalColumn(g, List.of("a", "b")));
        return new DataTable("window", n, numeric, cats, List.of("x", "y", "g"));
    }
}
