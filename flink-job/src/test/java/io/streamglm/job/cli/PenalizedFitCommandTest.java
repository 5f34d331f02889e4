package io.streamglm.job.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code streamglm fit} of a penalized spec: the path table, the result JSON, one-line errors for a bad penalty. */
class PenalizedFitCommandTest {
    private static final String DATA = "y,x,z,fold\n" + rows();
    private static final String SPEC = "{\"response\": \"y\", \"family\": \"gaussian\", \"terms\": {"
            + "\"x\": {\"type\": \"linear\"}, \"z\": {\"type\": \"linear\"}}, \"penalty\": %s}";

    @TempDir
    Path dir;

    private static String rows() {
        StringBuilder sb = new StringBuilder();
        java.util.Random rnd = new java.util.Random(4);
        for (int i = 0; i < 60; i++) {
            double x = rnd.nextGaussian();
            double z = rnd.nextGaussian();
            sb.append(2 + x - 0.5 * z + rnd.nextGaussian()).append(',').append(x).append(',').append(z).append(',')
                    .append(i % 4 + 1).append('\n');
        }
        return sb.toString();
    }

    private CliRun fit(String penalty) throws IOException {
        Path d = dir.resolve("data.csv");
        Path s = dir.resolve("spec.json");
        Files.writeString(d, DATA);
        Files.writeString(s, String.format(SPEC, penalty));
        return CliRun.of("fit", "--data", d.toString(), "--spec", s.toString(), "--out",
                dir.resolve("result.json").toString());
    }

    @Test
    void printsThePathWithTheSelectedLambdaMarked() throws IOException {
        CliRun run = fit("{\"l1_ratio\": 1, \"cv\": {\"fold_column\": \"fold\", \"select\": \"lambda_min\"}}");
        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode result = new ObjectMapper().readTree(dir.resolve("result.json").toFile());
        JsonNode pen = result.get("penalized");
        int selected = pen.get("selected_index").intValue();
        assertThat(pen.get("fits").size()).isGreaterThan(5);
        assertThat(pen.get("cv").get("lambda_min").doubleValue()).isEqualTo(pen.get("selected_lambda").doubleValue());
        assertThat(result.get("coefficients").get("x").get("estimate").doubleValue())
                .isEqualTo(pen.get("fits").get(selected).get("coefficients").get("x").doubleValue());
        assertThat(run.out()).contains("lambda", "df", "dev.ratio", "CV deviance +- SE");
        assertThat(run.out().lines().filter(l -> l.startsWith("  =>")).toList()).singleElement()
                .satisfies(l -> assertThat(l).contains("min"));
    }

    /**
     * {@code --plot-path}: a standalone SVG (well-formed XML) with a path per coefficient against log(lambda) and
     * the CV curve, a point with whiskers per lambda, lambda_min and lambda_1se dashed.
     */
    @Test
    void plotPathWritesTheCoefficientPathsAndTheCvCurve() throws Exception {
        Path svg = dir.resolve("path.svg");
        Path d = dir.resolve("data.csv");
        Path s = dir.resolve("spec.json");
        Files.writeString(d, DATA);
        Files.writeString(s, String.format(SPEC, "{\"l1_ratio\": 1, \"cv\": {\"fold_column\": \"fold\"}}"));
        CliRun run = CliRun.of("fit", "--data", d.toString(), "--spec", s.toString(), "--out",
                dir.resolve("result.json").toString(), "--plot-path", svg.toString(), "--quiet");
        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode pen = new ObjectMapper().readTree(dir.resolve("result.json").toFile()).get("penalized");
        int lambdas = pen.get("fits").size();
        org.w3c.dom.Document doc = javax.xml.parsers.DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(svg.toFile());
        assertThat(doc.getDocumentElement().getTagName()).isEqualTo("svg");
        assertThat(doc.getDocumentElement().getAttribute("xmlns")).isEqualTo("http://www.w3.org/2000/svg");
        var lines = doc.getElementsByTagName("polyline");
        assertThat(lines.getLength()).isEqualTo(2); // x and z
        for (int i = 0; i < lines.getLength(); i++) {
            assertThat(lines.item(i).getAttributes().getNamedItem("points").getNodeValue().split(" "))
                    .hasSize(lambdas);
        }
        long whiskers = 0;
        long dashed = 0;
        var all = doc.getElementsByTagName("line");
        for (int i = 0; i < all.getLength(); i++) {
            var attrs = all.item(i).getAttributes();
            if (attrs.getNamedItem("stroke-dasharray") != null) {
                dashed++;
            } else if ("#999".equals(attrs.getNamedItem("stroke").getNodeValue())) {
                whiskers++;
            }
        }
        assertThat(whiskers).isEqualTo(lambdas);
        assertThat(dashed).isEqualTo(4); // lambda_min and lambda_1se, in both charts
        assertThat(doc.getElementsByTagName("circle").getLength()).isEqualTo(lambdas);
    }

    @Test
    void plotPathWithoutAPenaltyIsOneLine() throws IOException {
        Path d = dir.resolve("data.csv");
        Path s = dir.resolve("spec.json");
        Files.writeString(d, DATA);
        Files.writeString(s, "{\"response\": \"y\", \"family\": \"gaussian\", \"terms\": {\"x\": {\"type\": \"linear\"}}}");
        CliRun run = CliRun.of("fit", "--data", d.toString(), "--spec", s.toString(), "--out",
                dir.resolve("result.json").toString(), "--plot-path", dir.resolve("p.svg").toString());
        assertThat(run.exitCode()).isEqualTo(StreamGlm.EXIT_BAD_INPUT);
        assertThat(run.err().strip().lines()).singleElement()
                .satisfies(l -> assertThat(l).contains("--plot-path", "no penalty"));
    }

    @Test
    void aBadL1RatioIsOneLineNamingTheField() throws IOException {
        CliRun run = fit("{\"l1_ratio\": -0.5}");
        assertThat(run.exitCode()).isEqualTo(StreamGlm.EXIT_BAD_INPUT);
        assertThat(run.err().strip().lines()).singleElement()
                .satisfies(l -> assertThat(l).contains("penalty.l1_ratio", "outside [0, 1]"));
        assertThat(dir.resolve("result.json")).doesNotExist();
    }
}
