package io.streamglm.connectors.reference;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamglm.connectors.csv.CsvTableReader;
import io.streamglm.engine.data.DataTable;
import io.streamglm.engine.diagnostics.Diagnostics;
import io.streamglm.engine.diagnostics.RowDiagnostics;
import io.streamglm.engine.fit.Fitting;
import io.streamglm.engine.model.ResultJson;
import io.streamglm.engine.spec.ModelSpec;
import io.streamglm.engine.spec.SpecParser;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The diagnostics golden test: every shared case with a {@code diag_expected.json} (R's {@code residuals.glm},
 * {@code hatvalues}, {@code cooks.distance}, {@code rstandard}, {@code drop1}, {@code car::vif} and actual against
 * expected by level), compared with the README's tolerances. The absolute floor of each value is 1e-9 times the
 * largest |value| of its list: one per-row column, one drop1 / vif column across terms, one term's levels.
 */
class DiagnosticsCasesTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @TestFactory
    Stream<DynamicTest> sharedDiagnosticsCases() {
        return diagnosticsCases().stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> {
            JsonNode expected = MAPPER.readTree(c.dir().resolve("diag_expected.json").toFile());
            ModelSpec spec = SpecParser.parse(c.specJson(), c.name() + "/spec.json");
            DataTable data = CsvTableReader.read(c.data(), spec.numericColumnUsage(), spec.categoricalColumnUsage());
            Fitting.Detailed fit = Fitting.fitDetailed(spec, data, null);
            Diagnostics d = Diagnostics.compute(fit, data, Diagnostics.DEFAULT_SEED, null);
            assertThat(d).as("diagnostics of %s", c.name()).isNotNull();
            JsonNode actual = ResultJson.toJson(fit.output().result(), d).path("diagnostics");
            List<String> mismatches = new ArrayList<>();
            compareRows(expected.path("rows"), d.rows(), mismatches);
            compareDrop1(expected, actual, mismatches);
            compareVif(expected.path("vif"), actual.path("vif"), mismatches);
            compareActualExpected(expected.path("actual_expected"), actual.path("actual_expected"), mismatches);
            assertThat(mismatches).as("case %s", c.name()).isEmpty();
        }));
    }

    @Test
    void diagnosticsCasesArePresent() {
        assertThat(diagnosticsCases()).hasSizeGreaterThanOrEqualTo(6);
    }

    static List<ReferenceCase> diagnosticsCases() {
        return ReferenceCase.under(ReferenceCase.sharedCases()).stream()
                .filter(c -> Files.exists(c.dir().resolve("diag_expected.json")))
                .toList();
    }

    private static void compareRows(JsonNode expected, RowDiagnostics rows, List<String> mismatches) {
        Map<String, double[]> columns = Map.of("fitted", rows.fitted(), "linear_predictor", rows.linearPredictor(),
                "resid_response", rows.residResponse(), "resid_working", rows.residWorking(),
                "resid_pearson", rows.residPearson(), "resid_deviance", rows.residDeviance(), "hat", rows.hat(),
                "cooks_distance", rows.cooksDistance(), "std_resid_deviance", rows.stdResidDeviance());
        for (String key : ReferenceCase.fieldNames(expected)) {
            double[] values = columns.get(key);
            if (values == null) {
                mismatches.add("rows." + key + ": not computed");
                continue;
            }
            JsonNode list = expected.path(key);
            double largest = largest(list);
            for (int i = 0; i < list.size(); i++) {
                String where = "rows." + key + "[" + i + "]";
                if (list.get(i).isNull() != Double.isNaN(values[i])) {
                    mismatches.add(where + ": expected " + list.get(i) + ", got " + values[i]);
                } else if (!list.get(i).isNull()) {
                    check(where, list.get(i), values[i], largest, false, mismatches);
                }
            }
        }
    }

    private static void compareDrop1(JsonNode expected, JsonNode actual, List<String> mismatches) {
        if (!expected.path("drop1_test").asText().equals(actual.path("drop1_test").asText())) {
            mismatches.add("drop1_test: expected " + expected.path("drop1_test") + ", got " + actual.path("drop1_test"));
        }
        compareTable("drop1", expected.path("drop1"), actual.path("drop1"), mismatches);
    }

    private static void compareVif(JsonNode expected, JsonNode actual, List<String> mismatches) {
        if (expected.isNull() || expected.isMissingNode()) {
            if (!actual.isNull()) {
                mismatches.add("vif: R gives none, got " + actual);
            }
            return;
        }
        compareTable("vif", expected, actual, mismatches);
    }

    /** Terms by key, each an object of numbers; the floor of a field is over that field across terms. */
    private static void compareTable(String what, JsonNode expected, JsonNode actual, List<String> mismatches) {
        List<String> terms = ReferenceCase.fieldNames(expected);
        if (!terms.equals(ReferenceCase.fieldNames(actual))) {
            mismatches.add(what + ": terms " + terms + " expected, got " + ReferenceCase.fieldNames(actual));
        }
        for (String term : terms) {
            for (String field : ReferenceCase.fieldNames(expected.path(term))) {
                List<JsonNode> column = new ArrayList<>();
                terms.forEach(t -> column.add(expected.path(t).path(field)));
                double largest = largest(column);
                check(what + "." + term + "." + field, expected.path(term).path(field),
                        actual.path(term).path(field), largest, field.equals("p_value"), mismatches);
            }
        }
    }

    private static void compareActualExpected(JsonNode expected, JsonNode actual, List<String> mismatches) {
        if (expected.isArray() && expected.isEmpty()) {
            if (!actual.isEmpty()) {
                mismatches.add("actual_expected: R has no categorical term, got " + actual);
            }
            return;
        }
        for (String term : ReferenceCase.fieldNames(expected)) {
            JsonNode levels = expected.path(term);
            JsonNode got = actual.path(term);
            if (got.size() != levels.size()) {
                mismatches.add("actual_expected." + term + ": " + levels.size() + " levels expected, got " + got.size());
                continue;
            }
            for (String field : List.of("rows", "actual", "expected")) {
                List<JsonNode> column = new ArrayList<>();
                levels.forEach(l -> column.add(l.path(field)));
                double largest = largest(column);
                for (int i = 0; i < levels.size(); i++) {
                    String where = "actual_expected." + term + "[" + i + "]";
                    if (i == 0 || field.equals("rows")) {
                        if (!levels.get(i).path("level").asText().equals(got.get(i).path("level").asText())) {
                            mismatches.add(where + ".level: expected " + levels.get(i).path("level") + ", got "
                                    + got.get(i).path("level"));
                        }
                    }
                    check(where + "." + field, levels.get(i).path(field), got.get(i).path(field), largest, false,
                            mismatches);
                }
            }
        }
    }

    private static void check(String where, JsonNode expected, JsonNode actual, double largest, boolean pValue,
                              List<String> mismatches) {
        if (expected.isNull()) {
            if (!actual.isNull() && !actual.isMissingNode()) {
                mismatches.add(where + ": R gives NA, got " + actual);
            }
            return;
        }
        if (!actual.isNumber()) {
            mismatches.add(where + ": expected " + expected + ", got " + actual);
            return;
        }
        check(where, expected, actual.asDouble(), largest, pValue, mismatches);
    }

    private static void check(String where, JsonNode expected, double actual, double largest, boolean pValue,
                              List<String> mismatches) {
        double e = expected.asDouble();
        boolean ok = pValue ? ReferenceTolerance.closePValue(e, actual) : ReferenceTolerance.close(e, actual, largest);
        if (!ok) {
            mismatches.add(String.format(java.util.Locale.ROOT, "%s: expected %.15g, got %.15g (rel %.2e)", where, e,
                    actual, Math.abs(actual - e) / Math.abs(e)));
        }
    }

    private static double largest(Iterable<JsonNode> values) {
        double m = 0;
        for (JsonNode v : values) {
            if (v.isNumber()) {
                m = Math.max(m, Math.abs(v.asDouble()));
            }
        }
        return m;
    }
}
