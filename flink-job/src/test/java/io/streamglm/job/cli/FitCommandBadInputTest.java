package io.streamglm.job.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every kind of bad input ends with a non-zero exit code, one clear line naming the file and row/column or
 * spec field (with a fix where one exists), and no output file.
 */
class FitCommandBadInputTest {
    private static final String GOOD_DATA = "y,x,region\n1,0.5,\"north\"\n0,1.5,\"south\"\n3,2.5,\"north\"\n2,0.1,\"south\"\n";
    private static final String GOOD_SPEC = "{\"response\": \"y\", \"family\": \"poisson\", \"terms\": {"
            + "\"x\": {\"type\": \"linear\"}, \"region\": {\"type\": \"categorical\"}}}";

    @TempDir
    Path dir;

    private CliRun fit(String data, String spec) throws IOException {
        Path d = dir.resolve("data.csv");
        Path s = dir.resolve("spec.json");
        Files.writeString(d, data);
        Files.writeString(s, spec);
        return CliRun.of("fit", "--data", d.toString(), "--spec", s.toString(), "--out", out().toString(),
                "--model-out", dir.resolve("model.json").toString(), "--quiet");
    }

    private Path out() {
        return dir.resolve("result.json");
    }

    private void assertRejected(CliRun run, String... fragments) throws IOException {
        assertThat(run.exitCode()).as("exit code; stderr: %s", run.err()).isEqualTo(StreamGlm.EXIT_BAD_INPUT);
        assertThat(run.err().strip().lines()).as("one line: %s", run.err()).hasSize(1);
        assertThat(run.err()).startsWith("error: ");
        for (String f : fragments) {
            assertThat(run.err()).contains(f);
        }
        assertThat(out()).doesNotExist();
        assertThat(dir.resolve("model.json")).doesNotExist();
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).allMatch(n -> n.equals("data.csv") || n.equals("spec.json"));
        }
    }

    @Test
    void goodInputFits() throws IOException {
        CliRun run = fit(GOOD_DATA, GOOD_SPEC);
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(out()).exists();
        assertThat(dir.resolve("model.json")).exists();
    }

    @Test
    void misspeltColumnSuggestsTheRightOne() throws IOException {
        assertRejected(fit(GOOD_DATA, GOOD_SPEC.replace("\"region\": {", "\"regoin\": {")),
                "data.csv", "column 'regoin' named by terms.regoin", "did you mean 'region'?");
    }

    @Test
    void nonNumericValueNamesRowAndColumn() throws IOException {
        assertRejected(fit(GOOD_DATA.replace("0,1.5", "0,abc"), GOOD_SPEC),
                "data.csv row 2, column 'x'", "'abc' is not a number");
    }

    @Test
    void negativeCountIsOutsideThePoissonDomain() throws IOException {
        assertRejected(fit(GOOD_DATA.replace("3,2.5", "-1,2.5"), GOOD_SPEC),
                "row 3, column 'y'", "value -1 is negative; poisson counts must be >= 0");
    }

    @Test
    void binomialResponseOutsideZeroOne() throws IOException {
        assertRejected(fit(GOOD_DATA.replace("3,2.5", "1.5,2.5").replace("2,0.1", "0,0.1"),
                GOOD_SPEC.replace("poisson", "binomial")), "row 3, column 'y'", "outside [0, 1]");
    }

    @Test
    void gammaResponseMustBePositive() throws IOException {
        assertRejected(fit(GOOD_DATA, GOOD_SPEC.replace("poisson", "gamma")), "row 2, column 'y'", "gamma family needs y > 0");
    }

    @Test
    void nanAndInfinityAreRejected() throws IOException {
        assertRejected(fit(GOOD_DATA.replace("0,1.5", "0,NaN"), GOOD_SPEC), "row 2, column 'x'", "not a finite number");
        assertRejected(fit(GOOD_DATA.replace("0,1.5", "0,Infinity"), GOOD_SPEC), "row 2, column 'x'", "not a finite number");
    }

    @Test
    void missingValueIsRejected() throws IOException {
        assertRejected(fit(GOOD_DATA.replace("0,1.5", "0,"), GOOD_SPEC), "row 2, column 'x'", "missing value");
        assertRejected(fit(GOOD_DATA.replace("\"south\"\n3", "\"\"\n3"), GOOD_SPEC), "row 2, column 'region'", "missing value");
    }

    @Test
    void emptyFileAndHeaderOnly() throws IOException {
        assertRejected(fit("", GOOD_SPEC), "data.csv", "the file is empty");
        assertRejected(fit("y,x,region\n", GOOD_SPEC), "data.csv", "no data rows");
    }

    @Test
    void unknownFamilyLinkAndTermType() throws IOException {
        assertRejected(fit(GOOD_DATA, GOOD_SPEC.replace("poisson", "poison")), "spec.json: family", "did you mean 'poisson'?");
        assertRejected(fit(GOOD_DATA, GOOD_SPEC.replace("\"family\"", "\"link\": \"lgo\", \"family\"")),
                "spec.json: link", "unknown link 'lgo'", "did you mean 'log'?");
        assertRejected(fit(GOOD_DATA, GOOD_SPEC.replace("\"linear\"", "\"lineer\"")),
                "spec.json: terms.x.type", "unknown term type 'lineer'", "did you mean 'linear'?");
    }

    @Test
    void impossibleFamilyLinkPair() throws IOException {
        assertRejected(fit(GOOD_DATA, GOOD_SPEC.replace("\"family\"", "\"link\": \"logit\", \"family\"")),
                "spec.json: link", "the poisson family cannot use the logit link", "use one of [log, identity, sqrt]");
    }

    @Test
    void splineOnANonNumericColumn() throws IOException {
        assertRejected(fit(GOOD_DATA, GOOD_SPEC.replace("\"region\": {\"type\": \"categorical\"}",
                "\"region\": {\"type\": \"bs\", \"df\": 4}")),
                "row 1, column 'region'", "'north' is not a number", "terms.region needs numbers");
    }

    @Test
    void dfSmallerThanDegree() throws IOException {
        assertRejected(fit(GOOD_DATA, GOOD_SPEC.replace("\"x\": {\"type\": \"linear\"}",
                "\"x\": {\"type\": \"bs\", \"df\": 2}")), "terms.x.df", "df (2) is smaller than degree (3)");
    }

    @Test
    void malformedJson() throws IOException {
        assertRejected(fit(GOOD_DATA, GOOD_SPEC.replace("\"terms\":", "\"terms\"")), "spec.json", "malformed JSON at line 1");
    }

    @Test
    void missingSpecFile() throws IOException {
        Files.writeString(dir.resolve("data.csv"), GOOD_DATA);
        CliRun run = CliRun.of("fit", "--data", dir.resolve("data.csv").toString(), "--spec",
                dir.resolve("nope.json").toString(), "--out", out().toString());
        assertThat(run.exitCode()).isEqualTo(StreamGlm.EXIT_BAD_INPUT);
        assertThat(run.err()).contains("no such spec file");
    }
}
