package io.streamglm.engine.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streamglm.engine.design.DesignComponent;
import io.streamglm.engine.design.DesignTerm;
import io.streamglm.engine.design.FactorComponent;
import io.streamglm.engine.design.FittedDesign;
import io.streamglm.engine.design.ExpressionComponent;
import io.streamglm.engine.design.FrequencyComponent;
import io.streamglm.engine.design.NumericComponent;
import io.streamglm.engine.design.SplineComponent;
import io.streamglm.engine.design.TargetComponent;
import io.streamglm.engine.design.spline.SplineBasis;
import io.streamglm.engine.spec.expr.ExpressionParser;
import io.streamglm.engine.fit.GlmResult;
import io.streamglm.engine.spec.ModelSpec;
import io.streamglm.engine.spec.SpecParser;
import io.streamglm.engine.spec.UnseenLevelPolicy;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;

/**
 * A fitted model as a versioned JSON document: the spec, the frozen design, coefficients, their covariance and
 * the fit's summary, and provenance. Scoring, the SQL functions and streams read it back with {@link #read}.
 *
 * <pre>
 * {
 *   "format": "streamglm-model", "format_version": 1,
 *   "spec": {...}, "design": {"intercept": true, "terms": [{"components": [...]}], "columns": [...]},
 *   "coefficients": [{"name": ..., "estimate": ... | null (aliased)}],
 *   "covariance": [[...]],            // dispersion * (X'WX)^-1, aliased rows and columns zero
 *   "dispersion": ..., "summary": {... the fit result ...},
 *   "provenance": {"source", "spec_sha256", "engine_version", "data", "rows", "created_at"}
 * }
 * </pre>
 */
public final class ModelFile {
    public static final String FORMAT = "streamglm-model";
    public static final int FORMAT_VERSION = 1;

    private ModelFile() {
    }

    /** A model read back from its file. */
    public record Model(ModelSpec spec, FittedDesign design, List<String> columnNames, double[] coefficients,
                        boolean[] aliased, double[] covariance, Double dispersion, Provenance provenance,
                        JsonNode summary) {
    }

