package io.streamglm.engine.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streamglm.engine.diagnostics.WindowSummary;
import io.streamglm.engine.fit.GlmResult;
import io.streamglm.engine.design.FittedDesign;
import io.streamglm.engine.spec.ModelSpec;
import io.streamglm.engine.spec.SpecParser;

import java.time.Instant;
import java.util.Map;

/**
 * The output record of a refit, one JSON object per refit keyed by model id: {@code format_version}, the fields of
 * the {@code fit} result JSON plus {@code model}, {@code refit}, {@code window}, {@code rows}, {@code mode},
 * {@code diagnostics} and {@code provenance} (docs/formats.md, "Output record"). Its writer and its readers'
 * version check are here together: the stream and the replay write it, {@link ModelFile#fromRefitRecord}, the
 * model log of the SQL functions and the trajectory report read it.
 */
public final class RefitRecord {
    /**
     * The record's format. Version 1 is the first with the field; records written before it have none and the
     * same fields, so they read as version 1.
     */
    public static final int FORMAT_VERSION = 1;

    private RefitRecord() {
    }

    /**
     * Refuses a record of a format newer than this build reads, naming the record and both versions; a record
     * without {@code format_version} is version 1.
     */
    public static void checkReadable(JsonNode record) {
        int version = record.path("format_version").asInt(1);
        if (version > FORMAT_VERSION || version < 1) {
            throw new ModelFormatException("refit " + record.path("refit").asText() + " of "
                    + record.path("model").asText() + " has format_version " + version + "; this streamglm reads"
                    + " versions 1 to " + FORMAT_VERSION + " (upgrade streamglm to read it)");
        }
    }

    /**
     * @param refit       a stable id of the refit (the same after a recovery), e.g. {@code w:2026-01-01T01:00:00Z}
     * @param windowStart epoch ms, or null for count windows and on-demand refits without a time range
     * @param provenance  extra provenance (spec hash, engine version, design source, watermark, input ...)
     */
    public static ObjectNode toJson(String model, String refit, String windowKind, Long windowStart, Long windowEnd,
                                    long rows, String mode, GlmResult result, Map<String, Object> provenance) {
        ObjectNode root = ResultJson.MAPPER.createObjectNode();
        root.put("format_version", FORMAT_VERSION);
        root.put("model", model);
        root.put("refit", refit);
        ObjectNode window = root.putObject("window");
        window.put("kind", windowKind);
        putTime(window, "start", windowStart);
        putTime(window, "end", windowEnd);
        root.put("rows", rows);
        root.put("mode", mode);
        root.setAll(ResultJson.toJson(result));
        root.remove("fitted_head");
        ObjectNode diagnostics = root.putObject("diagnostics");
        if (result.deviance() != null && result.dfResidual() > 0) {
            diagnostics.put("deviance_per_df", result.deviance() / result.dfResidual());
        }
        if (result.pearsonChi2() != null && result.dfResidual() > 0) {
            diagnostics.put("pearson_chi2_per_df", result.pearsonChi2() / result.dfResidual());
        }
        diagnostics.put("aliased_columns", result.aliasedNames().size());
        diagnostics.put("warnings", result.warnings().size());
        ObjectNode prov = root.putObject("provenance");
        provenance.forEach((k, v) -> prov.putPOJO(k, v));
        return root;
    }

    /**
     * Adds what a scorer needs to rebuild the model from the record (the output topic doubles as a model log):
     * the spec, the frozen design and the coefficients' covariance (packed upper triangle, row by row).
     */
    public static void addModel(ObjectNode record, ModelSpec spec, FittedDesign design, GlmResult result) {
        record.set("spec", SpecParser.toJson(spec));
        record.set("design", ModelFile.designJsonNode(design));
        double[] cov = result.covariance();
        if (cov != null) {
            int p = result.coefficients().size();
            var upper = record.putArray("covariance_upper");
            for (int i = 0; i < p; i++) {
                for (int j = i; j < p; j++) {
                    upper.add(cov[i * p + j]);
                }
            }
        }
    }

    /**
     * Adds the diagnostics summary to the record's {@code diagnostics}: {@code actual_expected} by categorical
     * term (as the batch result JSON), {@code gini}, {@code gini_normalised}, {@code gini_weight} and {@code
     * drift} ({@code flag}, {@code previous_refit}, {@code levels}, {@code actual_expected} under the previous
     * window's model; {@code null} for the first window). {@code summary} null: the keys are null and {@code
     * summary_unavailable} says why (no fake numbers).
     */
    public static void addSummary(ObjectNode record, WindowSummary summary, String unavailable) {
        ObjectNode d = (ObjectNode) record.get("diagnostics");
        if (summary == null) {
            d.putNull("actual_expected");
            d.putNull("gini");
            d.putNull("gini_normalised");
            d.putNull("drift");
            d.put("summary_unavailable", unavailable);
            return;
        }
        if (summary.actualExpected() == null) {
            d.putNull("actual_expected");
            d.putNull("gini");
            d.putNull("gini_normalised");
        } else {
            d.set("actual_expected", ResultJson.actualExpectedJson(summary.actualExpected()));
            putNumber(d, "gini", summary.gini());
            putNumber(d, "gini_normalised", summary.giniNormalised());
        }
        d.put("gini_weight", summary.exposureWeighted() ? "exposure" : "prior_weight");
        WindowSummary.Drift drift = summary.drift();
        if (drift == null) {
            d.putNull("drift");
            return;
        }
        ObjectNode node = d.putObject("drift");
        node.put("flag", drift.flag());
        node.put("previous_refit", drift.previousRefit());
        var levels = node.putArray("levels");
        for (WindowSummary.Shift s : drift.levels()) {
            ObjectNode o = levels.addObject();
            o.put("term", s.term());
            o.put("level", s.level());
            o.put("ratio", s.ratio());
            o.put("lower", s.lower());
            o.put("upper", s.upper());
        }
        node.set("actual_expected", ResultJson.actualExpectedJson(drift.actualExpected()));
    }

    private static void putNumber(ObjectNode node, String field, double v) {
        if (Double.isFinite(v)) {
            node.put(field, v);
        } else {
            node.putNull(field);
        }
    }

    private static void putTime(ObjectNode node, String field, Long epochMillis) {
        if (epochMillis == null) {
            node.putNull(field);
        } else {
            node.put(field, Instant.ofEpochMilli(epochMillis).toString());
            node.put(field + "_ms", epochMillis);
        }
    }
}
