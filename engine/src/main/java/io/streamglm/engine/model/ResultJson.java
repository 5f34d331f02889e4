package io.streamglm.engine.model;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streamglm.engine.fit.Coefficient;
import io.streamglm.engine.fit.GlmResult;

/**
 * The result JSON of {@code streamglm fit}, with the keys and coefficient names of R's reference
 * {@code expected.json} files, plus status, warnings, HC2 errors and aliased names. Stream and replay output
 * records reuse these fields.
 */
public final class ResultJson {
    public static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ResultJson() {
    }

    public static ObjectNode toJson(GlmResult r) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("family", r.family());
        root.put("r_family", r.rFamily());
        root.put("link", r.link());
        root.put("n", r.rows());
        root.put("status", r.status().specName());
        ArrayNode warnings = root.putArray("warnings");
        r.warnings().forEach(warnings::add);
        root.put("converged", r.converged());
        root.put("boundary", r.boundary());
        root.put("iterations", r.iterations());
        root.put("rank", r.rank());
        ObjectNode coefficients = root.putObject("coefficients");
        for (Coefficient c : r.coefficients()) {
            ObjectNode node = coefficients.putObject(c.name());
            put(node, "estimate", c.estimate());
            put(node, "std_error", c.stdError());
            put(node, "statistic", c.statistic());
            put(node, "p_value", c.pValue());
            put(node, "robust_se_HC0", c.robustSeHc0());
            put(node, "robust_se_HC1", c.robustSeHc1());
            put(node, "robust_se_HC2", c.robustSeHc2());
            put(node, "robust_se_HC3", c.robustSeHc3());
        }
        ArrayNode aliased = root.putArray("aliased");
        r.aliasedNames().forEach(aliased::add);
        root.put("statistic", r.statisticName());
        put(root, "deviance", r.deviance());
        put(root, "null_deviance", r.nullDeviance());
        root.put("df_residual", r.dfResidual());
        root.put("df_null", r.dfNull());
        put(root, "dispersion", r.dispersion());
        root.put("dispersion_estimated", r.dispersionEstimated());
        put(root, "pearson_chi2", r.pearsonChi2());
        put(root, "aic", r.aic());
        put(root, "log_likelihood", r.logLikelihood());
        if (r.theta() != null) {
            put(root, "theta", r.theta());
            put(root, "theta_se", r.thetaSe());
        }
        ArrayNode head = root.putArray("fitted_head");
        r.fittedHead().forEach(head::add);
        return root;
    }

    private static void put(ObjectNode node, String field, Double value) {
        if (value == null || !Double.isFinite(value)) {
            node.putNull(field);
        } else {
            node.put(field, value);
        }
    }
}
