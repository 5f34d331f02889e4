package io.streamglm.connectors.reference;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;

/** Compares a result JSON with R's expected JSON under {@link ReferenceTolerance}, listing every mismatch. */
final class ReferenceComparison {
    private static final List<String> SCALARS = List.of("deviance", "null_deviance", "dispersion", "pearson_chi2",
            "aic", "log_likelihood", "theta", "theta_se");
    private static final List<String> COEFFICIENT_FIELDS = List.of("estimate", "std_error", "statistic",
            "robust_se_HC0", "robust_se_HC1", "robust_se_HC2", "robust_se_HC3");

    private ReferenceComparison() {
    }

    static List<String> mismatches(JsonNode expected, JsonNode actual) {
        List<String> out = new ArrayList<>();
        JsonNode ec = expected.get("coefficients");
        JsonNode ac = actual.get("coefficients");
        double largest = 0;
        for (JsonNode c : ec) {
            if (c.hasNonNull("estimate")) {
                largest = Math.max(largest, Math.abs(c.get("estimate").asDouble()));
            }
        }
        List<String> expectedNames = ReferenceCase.fieldNames(ec);
        List<String> actualNames = ReferenceCase.fieldNames(ac);
        if (!expectedNames.equals(actualNames)) {
            out.add("coefficient names: expected " + expectedNames + " but got " + actualNames);
            return out;
        }
        for (String name : expectedNames) {
            JsonNode e = ec.get(name);
            JsonNode a = ac.get(name);
            for (String f : COEFFICIENT_FIELDS) {
                compare(out, name + "." + f, e.get(f), a.get(f), largest, false);
            }
            compare(out, name + ".p_value", e.get("p_value"), a.get("p_value"), largest, true);
        }
        for (String f : SCALARS) {
            compare(out, f, expected.get(f), actual.get(f), largest, false);
        }
        for (String f : List.of("df_residual", "df_null")) {
            if (expected.has(f) && expected.get(f).asLong() != actual.get(f).asLong()) {
                out.add(f + ": expected " + expected.get(f) + " but got " + actual.get(f));
            }
        }
        if (expected.has("aliased") && !expected.get("aliased").equals(actual.get("aliased"))) {
            out.add("aliased: expected " + expected.get("aliased") + " but got " + actual.get("aliased"));
        }
        if (expected.has("converged") && expected.get("converged").asBoolean() != actual.get("converged").asBoolean()) {
            out.add("converged: expected " + expected.get("converged") + " but got " + actual.get("converged"));
        }
        JsonNode eh = expected.get("fitted_head");
        JsonNode ah = actual.get("fitted_head");
        if (eh != null) {
            for (int i = 0; i < eh.size(); i++) {
                compare(out, "fitted_head[" + i + "]", eh.get(i), ah.get(i), 0, false);
            }
        }
        return out;
    }

    private static void compare(List<String> out, String field, JsonNode expected, JsonNode actual, double largest,
                                boolean pValue) {
        if (expected == null) {
            return; // R did not report it for this case
        }
        if (expected.isNull()) {
            if (actual != null && !actual.isNull()) {
                out.add(field + ": expected null (R's NA) but got " + actual);
            }
            return;
        }
        if (actual == null || actual.isNull()) {
            out.add(field + ": expected " + expected.asDouble() + " but got null");
            return;
        }
        double e = expected.asDouble();
        double a = actual.asDouble();
        boolean ok = pValue ? ReferenceTolerance.closePValue(e, a) : ReferenceTolerance.close(e, a, largest);
        if (!ok) {
            out.add(String.format("%s: expected %.15g but got %.15g (relative difference %.3g)", field, e, a,
                    Math.abs(e - a) / Math.max(Math.abs(e), Double.MIN_NORMAL)));
        }
    }
}
