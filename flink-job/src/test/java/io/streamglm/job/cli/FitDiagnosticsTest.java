package io.streamglm.job.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code fit --diagnostics ROWS.csv}: one CSV line per data row and a diagnostics object in the result JSON. */
class FitDiagnosticsTest {
    private static final String DATA = "y,x,region,zone\n1,0.5,\"north\",a\n0,1.5,\"south\",b\n3,2.5,\"north\",a\n"
            + "2,0.1,\"south\",b\n4,2.0,\"east\",a\n1,0.7,\"east\",b\n2,1.1,\"north\",b\n0,0.2,\"south\",a\n";
    private static final String SPEC = "{\"response\": \"y\", \"family\": \"poisson\", \"terms\": {"
            + "\"x\": {\"type\": \"linear\"}, \"region\": {\"type\": \"categorical\"}}}";

    @TempDir
    Path dir;

    private CliRun fit(long seed, String rows, String... more) throws IOException {
        Path d = dir.resolve("data.csv");
        Path s = dir.resolve("spec.json");
        Files.writeString(d, DATA);
        Files.writeString(s, SPEC);
        List<String> args = new java.util.ArrayList<>(List.of("fit", "--data", d.toString(), "--spec", s.toString(),
                "--out", dir.resolve("result.json").toString(), "--diagnostics-seed", Long.toString(seed), "--quiet"));
        if (rows != null) {
            args.addAll(List.of("--diagnostics", dir.resolve(rows).toString()));
        }
        args.addAll(List.of(more));
        return CliRun.of(args.toArray(String[]::new));
    }

    @Test
    void writesOneLinePerRowAndTheDiagnosticsObject() throws IOException {
        CliRun run = fit(7, "rows.csv", "--unmodelled", "zone");
        assertThat(run.exitCode()).as("stderr: %s", run.err()).isZero();
        List<String> lines = Files.readAllLines(dir.resolve("rows.csv"));
        assertThat(lines).hasSize(9);
        assertThat(lines.get(0)).isEqualTo("row,fitted,linear_predictor,resid_response,resid_working,resid_pearson,"
                + "resid_deviance,hat,cooks_distance,std_resid_deviance,resid_quantile");
        assertThat(lines.get(8)).startsWith("7,");
        double hatSum = lines.stream().skip(1).mapToDouble(l -> Double.parseDouble(l.split(",")[7])).sum();
        assertThat(hatSum).as("leverages sum to the rank").isCloseTo(4.0, org.assertj.core.data.Offset.offset(1e-9));

        JsonNode diag = new ObjectMapper().readTree(dir.resolve("result.json").toFile()).path("diagnostics");
        assertThat(diag.path("drop1_test").asText()).isEqualTo("Chisq");
        assertThat(diag.path("drop1").path("region").path("df").asInt()).isEqualTo(2);
        assertThat(diag.path("vif").path("x").path("gvif").asDouble()).isGreaterThanOrEqualTo(1.0);
        assertThat(diag.path("actual_expected").path("region")).hasSize(3);
        assertThat(diag.path("unmodelled").path("zone").path("score_test").path("df").asInt()).isEqualTo(1);
        assertThat(diag.path("unmodelled").path("zone").path("actual_expected")).hasSize(2);
        assertThat(diag.path("lift").path("gini").isNumber()).isTrue();
    }

    @Test
    void aHoldoutColumnSplitsTheRowsAndMeasuresTheTestRows() throws IOException {
        CliRun run = fit40("test", i -> i % 5 == 0 ? 1 : 0, "--holdout-column", "test");
        assertThat(run.exitCode()).as("stderr: %s", run.err()).isZero();
        List<String> lines = Files.readAllLines(dir.resolve("rows.csv"));
        assertThat(lines).hasSize(41);
        assertThat(lines.get(0)).startsWith("row,set,fitted,");
        assertThat(lines.get(1)).startsWith("0,test,");
        assertThat(lines.get(2)).startsWith("1,train,");
        assertThat(lines.stream().filter(l -> l.contains(",test,"))).hasSize(8);
        JsonNode result = new ObjectMapper().readTree(dir.resolve("result.json").toFile());
        assertThat(result.path("n").asInt()).as("fitted on the training rows").isEqualTo(32);
        JsonNode holdout = result.path("diagnostics").path("holdout");
        assertThat(holdout.path("rows").asInt()).isEqualTo(8);
        assertThat(holdout.path("deviance").isNumber()).isTrue();
        assertThat(holdout.path("actual_expected").path("region")).hasSize(2);
        assertThat(holdout.path("lift").path("gini").isNumber()).isTrue();

        CliRun both = fit40("test", i -> i % 5 == 0 ? 1 : 0, "--holdout-column", "test", "--holdout", "0.2");
        assertThat(both.exitCode()).isEqualTo(StreamGlm.EXIT_BAD_INPUT);
        assertThat(both.err()).contains("exclude each other");
    }