    public static String specSha256(ModelSpec spec) {
        try {
            byte[] canonical = ResultJson.MAPPER.writer().without(com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT)
                    .writeValueAsBytes(SpecParser.toJson(spec));
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(canonical));
        } catch (JsonProcessingException | NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static ObjectNode toJson(ModelSpec spec, FittedDesign design, GlmResult result, Provenance provenance) {
        ObjectNode root = ResultJson.MAPPER.createObjectNode();
        root.put("format", FORMAT);
        root.put("format_version", FORMAT_VERSION);
        root.set("spec", SpecParser.toJson(spec));
        root.set("design", designJson(design));
        ArrayNode coefficients = root.putArray("coefficients");
        result.coefficients().forEach(c -> {
            ObjectNode node = coefficients.addObject();
            node.put("name", c.name());
            if (c.estimate() == null) {
                node.putNull("estimate");
            } else {
                node.put("estimate", c.estimate());
            }
        });
        int p = result.coefficients().size();
        ArrayNode cov = root.putArray("covariance");
        double[] c = result.covariance();
        for (int i = 0; i < p; i++) {
            ArrayNode row = cov.addArray();
            for (int j = 0; j < p; j++) {
                row.add(c == null ? 0.0 : c[i * p + j]);
            }
        }
        if (result.dispersion() == null) {
            root.putNull("dispersion");
        } else {
            root.put("dispersion", result.dispersion());
        }
        root.set("summary", ResultJson.toJson(result));
        ObjectNode prov = root.putObject("provenance");
        prov.put("source", provenance.source());
        prov.put("spec_sha256", provenance.specSha256());
        prov.put("engine_version", provenance.engineVersion());
        prov.put("data", provenance.data());
        prov.put("rows", provenance.rows());
        prov.put("created_at", provenance.createdAt());
        return root;
    }

    /** A frozen design as JSON text (for shipping it to stream operators). */
    public static String designToJson(FittedDesign design) {
        return designJson(design).toString();
    }

    /** A frozen design as a JSON tree. */
    public static ObjectNode designJsonNode(FittedDesign design) {
        return designJson(design);
    }

    /**
     * A model from a stream or replay output record (which carries the spec, design and covariance): the same
     * model file {@code fit --model-out} writes, with provenance pointing at the refit.
     */
    public static ObjectNode fromRefitRecord(JsonNode refit) {
        RefitRecord.checkReadable(refit);
        if (!refit.has("spec") || !refit.has("design") || !refit.has("covariance_upper")) {
            throw new ModelFormatException("refit " + refit.path("refit").asText() + " of " + refit.path("model").asText()
                    + " carries no spec, design or covariance (written by an older streamglm?)");
        }
        ObjectNode root = ResultJson.MAPPER.createObjectNode();
        root.put("format", FORMAT);
        root.put("format_version", FORMAT_VERSION);
        root.set("spec", refit.get("spec"));
        root.set("design", refit.get("design"));
        ArrayNode coefficients = root.putArray("coefficients");
        List<String> names = new ArrayList<>();
        refit.get("coefficients").fields().forEachRemaining(e -> {
            names.add(e.getKey());
            ObjectNode c = coefficients.addObject();
            c.put("name", e.getKey());
            c.set("estimate", e.getValue().get("estimate"));
        });
        int p = names.size();
        double[][] full = new double[p][p];
        JsonNode upper = refit.get("covariance_upper");
        int k = 0;
        for (int i = 0; i < p; i++) {
            for (int j = i; j < p; j++) {
                full[i][j] = upper.get(k).asDouble();
                full[j][i] = full[i][j];
                k++;
            }
        }
        ArrayNode cov = root.putArray("covariance");
        for (int i = 0; i < p; i++) {
            ArrayNode row = cov.addArray();
            for (int j = 0; j < p; j++) {
                row.add(full[i][j]);
            }
        }
        root.set("dispersion", refit.get("dispersion"));
        ObjectNode summary = refit.deepCopy();
        summary.remove(List.of("spec", "design", "covariance_upper"));
        root.set("summary", summary);
        ObjectNode prov = root.putObject("provenance");
        JsonNode rp = refit.path("provenance");
        prov.put("source", refit.path("mode").asText("stream"));
        prov.put("spec_sha256", rp.path("spec_sha256").asText());
        prov.put("engine_version", rp.path("engine_version").asText());
        prov.put("data", refit.path("model").asText() + " " + refit.path("refit").asText() + " from "
                + rp.path("input").asText());
        prov.put("rows", refit.path("rows").asLong());
        prov.put("created_at", refit.path("window").path("end").asText(""));
        prov.put("refit", refit.path("refit").asText());
        return root;
    }

    /** The inverse of {@link #designToJson}. */
    public static FittedDesign designFromJson(String json) {
        try {
            return readDesign(ResultJson.MAPPER.readTree(json));
        } catch (java.io.IOException e) {
            throw new ModelFormatException("not a design: " + e.getMessage());
        }
    }

    static ObjectNode designJson(FittedDesign design) {
        ObjectNode node = ResultJson.MAPPER.createObjectNode();
        node.put("intercept", design.intercept());
        ArrayNode terms = node.putArray("terms");
        for (DesignTerm t : design.terms()) {
            ArrayNode comps = terms.addObject().putArray("components");
            for (DesignComponent c : t.components()) {
                ObjectNode cn = comps.addObject();
                cn.put("name", c.name());
                cn.put("column", c.column());
                if (c instanceof NumericComponent) {
                    cn.put("type", "numeric");
                } else if (c instanceof FactorComponent f) {
                    cn.put("type", "factor");
                    ArrayNode levels = cn.putArray("levels");
                    f.levels().forEach(levels::add);
                    cn.put("contrasts", f.contrasts());
                    cn.put("unseen", f.unseen().specName());
                } else if (c instanceof SplineComponent sc) {
                    SplineBasis b = sc.basis();
                    cn.put("type", "spline");
                    cn.put("kind", b.kind() == SplineBasis.Kind.BS ? "bs" : "ns");
                    cn.put("degree", b.degree());
                    ArrayNode knots = cn.putArray("knots");
                    for (double k : b.interiorKnots()) {
                        knots.add(k);
                    }
                    cn.putArray("boundary_knots").add(b.lower()).add(b.upper());
                } else if (c instanceof ExpressionComponent e) {
                    cn.remove("column");
                    cn.put("type", "expression");
                    cn.put("expr", e.expr());
                } else if (c instanceof FrequencyComponent fe) {
                    cn.put("type", "frequency");
                    cn.put("normalize", fe.normalize());
                    ObjectNode values = cn.putObject("values");
                    new TreeMap<>(fe.values()).forEach(values::put);
                } else if (c instanceof TargetComponent te) {
                    cn.put("type", "target");
                    cn.put("prior_weight", te.priorWeight());
                    cn.put("seed", te.seed());
                    cn.put("prior", te.prior());
                    ObjectNode sums = cn.putObject("sums");
                    new TreeMap<>(te.sums()).forEach(sums::put);
                    ObjectNode counts = cn.putObject("counts");
                    new TreeMap<>(te.counts()).forEach(counts::put);
                }
            }
        }
        ArrayNode columns = node.putArray("columns");
        design.columnNames().forEach(columns::add);
        return node;
    }

    /** Reads a model file; {@code source} names it in messages. */
    public static Model read(String json, String source) {
        JsonNode root;
        try {
            root = ResultJson.MAPPER.readTree(json.getBytes(StandardCharsets.UTF_8));
        } catch (java.io.IOException e) {
            throw new ModelFormatException(source + ": not a JSON model file: " + e.getMessage());
        }
        if (root == null || !FORMAT.equals(root.path("format").asText())) {
            throw new ModelFormatException(source + ": not a streamglm model file (\"format\" is not \"" + FORMAT + "\")");
        }
        int version = root.path("format_version").asInt(-1);
        if (version > FORMAT_VERSION) {
            throw new ModelFormatException(source + ": model format version " + version + " is newer than this "
                    + "streamglm reads (" + FORMAT_VERSION + "); upgrade streamglm (engine " + EngineVersion.get() + ")");
        }
        if (version < 1) {
            throw new ModelFormatException(source + ": \"format_version\" is missing or invalid");
        }
        ModelSpec spec = SpecParser.parse(root.get("spec"), source + " (spec)");
        FittedDesign design = readDesign(root.get("design"));
        List<String> names = design.columnNames();
        JsonNode coefficients = root.get("coefficients");
        int p = names.size();
        if (coefficients == null || coefficients.size() != p) {
            throw new ModelFormatException(source + ": has " + (coefficients == null ? 0 : coefficients.size())
                    + " coefficients for a design of " + p + " columns");
        }
        double[] beta = new double[p];
        boolean[] aliased = new boolean[p];
        for (int i = 0; i < p; i++) {
            JsonNode c = coefficients.get(i);
            if (!names.get(i).equals(c.path("name").asText())) {
                throw new ModelFormatException(source + ": coefficient " + i + " is named '" + c.path("name").asText()
                        + "' but the design's column is '" + names.get(i) + "'");
            }
            JsonNode e = c.get("estimate");
            aliased[i] = e == null || e.isNull();
            beta[i] = aliased[i] ? 0.0 : e.asDouble();
        }
        double[] cov = new double[p * p];
        JsonNode covNode = root.get("covariance");
        for (int i = 0; i < p && covNode != null; i++) {
            for (int j = 0; j < p; j++) {
                cov[i * p + j] = covNode.get(i).get(j).asDouble();
            }
        }
        JsonNode prov = root.path("provenance");
        Provenance provenance = new Provenance(prov.path("source").asText(), prov.path("spec_sha256").asText(),
                prov.path("engine_version").asText(), prov.path("data").asText(), prov.path("rows").asLong(),
                prov.path("created_at").asText());
        JsonNode disp = root.get("dispersion");
        return new Model(spec, design, names, beta, aliased, cov,
                disp == null || disp.isNull() ? null : disp.asDouble(), provenance, root.get("summary"));
    }

    private static java.util.Map<String, Double> doubles(JsonNode node) {
        java.util.Map<String, Double> out = new java.util.HashMap<>();
        node.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asDouble()));
        return out;
    }

    private static FittedDesign readDesign(JsonNode node) {
        boolean intercept = node.path("intercept").asBoolean(true);
        List<DesignTerm> terms = new ArrayList<>();
        int column = intercept ? 1 : 0;
        for (JsonNode t : node.path("terms")) {
            List<DesignComponent> comps = new ArrayList<>();
            for (JsonNode c : t.path("components")) {
                String type = c.path("type").asText();
                if (type.equals("numeric")) {
                    comps.add(new NumericComponent(c.path("name").asText(), c.path("column").asText()));
                } else if (type.equals("factor")) {
                    List<String> levels = new ArrayList<>();
                    c.path("levels").forEach(l -> levels.add(l.asText()));
                    comps.add(new FactorComponent(c.path("name").asText(), c.path("column").asText(), levels,
                            c.path("contrasts").asBoolean(),
                            UnseenLevelPolicy.valueOf(c.path("unseen").asText("error").toUpperCase(Locale.ROOT))));
                } else if (type.equals("spline")) {
                    double[] knots = new double[c.path("knots").size()];
                    for (int k = 0; k < knots.length; k++) {
                        knots[k] = c.path("knots").get(k).asDouble();
                    }
                    comps.add(new SplineComponent(c.path("name").asText(), c.path("column").asText(),
                            new SplineBasis(c.path("kind").asText().equals("ns") ? SplineBasis.Kind.NS : SplineBasis.Kind.BS,
                                    c.path("degree").asInt(3), knots, c.path("boundary_knots").get(0).asDouble(),
                                    c.path("boundary_knots").get(1).asDouble())));
                } else if (type.equals("expression")) {
                    String expr = c.path("expr").asText();
                    comps.add(new ExpressionComponent(c.path("name").asText(), expr, ExpressionParser.parse(expr)));
                } else if (type.equals("frequency")) {
                    comps.add(new FrequencyComponent(c.path("name").asText(), c.path("column").asText(),
                            c.path("normalize").asBoolean(true), doubles(c.path("values"))));
                } else if (type.equals("target")) {
                    comps.add(new TargetComponent(c.path("name").asText(), c.path("column").asText(),
                            c.path("prior_weight").asDouble(), c.path("seed").asLong(), c.path("prior").asDouble(),
                            doubles(c.path("sums")), doubles(c.path("counts"))));
                } else {
                    throw new ModelFormatException("unknown design component type '" + type + "'");
                }
            }
            DesignTerm term = new DesignTerm(comps, column);
            column += term.width();
            terms.add(term);
        }
        return new FittedDesign(intercept, terms);
    }
}
