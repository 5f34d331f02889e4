package io.streamglm.engine.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streamglm.engine.data.DataTable;
import io.streamglm.engine.data.TestColumns;
import io.streamglm.engine.design.TableEncoder;
import io.streamglm.engine.fit.Draws;
import io.streamglm.engine.fit.Fitting;
import io.streamglm.engine.spec.ModelSpec;
import io.streamglm.engine.spec.SpecParser;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * The model file format, version 1, against a golden file written once by this test
 * ({@code -Dstreamglm.golden.write=true}): today's engine must write the same document and read the golden one
 * back to the same design and coefficients.
 */
class ModelFileGoldenTest {
    private static final String GOLDEN = "/golden/model-v1.json";
    private static final String SPEC = """
            {"response": "y", "family": "poisson", "exposure": "expo",
             "terms": {"x1": {"type": "bs", "df": 4},
                       "x2": {"type": "ns", "df": 3},
                       "r": {"type": "expression", "expr": "x2 / (1 + x1 ** 2)"},
                       "g": {"type": "categorical", "levels": ["a", "b", "c"], "unseen": "base"},
                       "zip": {"type": "target_encoding", "prior_weight": 5, "seed": 3},
                       "zf": {"type": "frequency_encoding", "column": "zip"}},
             "interactions": [{"x1": {}, "g": {}, "include_main": false}]}
            """;

    static DataTable data() {
        SplittableRandom r = new SplittableRandom(2026);
        return TestColumns.drawn("golden", 400, (i, row) -> {
            double x1 = Math.rint(r.nextDouble(-1, 1) * 1e4) / 1e4;
            double x2 = Math.rint(r.nextDouble(0, 5) * 1e4) / 1e4;
            double expo = Math.rint(r.nextDouble(0.1, 1) * 1e3) / 1e3;
            int g = r.nextInt(3);
            int zip = r.nextInt(6);
            double mu = expo * Math.exp(0.5 + 0.3 * Math.sin(2 * x1) + 0.1 * x2 + 0.2 * g);
            row.numeric("x1", x1).numeric("x2", x2).numeric("expo", expo).numeric("y", Draws.poisson(r, mu))
                    .categorical("g", g, List.of("a", "b", "c"))
                    .categorical("zip", zip, List.of("z1", "z2", "z3", "z4", "z5", "z6"));
        });
    }

    static ObjectNode currentModel() {
        ModelSpec spec = SpecParser.parse(SPEC, null);
        Fitting.Output out = Fitting.fit(spec, data(), null);
        return ModelFile.toJson(spec, out.design(), out.result(),
                new Provenance("fit", ModelFile.specSha256(spec), "golden", "golden", out.rows(), "2026-11-25T00:00:00Z"));
    }

    private static String golden() throws IOException {
        if (Boolean.getBoolean("streamglm.golden.write")) {
            ObjectNode now = currentModel();
            now.with("provenance").put("engine_version", "golden");
            Path file = Path.of("src/test/resources" + GOLDEN);
            Files.createDirectories(file.getParent());
            Files.writeString(file, now.toPrettyString() + "\n");
        }
        try (InputStream in = ModelFileGoldenTest.class.getResourceAsStream(GOLDEN)) {
            assertThat(in).as("golden model %s (write it once with -Dstreamglm.golden.write=true)", GOLDEN).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void todaysEngineWritesTheGoldenDocument() throws IOException {
        JsonNode golden = ResultJson.MAPPER.readTree(golden());
        ObjectNode now = currentModel();
        assertThat(now.get("format_version")).isEqualTo(golden.get("format_version"));
        // Compared as text: a re-read number may be an int node where it was written as a long.
        assertThat(now.get("spec").toString()).isEqualTo(golden.get("spec").toString());
        assertThat(now.get("design").toString()).isEqualTo(golden.get("design").toString());
        JsonNode gc = golden.get("coefficients");
        for (int i = 0; i < gc.size(); i++) {
            assertThat(now.get("coefficients").get(i).get("name")).isEqualTo(gc.get(i).get("name"));
            assertThat(now.get("coefficients").get(i).get("estimate").asDouble())
                    .isCloseTo(gc.get(i).get("estimate").asDouble(), within(1e-9));
        }
    }

    @Test
    void theGoldenFileReadsBackToTheSameRowsAndCoefficients() throws IOException {
        ModelFile.Model golden = ModelFile.read(golden(), "model-v1.json");
        ModelFile.Model now = ModelFile.read(currentModel().toString(), "now.json");
        assertThat(golden.columnNames()).isEqualTo(now.columnNames());
        assertThat(golden.aliased()).isEqualTo(now.aliased());
        for (int j = 0; j < golden.coefficients().length; j++) {
            assertThat(golden.coefficients()[j]).isCloseTo(now.coefficients()[j], within(1e-9));
        }
        DataTable records = data();
        TableEncoder a = new TableEncoder(golden.design(), records);
        TableEncoder b = new TableEncoder(now.design(), records);
        int w = golden.design().maxNonZeros();
        int[] ia = new int[w];
        double[] va = new double[w];
        int[] ib = new int[w];
        double[] vb = new double[w];
        for (int i = 0; i < records.rows(); i++) {
            int ka = a.encode(i, ia, va);
            assertThat(b.encode(i, ib, vb)).isEqualTo(ka);
            for (int k = 0; k < ka; k++) {
                assertThat(ib[k]).isEqualTo(ia[k]);
                assertThat(vb[k]).isCloseTo(va[k], within(1e-12));
            }
        }
        assertThat(golden.provenance().source()).isEqualTo("fit");
    }

    @Test
    void aNewerFormatVersionIsRefusedWithBothVersionsNamed() throws IOException {
        ObjectNode doc = (ObjectNode) ResultJson.MAPPER.readTree(golden());
        doc.put("format_version", 7);
        assertThatThrownBy(() -> ModelFile.read(doc.toString(), "future.json")).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("future.json").hasMessageContaining("version 7")
                .hasMessageContaining("reads (1)").hasMessageContaining("upgrade streamglm");
    }

    @Test
    void somethingElseIsNotAModelFile() {
        assertThatThrownBy(() -> ModelFile.read("{\"coefficients\": []}", "x.json"))
                .isInstanceOf(ModelFormatException.class).hasMessageContaining("not a streamglm model file");
    }
}