    @Test
    void compareDrawsADoubleLiftAgainstAModelFile() throws IOException {
        Path d = dir.resolve("data.csv");
        Path s = dir.resolve("spec.json");
        Files.writeString(d, DATA);
        Files.writeString(s, SPEC);
        Path model = dir.resolve("model.json");
        assertThat(CliRun.of("fit", "--data", d.toString(), "--spec", s.toString(), "--out",
                dir.resolve("first.json").toString(), "--model-out", model.toString(), "--quiet").exitCode()).isZero();
        CliRun run = CliRun.of("fit", "--data", d.toString(), "--spec", s.toString(), "--out",
                dir.resolve("result.json").toString(), "--diagnostics", dir.resolve("rows.csv").toString(),
                "--compare", model.toString(), "--quiet");
        assertThat(run.exitCode()).as("stderr: %s", run.err()).isZero();
        JsonNode dl = new ObjectMapper().readTree(dir.resolve("result.json").toFile()).path("diagnostics")
                .path("double_lift");
        assertThat(dl.path("rows_left_out").asInt()).isZero();
        assertThat(dl.path("deciles").size()).isPositive();
        for (JsonNode dec : dl.path("deciles")) {
            assertThat(dec.path("ratio_compared").asDouble()).as("the same model").isCloseTo(dec.path("ratio").asDouble(),
                    org.assertj.core.data.Offset.offset(1e-9));
        }
    }

    @Test
    void reportWritesOneSelfContainedPage() throws IOException {
        CliRun run = fit(1, null, "--report", dir.resolve("report.html").toString());
        assertThat(run.exitCode()).as("stderr: %s", run.err()).isZero();
        String html = Files.readString(dir.resolve("report.html"));
        assertThat(html).startsWith("<!DOCTYPE html>").contains("<h2>Coefficients", "<svg ").doesNotContain("<script");
    }

    @Test
    void aNumericUnmodelledColumnIsBandedAndTested() throws IOException {
        CliRun run = fit40("size", i -> i * 17 % 23, "--unmodelled-numeric", "size");
        assertThat(run.exitCode()).as("stderr: %s", run.err()).isZero();
        JsonNode size = new ObjectMapper().readTree(dir.resolve("result.json").toFile()).path("diagnostics")
                .path("unmodelled").path("size");
        assertThat(size.path("type").asText()).isEqualTo("numeric");
        assertThat(size.path("score_test").path("df").asInt()).isEqualTo(1);
        assertThat(size.path("actual_expected").get(0).has("band")).isTrue();
        CliRun inModel = fit40("size", i -> i * 17 % 23, "--unmodelled-numeric", "x");
        assertThat(inModel.exitCode()).isEqualTo(StreamGlm.EXIT_BAD_INPUT);
        assertThat(inModel.err()).contains("--unmodelled-numeric x: the column is in the model");
    }

    @Test
    void unmodelledColumnsMustBeOutOfTheModelAndNeedDiagnostics() throws IOException {
        CliRun inModel = fit(1, "rows.csv", "--unmodelled", "region");
        assertThat(inModel.exitCode()).isEqualTo(StreamGlm.EXIT_BAD_INPUT);
        assertThat(inModel.err()).contains("--unmodelled region: the column is in the model");
        CliRun alone = fit(1, null, "--unmodelled", "zone");
        assertThat(alone.exitCode()).isEqualTo(StreamGlm.EXIT_BAD_INPUT);
        assertThat(alone.err()).contains("add --diagnostics ROWS.csv");
        assertThat(dir.resolve("result.json")).doesNotExist();
    }

    @Test
    void theSeedFixesTheQuantileResiduals() throws IOException {
        fit(7, "a.csv");
        fit(7, "b.csv");
        fit(8, "c.csv");
        assertThat(Files.readString(dir.resolve("a.csv"))).isEqualTo(Files.readString(dir.resolve("b.csv")));
        assertThat(Files.readString(dir.resolve("a.csv"))).isNotEqualTo(Files.readString(dir.resolve("c.csv")));
    }

    /**
     * {@code fit --diagnostics rows.csv --out result.json} of 40 rows of y, x, region and one more column, with
     * these options; the data as data.csv and the spec as spec.json in the test's folder.
     */
    private CliRun fit40(String column, java.util.function.IntFunction<Object> value, String... options)
            throws IOException {
        String data = "y,x,region," + column + "\n" + String.join("", java.util.stream.IntStream.range(0, 40)
                .mapToObj(i -> (i % 4) + "," + (i % 7) / 3.0 + "," + (i % 3 == 0 ? "north" : "south") + ","
                        + value.apply(i) + "\n").toList());
        Path d = Files.writeString(dir.resolve("data.csv"), data);
        Path s = Files.writeString(dir.resolve("spec.json"), SPEC);
        List<String> args = new java.util.ArrayList<>(List.of("fit", "--data", d.toString(), "--spec", s.toString(),
                "--out", dir.resolve("result.json").toString(), "--diagnostics", dir.resolve("rows.csv").toString(),
                "--quiet"));
        args.addAll(List.of(options));
        return CliRun.of(args.toArray(String[]::new));
    }
}
