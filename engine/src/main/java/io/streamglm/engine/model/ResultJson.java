package io.streamglm.engine.model;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streamglm.engine.diagnostics.ActualExpected;
import io.streamglm.engine.diagnostics.Diagnostics;
import io.streamglm.engine.diagnostics.DoubleLift;
import io.streamglm.engine.diagnostics.Drop1;
import io.streamglm.engine.diagnostics.Holdout;
import io.streamglm.engine.diagnostics.Lift;
import io.streamglm.engine.diagnostics.UnmodelledFactors;
import io.streamglm.engine.diagnostics.Vif;
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

    /**
     * The result JSON with a {@code diagnostics} object (keys of the shared reference README, "Diagnostics"):
     * {@code drop1_test}, {@code drop1}, {@code vif} (null where car gives none) and {@code actual_expected}; then
     * {@code actual_expected_by_band}, {@code calibration} (A/E by decile of prediction), {@code lift} and
     * {@code unmodelled} (by column: {@code score_test} and {@code actual_expected}).
     * Per-row values are not in the JSON (one row per data row: see {@code RowDiagnosticsCsv}).
     */
    public static ObjectNode toJson(GlmResult r, Diagnostics d) {
        ObjectNode root = toJson(r);
        if (d != null) {
            root.set("diagnostics", diagnostics(d));
        }
        return root;
    }

    static ObjectNode diagnostics(Diagnostics d) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("drop1_test", d.drop1().test());
        ObjectNode drop1 = node.putObject("drop1");
        for (var e : d.drop1().terms().entrySet()) {
            Drop1.Row row = e.getValue();
            ObjectNode t = drop1.putObject(e.getKey());
            t.put("df", row.df());
            put(t, "deviance", row.deviance());
            if (row.aic() != null) {
                put(t, "aic", row.aic());
            }
            if (d.drop1().test().equals("Chisq")) {
                put(t, "lrt", row.lrt());
            } else {
                put(t, "f", row.f());
            }
            put(t, "p_value", row.pValue());
        }
        if (d.vif() == null) {
            node.putNull("vif");
        } else {
            ObjectNode vif = node.putObject("vif");
            for (var e : d.vif().terms().entrySet()) {
                Vif.Row row = e.getValue();
                ObjectNode t = vif.putObject(e.getKey());
                put(t, "gvif", row.gvif());
                t.put("df", row.df());
                put(t, "gvif_adjusted", row.gvifAdjusted());
            }
        }
        node.set("actual_expected", actualExpected(d.actualExpected(), "level"));
        node.set("actual_expected_by_band", actualExpected(d.bands(), "band"));
        putLift(node, d.lift());
        ObjectNode unmodelled = node.putObject("unmodelled");
        for (var e : d.unmodelled().columns().entrySet()) {
            UnmodelledFactors.Column c = e.getValue();
            ObjectNode o = unmodelled.putObject(e.getKey());
            ObjectNode score = o.putObject("score_test");
            put(score, "statistic", c.statistic());
            score.put("df", c.df());
            put(score, "p_value", c.pValue());
            o.put("type", c.numeric() ? "numeric" : "categorical");
            o.set("actual_expected", levels(c.levels(), c.numeric() ? "band" : "level"));
        }
        if (d.doubleLift() != null) {
            ObjectNode dl = node.putObject("double_lift");
            dl.put("compared", d.doubleLift().compared());
            dl.put("rows_left_out", d.doubleLift().rowsLeftOut());
            ArrayNode deciles = dl.putArray("deciles");
            for (DoubleLift.Decile dec : d.doubleLift().deciles()) {
                ObjectNode o = decile(deciles, dec.decile(), dec.rows(), dec.exposure(), dec.actual(), dec.expected());
                put(o, "expected_compared", dec.expectedCompared());
                put(o, "ratio", dec.ratio());
                put(o, "ratio_compared", dec.ratioCompared());
            }
        }
        if (d.holdout() != null) {
            Holdout h = d.holdout();
            ObjectNode test = node.putObject("holdout");
            test.put("rows", h.testRows().length);
            test.put("rows_left_out", h.leftOut());
            put(test, "deviance", h.deviance());
            put(test, "deviance_per_weight", h.deviance() / h.sumWeights());
            test.set("actual_expected", actualExpected(h.actualExpected(), "level"));
            test.set("actual_expected_by_band", actualExpected(h.bands(), "band"));
            putLift(test, h.lift());
        }
        return node;
    }

    /** A decile's row of a lift or double-lift table: the fields both have, in their order. */
    private static ObjectNode decile(ArrayNode table, int decile, long rows, double exposure, double actual,
                                     double expected) {
        ObjectNode o = table.addObject();
        o.put("decile", decile);
        o.put("rows", rows);
        put(o, "exposure", exposure);
        put(o, "actual", actual);
        put(o, "expected", expected);
        return o;
    }

    private static void putLift(ObjectNode node, Lift lift) {
        ArrayNode calibration = node.putArray("calibration");
        for (Lift.Decile dec : lift.deciles()) {
            ObjectNode o = decile(calibration, dec.decile(), dec.rows(), dec.exposure(), dec.actual(), dec.expected());
            put(o, "ratio", dec.ratio());
            put(o, "ratio_ci_lower", dec.ciLower());
            put(o, "ratio_ci_upper", dec.ciUpper());
        }
        ObjectNode liftNode = node.putObject("lift");
        put(liftNode, "gini", lift.gini());
        put(liftNode, "gini_normalised", lift.giniNormalised());
        ArrayNode byDecile = liftNode.putArray("by_decile");
        for (Lift.Decile dec : lift.deciles()) {
            ObjectNode o = byDecile.addObject();
            o.put("decile", dec.decile());
            put(o, "exposure", dec.exposure());
            put(o, "lift", dec.lift());
        }
        if (lift.hosmerLemeshow() != null) {
            ObjectNode hl = liftNode.putObject("hosmer_lemeshow");
            put(hl, "statistic", lift.hosmerLemeshow().statistic());
            hl.put("df", lift.hosmerLemeshow().df());
            put(hl, "p_value", lift.hosmerLemeshow().pValue());
        }
    }

    /** A/E by level of each categorical term, as in the result JSON's {@code diagnostics.actual_expected}. */
    public static ObjectNode actualExpectedJson(ActualExpected ae) {
        return actualExpected(ae, "level");
    }

    private static ObjectNode actualExpected(ActualExpected ae, String groupKey) {
        ObjectNode node = MAPPER.createObjectNode();
        ae.terms().forEach((term, levels) -> node.set(term, levels(levels, groupKey)));
        return node;
    }

    private static ArrayNode levels(java.util.List<ActualExpected.Level> levels, String groupKey) {
        ArrayNode out = MAPPER.createArrayNode();
        for (ActualExpected.Level l : levels) {
            ObjectNode o = out.addObject();
            o.put(groupKey, l.level());
            o.put("rows", l.rows());
            put(o, "actual", l.actual());
            put(o, "expected", l.expected());
            put(o, "ratio", l.ratio());
            put(o, "ratio_ci_lower", l.ciLower());
            put(o, "ratio_ci_upper", l.ciUpper());
        }
        return out;
    }

    private static void put(ObjectNode node, String field, Double value) {
        if (value == null || !Double.isFinite(value)) {
            node.putNull(field);
        } else {
            node.put(field, value);
        }
    }
}
