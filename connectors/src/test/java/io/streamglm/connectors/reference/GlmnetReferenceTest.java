package io.streamglm.connectors.reference;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamglm.connectors.csv.CsvTableReader;
import io.streamglm.engine.data.DataTable;
import io.streamglm.engine.penalized.PenalizedFitting;
import io.streamglm.engine.penalized.PenalizedJson;
import io.streamglm.engine.spec.ModelSpec;
import io.streamglm.engine.spec.SpecParser;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The penalized golden test: every R glmnet 4.1 case in {@code ../shared/reference/penalized} and in the
 * project's {@code reference/penalized} (glmnet 4's family objects: Gamma, negative binomial; and each
 * cv.glmnet type.measure), compared with the README's tolerances ("Penalized fits"): the whole path (lambda, df, dev_ratio, coefficients; glmnet's zeros
 * exactly zero) and cv.glmnet's summary.
 */
class GlmnetReferenceTest {
    private static final double LAMBDA_REL = ReferenceTolerance.LAMBDA_RELATIVE;
    private static final double COEF_ABS = ReferenceTolerance.PENALIZED_COEFFICIENT_FACTOR;
    private static final double CV_REL = ReferenceTolerance.CV_RELATIVE;

    static Path penalizedCases() {
        return ReferenceCase.sharedCases().getParent().resolve("penalized");
    }

    /** streamglm's own glmnet paths, made by {@code reference/make_penalized.R}: glmnet 4's family-object path. */
    static Path projectPenalizedCases() {
        return ReferenceCase.projectCases().getParent().resolve("penalized");
    }

    @TestFactory
    Stream<DynamicTest> glmnetCases() {
        return test(penalizedCases());
    }

    @TestFactory
    Stream<DynamicTest> glmnetFamilyObjectCases() {
        return test(projectPenalizedCases());
    }

    private static Stream<DynamicTest> test(Path under) {
        List<ReferenceCase> cases = ReferenceCase.under(under);
        assertThat(cases).as("cases under %s", under).isNotEmpty();
        return cases.stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> {
            ModelSpec spec = SpecParser.parse(c.specJson(), c.name() + "/spec.json");
            DataTable data = CsvTableReader.read(c.data(), spec.numericColumnUsage(), spec.categoricalColumnUsage());
            JsonNode actual = PenalizedJson.toJson(PenalizedFitting.fit(spec, data).result()).get("penalized");
            assertThat(mismatches(c.expected(), actual)).as("case %s", c.name()).isEmpty();
        }));
    }

    static List<String> mismatches(JsonNode expected, JsonNode actual) {
        List<String> out = new ArrayList<>();
        JsonNode ef = expected.get("fits");
        JsonNode af = actual.get("fits");
        if (ef.size() != af.size()) {
            out.add("path length: expected " + ef.size() + " fits, got " + af.size());
        }
        for (int m = 0; m < Math.min(ef.size(), af.size()); m++) {
            JsonNode e = ef.get(m);
            JsonNode a = af.get(m);
            relative(out, "fits[" + m + "].lambda", e.get("lambda").doubleValue(), a.get("lambda").doubleValue(),
                    LAMBDA_REL, 0);
            if (e.get("df").intValue() != a.get("df").intValue()) {
                out.add("fits[" + m + "].df: expected " + e.get("df") + ", got " + a.get("df"));
            }
            relative(out, "fits[" + m + "].dev_ratio", e.get("dev_ratio").doubleValue(),
                    a.get("dev_ratio").doubleValue(), CV_REL, ReferenceTolerance.DEV_RATIO_ABSOLUTE);
            double max = 0;
            for (JsonNode v : e.get("coefficients")) {
                max = Math.max(max, Math.abs(v.doubleValue()));
            }
            Iterator<String> names = e.get("coefficients").fieldNames();
            while (names.hasNext()) {
                String name = names.next();
                double ev = e.get("coefficients").get(name).doubleValue();
                JsonNode av = a.get("coefficients").get(name);
                String field = "fits[" + m + "].coefficients." + name;
                if (av == null) {
                    out.add(field + ": missing");
                } else if (ev == 0 && av.doubleValue() != 0) {
                    out.add(field + ": glmnet has exactly 0, got " + av.doubleValue());
                } else if (Math.abs(ev - av.doubleValue()) > COEF_ABS * max) {
                    out.add(field + ": expected " + ev + ", got " + av.doubleValue());
                }
            }
        }
        JsonNode ecv = expected.get("cv");
        if (ecv != null) {
            JsonNode acv = actual.get("cv");
            if (acv == null) {
                out.add("cv: missing");
                return out;
            }
            for (String key : List.of("lambda", "cvm", "cvsd")) {
                JsonNode e = ecv.get(key);
                JsonNode a = acv.get(key);
                if (e.size() != a.size()) {
                    out.add("cv." + key + ": expected " + e.size() + " values, got " + a.size());
                }
                for (int l = 0; l < Math.min(e.size(), a.size()); l++) {
                    relative(out, "cv." + key + "[" + l + "]", e.get(l).doubleValue(), a.get(l).doubleValue(),
                            key.equals("lambda") ? LAMBDA_REL : CV_REL, 0);
                }
            }
            relative(out, "cv.lambda_min", ecv.get("lambda_min").doubleValue(), acv.get("lambda_min").doubleValue(),
                    LAMBDA_REL, 0);
            relative(out, "cv.lambda_1se", ecv.get("lambda_1se").doubleValue(), acv.get("lambda_1se").doubleValue(),
                    LAMBDA_REL, 0);
        }
        return out;
    }

    private static void relative(List<String> out, String field, double e, double a, double rel, double abs) {
        if (!(Math.abs(e - a) <= rel * Math.abs(e) + abs)) {
            out.add(field + ": expected " + e + ", got " + a);
        }
    }
}
