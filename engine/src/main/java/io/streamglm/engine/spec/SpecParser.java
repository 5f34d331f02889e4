package io.streamglm.engine.spec;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streamglm.engine.family.Families;
import io.streamglm.engine.family.Family;
import io.streamglm.engine.link.Links;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads the JSON spec format of {@code shared/reference/README.md} and validates all of it before any data is
 * read, collecting every problem (each naming its field and, where possible, a fix) into one
 * {@link SpecException}.
 */
public final class SpecParser {
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private static final List<String> ROOT_FIELDS = List.of("response", "family", "link", "exposure", "offset",
            "weights", "var_power", "theta", "control", "intercept", "terms", "interactions", "model",
            "description", "max_levels", "min_level_rows", "csv_header", "penalty");
    /** Default most levels a categorical may have; more usually means an id column used by mistake. */
    public static final int DEFAULT_MAX_LEVELS = 10_000;
    /** Default fewest rows a level should have before the fit warns about it. */
    public static final int DEFAULT_MIN_LEVEL_ROWS = 5;
    private static final List<String> CONTROL_FIELDS = List.of("epsilon", "max_iterations");
    private static final List<String> TERM_TYPES_SUPPORTED = List.of("linear", "categorical", "bs", "ns",
            "expression", "frequency_encoding", "target_encoding");
    private static final List<String> LINEAR_FIELDS = List.of("type", "column");
    private static final List<String> CATEGORICAL_FIELDS = List.of("type", "column", "levels", "base", "unseen");
    private static final List<String> SPLINE_FIELDS = List.of("type", "column", "df", "degree", "knots",
            "boundary_knots");
    private static final List<String> EXPRESSION_FIELDS = List.of("type", "expr");
    private static final List<String> FREQUENCY_FIELDS = List.of("type", "column", "normalize");
    private static final List<String> TARGET_FIELDS = List.of("type", "column", "prior_weight", "seed");

    private final String source;
    private final List<SpecProblem> problems = new ArrayList<>();

    private SpecParser(String source) {
        this.source = source;
    }

    /** Parses spec JSON text; {@code source} names it in messages (a file name, or null). */
    public static ModelSpec parse(String json, String source) {
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (JsonParseException e) {
            throw new SpecException(source, List.of(new SpecProblem("(json)",
                    "malformed JSON at line " + e.getLocation().getLineNr() + ", column "
                            + e.getLocation().getColumnNr() + ": " + e.getOriginalMessage(),
                    "check for a missing comma, quote or brace")));
        } catch (JsonProcessingException e) {
            throw new SpecException(source, List.of(new SpecProblem("(json)", "malformed JSON: "
                    + e.getOriginalMessage(), null)));
        }
        if (root == null || !root.isObject()) {
            throw new SpecException(source, List.of(new SpecProblem("(root)",
                    "the spec must be a JSON object", "start the file with '{'")));
        }
        return parse(root, source);
    }

    /** Parses a spec already read as a JSON tree. */
    public static ModelSpec parse(JsonNode root, String source) {
        return new SpecParser(source).parseRoot(root);
    }

    /** The canonical JSON of a spec, the inverse of {@link #parse(JsonNode, String)}. */
    public static ObjectNode toJson(ModelSpec spec) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("response", spec.response());
        root.put("family", spec.family());
        root.put("link", spec.link());
        if (spec.exposure() != null) {
            root.put("exposure", spec.exposure());
        }
        if (spec.offset() != null) {
            root.put("offset", spec.offset());
        }
        if (spec.weights() != null) {
            root.put("weights", spec.weights());
        }
        if (spec.varPower() != null) {
            root.put("var_power", spec.varPower());
        }
        if (spec.theta() != null) {
            root.put("theta", spec.theta());
        }
        ObjectNode control = root.putObject("control");
        control.put("epsilon", spec.control().epsilon());
        control.put("max_iterations", spec.control().maxIterations());
        root.put("intercept", spec.intercept());
        root.put("max_levels", spec.maxLevels());
        root.put("min_level_rows", spec.minLevelRows());
        if (!spec.csvHeader().isEmpty()) {
            var header = root.putArray("csv_header");
            spec.csvHeader().forEach(header::add);
        }
        ObjectNode terms = root.putObject("terms");
        for (NamedTerm t : spec.terms()) {
            terms.set(t.name(), termJson(t.term()));
        }
        var interactions = root.putArray("interactions");
        for (InteractionSpec i : spec.interactions()) {
            ObjectNode node = interactions.addObject();
            for (NamedTerm t : i.parts()) {
                node.set(t.name(), termJson(t.term()));
            }
            node.put("include_main", i.includeMain());
        }
        if (spec.penalty() != null) {
            root.set("penalty", penaltyJson(spec.penalty()));
        }
        return root;
    }

    private static ObjectNode penaltyJson(PenaltySpec p) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("l1_ratio", p.l1Ratio());
        if (p.lambdas() != null) {
            var lambdas = node.putArray("lambda");
            p.lambdas().forEach(lambdas::add);
        } else {
            ObjectNode path = node.putObject("path");
            path.put("n_lambda", p.nLambda());
            if (p.lambdaMinRatio() != null) {
                path.put("lambda_min_ratio", p.lambdaMinRatio());
            }
        }
        node.put("standardize", p.standardize());
        ObjectNode factors = node.putObject("penalty_factor");
        new java.util.TreeMap<>(p.penaltyFactor()).forEach(factors::put);
        node.put("thresh", p.thresh());
        node.put("max_passes", p.maxPasses());
        if (p.groupByTerm()) {
            node.put("group", "by_term");
        }
        if (p.cv() != null) {
            ObjectNode cv = node.putObject("cv");
            if (p.cv().foldColumn() != null) {
                cv.put("fold_column", p.cv().foldColumn());
            } else {
                cv.put("folds", p.cv().folds());
                cv.put("seed", p.cv().seed());
            }
            cv.put("measure", p.cv().measure());
            cv.put("select", p.select());
        }
        return node;
    }

    private static ObjectNode termJson(TermSpec term) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("type", term.type());
        if (term instanceof ExpressionTerm e) {
            node.put("expr", e.expr());
            return node;
        }
        node.put("column", term.column());
        if (term instanceof SplineTerm st) {
            if (!st.natural()) {
                node.put("degree", st.degree());
            }
            if (st.df() != null) {
                node.put("df", st.df());
            }
            if (st.knots() != null) {
                var k = node.putArray("knots");
                st.knots().forEach(k::add);
            }
            if (st.boundaryKnots() != null) {
                var b = node.putArray("boundary_knots");
                st.boundaryKnots().forEach(b::add);
            }
        } else if (term instanceof FrequencyTerm f) {
            node.put("normalize", f.normalize());
        } else if (term instanceof TargetTerm t) {
            node.put("prior_weight", t.priorWeight());
            node.put("seed", t.seed());
        }
        if (term instanceof CategoricalTerm c) {
            if (c.levels() != null) {
                var levels = node.putArray("levels");
                c.levels().forEach(levels::add);
            }
            if (c.base() != null) {
                node.put("base", c.base());
            }
            node.put("unseen", c.unseen().specName());
        }
        return node;
    }

    private ModelSpec parseRoot(JsonNode root) {
        checkFields(root, ROOT_FIELDS, "");
        String response = requiredString(root, "response", "name the response column, e.g. \"response\": \"y\"");
        String familyName = requiredString(root, "family", "one of " + Families.NAMES);
        Double varPower = optionalNumber(root, "var_power");
        Double theta = optionalNumber(root, "theta");
        Family family = null;
        if (familyName != null) {
            familyName = familyName.toLowerCase(Locale.ROOT);
            if (!Families.NAMES.contains(familyName)) {
                add("family", "unknown family '" + familyName + "'",
                        hint(Suggestions.didYouMean(familyName, Families.NAMES), "use one of " + Families.NAMES));
                familyName = null;
            } else {
                family = checkFamilyParameters(familyName, varPower, theta);
            }
        }
        String link = optionalString(root, "link");
        if (familyName != null) {
            link = checkLink(familyName, family, link);
        }
        String exposure = optionalString(root, "exposure");
        String offset = optionalString(root, "offset");
        String weights = optionalString(root, "weights");
        Control control = parseControl(root.get("control"));
        boolean intercept = true;
        JsonNode interceptNode = root.get("intercept");
        if (interceptNode != null) {
            if (interceptNode.isBoolean()) {
                intercept = interceptNode.booleanValue();
            } else {
                add("intercept", "must be true or false", null);
            }
        }
        int maxLevels = positiveInt(root, "max_levels", DEFAULT_MAX_LEVELS);
        int minLevelRows = positiveInt(root, "min_level_rows", DEFAULT_MIN_LEVEL_ROWS);
        Map<String, TermSpec> termMap = new HashMap<>();
        List<NamedTerm> terms = parseTerms(root.get("terms"), termMap);
        List<InteractionSpec> interactions = parseInteractions(root.get("interactions"), termMap);
        if (response != null) {
            for (NamedTerm t : terms) {
                if (t.term().column().equals(response)) {
                    add("terms." + t.name(), "uses the response column '" + response + "' as a predictor",
                            "remove the term or choose another response");
                }
            }
        }
        List<String> csvHeader = parseCsvHeader(root.get("csv_header"));
        PenaltySpec penalty = null;
        if (root.get("penalty") != null && !root.get("penalty").isNull()) {
            penalty = new PenaltyParser(problems).parse(root.get("penalty"), penaltyTermKeys(terms, interactions));
        }
        if (familyName != null && response != null) {
            ModelSpec spec = new ModelSpec(response, familyName, link, exposure, offset, weights,
                    familyName.equals("tweedie") ? varPower : null,
                    familyName.equals("negbinomial") ? theta : null,
                    control, intercept, terms, interactions, maxLevels, minLevelRows, csvHeader, penalty);
            checkCsvHeaderCovers(spec); // with the other problems, so that all are reported at once
            if (problems.isEmpty()) {
                return spec;
            }
        }
        throw new SpecException(source, problems);
    }

    /** Term keys a penalty factor may name: the terms' keys and the interactions' labels ({@code a:b}). */
    private static List<String> penaltyTermKeys(List<NamedTerm> terms, List<InteractionSpec> interactions) {
        List<String> keys = new ArrayList<>();
        terms.forEach(t -> keys.add(t.name()));
        for (InteractionSpec i : interactions) {
            StringBuilder label = new StringBuilder();
            for (NamedTerm t : i.parts()) {
                label.append(label.isEmpty() ? "" : ":").append(t.name());
                if (i.includeMain() && !keys.contains(t.name())) {
                    keys.add(t.name());
                }
            }
            keys.add(label.toString());
        }
        return keys;
    }

    /** The field names of CSV stream records: a non-empty array of distinct, non-empty names. */
    private List<String> parseCsvHeader(JsonNode node) {
        if (node == null || node.isNull()) {
            return List.of();
        }
        String hint = "list the CSV lines' field names in order, e.g. \"csv_header\": [\"ts\", \"x1\", \"y\"]";
        if (!node.isArray() || node.isEmpty()) {
            add("csv_header", "must be a non-empty array of field names", hint);
            return List.of();
        }
        List<String> names = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        for (int i = 0; i < node.size(); i++) {
            JsonNode n = node.get(i);
            if (!n.isTextual() || n.textValue().isBlank()) {
                add("csv_header[" + i + "]", "must be a non-empty string", hint);
            } else if (!seen.add(n.textValue())) {
                add("csv_header[" + i + "]", "repeats the field name '" + n.textValue() + "'",
                        "each field of a CSV line needs its own name");
            } else {
                names.add(n.textValue());
            }
        }
        return names;
    }

    /** Every column the spec reads must be a field of the CSV lines. */
    private void checkCsvHeaderCovers(ModelSpec spec) {
        if (spec.csvHeader().isEmpty()) {
            return;
        }
        Map<String, String> wanted = new java.util.LinkedHashMap<>(spec.numericColumnUsage());
        spec.categoricalColumnUsage().forEach(wanted::putIfAbsent);
        wanted.forEach((column, usage) -> {
            if (!spec.csvHeader().contains(column)) {
                add("csv_header", "lacks the column '" + column + "' that " + usage + " reads",
                        hint(Suggestions.didYouMean(column, spec.csvHeader()), "add '" + column
                                + "' at its position in the CSV lines"));
            }
        });
    }

    private int positiveInt(JsonNode root, String field, int fallback) {
        JsonNode n = root.get(field);
        if (n == null || n.isNull()) {
            return fallback;
        }
        if (!n.isIntegralNumber() || n.intValue() < 1) {
            add(field, "must be an integer >= 1", "the default is " + fallback);
            return fallback;
        }
        return n.intValue();
    }

    private Family checkFamilyParameters(String familyName, Double varPower, Double theta) {
        if (familyName.equals("tweedie")) {
            if (varPower == null) {
                add("var_power", "the tweedie family needs a variance power",
                        "add e.g. \"var_power\": 1.5 (compound Poisson-gamma)");
                return null;
            }
            if (varPower != 0 && varPower < 1) {
                add("var_power", "must be 0 or >= 1, got " + varPower,
                        "no Tweedie distribution exists for powers between 0 and 1");
                return null;
            }
        } else if (varPower != null) {
            add("var_power", "only the tweedie family takes a variance power", "remove it or use \"family\": \"tweedie\"");
        }
        if (familyName.equals("negbinomial")) {
            if (theta != null && !(theta > 0)) {
                add("theta", "must be > 0, got " + theta, "omit it to estimate theta by maximum likelihood");
                return null;
            }
        } else if (theta != null) {
            add("theta", "only the negbinomial family takes theta", "remove it or use \"family\": \"negbinomial\"");
        }
        // An estimated-theta negbinomial has no fixed family; its links are those of a fixed one.
        return Families.byName(familyName, varPower, theta == null ? 1.0 : theta).orElseThrow();
    }

    private String checkLink(String familyName, Family family, String link) {
        if (family == null) {
            return link;
        }
        if (link == null) {
            return family.defaultLink();
        }
        String canonical = link.toLowerCase(Locale.ROOT).equals("1/mu^2") ? "inverse_squared" : link.toLowerCase(Locale.ROOT);
        if (Links.byName(canonical).isEmpty()) {
            add("link", "unknown link '" + link + "'",
                    hint(Suggestions.didYouMean(link, Links.NAMES), "use one of " + Links.NAMES));
            return null;
        }
        if (!family.allowedLinks().contains(canonical)) {
            add("link", "the " + familyName + " family cannot use the " + canonical + " link",
                    "use one of " + family.allowedLinks());
            return null;
        }
        return canonical;
    }

    private Control parseControl(JsonNode node) {
        if (node == null || node.isNull()) {
            return Control.R_DEFAULT;
        }
        if (!node.isObject()) {
            add("control", "must be an object", "e.g. {\"epsilon\": 1e-8, \"max_iterations\": 25}");
            return Control.R_DEFAULT;
        }
        checkFields(node, CONTROL_FIELDS, "control.");
        double epsilon = Control.R_DEFAULT.epsilon();
        int maxIterations = Control.R_DEFAULT.maxIterations();
        JsonNode eps = node.get("epsilon");
        if (eps != null) {
            if (!eps.isNumber() || !(eps.doubleValue() > 0)) {
                add("control.epsilon", "must be a number > 0", "R's default is 1e-8");
            } else {
                epsilon = eps.doubleValue();
            }
        }
        JsonNode maxit = node.get("max_iterations");
        if (maxit != null) {
            if (!maxit.canConvertToInt() || !maxit.isIntegralNumber() || maxit.intValue() < 1) {
                add("control.max_iterations", "must be an integer >= 1", "R's default is 25");
            } else {
                maxIterations = maxit.intValue();
            }
        }
        return new Control(epsilon, maxIterations);
    }

    private List<NamedTerm> parseTerms(JsonNode node, Map<String, TermSpec> termMap) {
        List<NamedTerm> terms = new ArrayList<>();
        if (node == null || node.isNull()) {
            return terms;
        }
        if (!node.isObject()) {
            add("terms", "must be an object mapping term names to definitions",
                    "e.g. {\"age\": {\"type\": \"linear\"}}");
            return terms;
        }
        Iterator<Map.Entry<String, JsonNode>> it = node.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            TermSpec term = parseTerm("terms." + e.getKey(), e.getKey(), e.getValue());
            if (term != null) {
                terms.add(new NamedTerm(e.getKey(), term));
                termMap.put(e.getKey(), term);
            }
        }
        return terms;
    }

    private TermSpec parseTerm(String field, String name, JsonNode node) {
        if (node == null || !node.isObject()) {
            add(field, "must be an object with a \"type\"", "e.g. {\"type\": \"linear\"}");
            return null;
        }
        JsonNode typeNode = node.get("type");
        if (typeNode == null || !typeNode.isTextual()) {
            add(field + ".type", "is missing", "use one of " + TERM_TYPES_SUPPORTED);
            return null;
        }
        String type = typeNode.textValue();
        String column = node.hasNonNull("column") ? node.get("column").asText() : name;
        switch (type) {
            case "linear" -> {
                checkFields(node, LINEAR_FIELDS, field + ".");
                return new LinearTerm(column);
            }
            case "categorical" -> {
                checkFields(node, CATEGORICAL_FIELDS, field + ".");
                return parseCategorical(field, column, node);
            }
            case "bs", "ns" -> {
                checkFields(node, SPLINE_FIELDS, field + ".");
                return parseSpline(field, type, column, node);
            }
            case "expression" -> {
                checkFields(node, EXPRESSION_FIELDS, field + ".");
                return parseExpression(field, node);
            }
            case "frequency_encoding" -> {
                checkFields(node, FREQUENCY_FIELDS, field + ".");
                JsonNode normalize = node.get("normalize");
                if (normalize != null && !normalize.isBoolean()) {
                    add(field + ".normalize", "must be true (share of rows) or false (count)", null);
                }
                return new FrequencyTerm(column, normalize == null || normalize.asBoolean(true));
            }
            case "target_encoding" -> {
                checkFields(node, TARGET_FIELDS, field + ".");
                double priorWeight = 1.0;
                JsonNode pw = node.get("prior_weight");
                if (pw != null) {
                    if (!pw.isNumber() || !(pw.doubleValue() > 0)) {
                        add(field + ".prior_weight", "must be a number > 0", "it counts pseudo-rows at the global mean");
                    } else {
                        priorWeight = pw.doubleValue();
                    }
                }
                long seed = 42;
                JsonNode sd = node.get("seed");
                if (sd != null) {
                    if (!sd.canConvertToLong() || !sd.isIntegralNumber()) {
                        add(field + ".seed", "must be an integer", null);
                    } else {
                        seed = sd.longValue();
                    }
                }
                return new TargetTerm(column, priorWeight, seed);
            }
            default -> {
                add(field + ".type", "unknown term type '" + type + "'",
                        hint(Suggestions.didYouMean(type, TERM_TYPES_SUPPORTED), "use one of " + TERM_TYPES_SUPPORTED));
                return null;
            }
        }
    }

    private TermSpec parseCategorical(String field, String column, JsonNode node) {
        List<String> levels = null;
        JsonNode levelsNode = node.get("levels");
        if (levelsNode != null && !levelsNode.isNull()) {
            if (!levelsNode.isArray() || levelsNode.isEmpty()) {
                add(field + ".levels", "must be a non-empty array of strings", "or omit it to use the sorted data values");
            } else {
                levels = new ArrayList<>();
                Set<String> seen = new LinkedHashSet<>();
                for (JsonNode l : levelsNode) {
                    if (!l.isValueNode() || l.isNull()) {
                        add(field + ".levels", "must contain only strings", null);
                        break;
                    }
                    if (!seen.add(l.asText())) {
                        add(field + ".levels", "lists '" + l.asText() + "' twice", "list each level once");
                    }
                    levels.add(l.asText());
                }
            }
        }
        String base = node.hasNonNull("base") ? node.get("base").asText() : null;
        if (base != null && levels != null && !levels.contains(base)) {
            add(field + ".base", "'" + base + "' is not one of the declared levels",
                    hint(Suggestions.didYouMean(base, levels), "use one of " + levels));
        }
        UnseenLevelPolicy unseen = UnseenLevelPolicy.ERROR;
        if (node.hasNonNull("unseen")) {
            String u = node.get("unseen").asText();
            try {
                unseen = UnseenLevelPolicy.valueOf(u.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                add(field + ".unseen", "unknown policy '" + u + "'", "use one of error, base, null");
            }
        }
        return new CategoricalTerm(column, levels, base, unseen);
    }

    private TermSpec parseSpline(String field, String type, String column, JsonNode node) {
        boolean natural = type.equals("ns");
        int degree = 3;
        JsonNode dg = node.get("degree");
        if (dg != null) {
            if (natural) {
                if (!dg.isIntegralNumber() || dg.intValue() != 3) {
                    add(field + ".degree", "ns is always cubic", "remove \"degree\" or use \"type\": \"bs\"");
                }
            } else if (!dg.isIntegralNumber() || dg.intValue() < 1) {
                add(field + ".degree", "must be an integer >= 1", "R's default is 3 (cubic)");
            } else {
                degree = dg.intValue();
            }
        }
        Integer df = null;
        JsonNode dfNode = node.get("df");
        if (dfNode != null) {
            if (!dfNode.isIntegralNumber() || dfNode.intValue() < 1) {
                add(field + ".df", "must be an integer >= 1", null);
            } else {
                df = dfNode.intValue();
                if (!natural && df < degree) {
                    add(field + ".df", "df (" + df + ") is smaller than degree (" + degree + ")",
                            "use df >= " + degree + ", or lower the degree");
                }
            }
        }
        List<Double> knots = numbers(field + ".knots", node.get("knots"), -1);
        List<Double> boundary = numbers(field + ".boundary_knots", node.get("boundary_knots"), 2);
        if (knots != null) {
            for (int i = 1; i < knots.size(); i++) {
                if (knots.get(i) < knots.get(i - 1)) {
                    add(field + ".knots", "must be in increasing order", "sort them");
                    break;
                }
            }
            if (df != null) {
                add(field, "gives both df and knots", "give one: df places knots at quantiles of the data");
            }
        }
        if (boundary != null) {
            if (!(boundary.get(0) < boundary.get(1))) {
                add(field + ".boundary_knots", "must be [lower, upper] with lower < upper", null);
            } else if (knots != null) {
                for (double k : knots) {
                    if (k <= boundary.get(0) || k >= boundary.get(1)) {
                        add(field + ".knots", "knot " + k + " is not inside the boundary knots " + boundary, null);
                        break;
                    }
                }
            }
        }
        return new SplineTerm(type, column, degree, df, knots, boundary);
    }

    private List<Double> numbers(String field, JsonNode node, int size) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isArray() || (size >= 0 && node.size() != size)) {
            add(field, size >= 0 ? "must be an array of " + size + " numbers" : "must be an array of numbers", null);
            return null;
        }
        List<Double> out = new ArrayList<>();
        for (JsonNode n : node) {
            if (!n.isNumber() || !Double.isFinite(n.doubleValue())) {
                add(field, "must contain only finite numbers", null);
                return null;
            }
            out.add(n.doubleValue());
        }
        return out;
    }

    private TermSpec parseExpression(String field, JsonNode node) {
        JsonNode e = node.get("expr");
        if (e == null || !e.isTextual() || e.textValue().isBlank()) {
            add(field + ".expr", "is missing", "e.g. \"expr\": \"weight / (height ** 2)\"");
            return null;
        }
        try {
            return new ExpressionTerm(e.textValue(), io.streamglm.engine.spec.expr.ExpressionParser.parse(e.textValue()));
        } catch (io.streamglm.engine.spec.expr.ExpressionException ex) {
            add(field + ".expr", "'" + e.textValue() + "' " + ex.getMessage(),
                    "use numbers, columns, + - * / ** ( ), log exp sqrt abs min max, and comparisons");
            return null;
        }
    }

    private List<InteractionSpec> parseInteractions(JsonNode node, Map<String, TermSpec> termMap) {
        List<InteractionSpec> out = new ArrayList<>();
        if (node == null || node.isNull()) {
            return out;
        }
        if (!node.isArray()) {
            add("interactions", "must be an array of objects",
                    "e.g. [{\"a\": {\"type\": \"categorical\"}, \"b\": {\"type\": \"linear\"}, \"include_main\": true}]");
            return out;
        }
        Set<Set<String>> seen = new java.util.HashSet<>();
        // A part defined in one interaction may be referred to by name ({}) in later ones.
        Map<String, TermSpec> known = new HashMap<>(termMap);
        for (int i = 0; i < node.size(); i++) {
            String field = "interactions[" + i + "]";
            JsonNode inode = node.get(i);
            if (!inode.isObject()) {
                add(field, "must be an object naming two or three terms", null);
                continue;
            }
            boolean includeMain = true;
            List<NamedTerm> parts = new ArrayList<>();
            Iterator<Map.Entry<String, JsonNode>> it = inode.fields();
            boolean ok = true;
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                if (e.getKey().equals("include_main")) {
                    if (!e.getValue().isBoolean()) {
                        add(field + ".include_main", "must be true or false", null);
                    } else {
                        includeMain = e.getValue().booleanValue();
                    }
                    continue;
                }
                TermSpec part = interactionPart(field + "." + e.getKey(), e.getKey(), e.getValue(), known);
                if (part == null) {
                    ok = false;
                } else {
                    parts.add(new NamedTerm(e.getKey(), part));
                    known.putIfAbsent(e.getKey(), part);
                }
            }
            if (!ok) {
                continue;
            }
            if (parts.size() < 2 || parts.size() > 3) {
                add(field, "names " + parts.size() + " term(s); an interaction multiplies two or three", null);
                continue;
            }
            Set<String> key = new java.util.HashSet<>();
            parts.forEach(p -> key.add(p.name()));
            if (key.size() != parts.size()) {
                add(field, "names the same term twice", null);
                continue;
            }
            if (!seen.add(key)) {
                add(field, "repeats an earlier interaction of the same terms", "remove the duplicate");
                continue;
            }
            out.add(new InteractionSpec(parts, includeMain));
        }
        return out;
    }

    private TermSpec interactionPart(String field, String name, JsonNode node, Map<String, TermSpec> termMap) {
        TermSpec declared = termMap.get(name);
        boolean hasType = node != null && node.isObject() && node.has("type");
        if (!hasType) {
            if (declared == null) {
                add(field, "names a term absent from \"terms\" and earlier interactions, and gives no definition",
                        hint(Suggestions.didYouMean(name, termMap.keySet()), "define it in \"terms\" or give {\"type\": ...}"));
            }
            return declared;
        }
        TermSpec part = parseTerm(field, name, node);
        if (part != null && declared != null && !sameDefinition(part, declared)) {
            add(field, "differs from its definition in terms." + name, "use the same definition, or {} to refer to it");
            return null;
        }
        return part;
    }

    private static boolean sameDefinition(TermSpec a, TermSpec b) {
        if (a instanceof CategoricalTerm ca && b instanceof CategoricalTerm cb) {
            // An interaction may restate a categorical without its levels; the declared levels then apply.
            return ca.column().equals(cb.column()) && (ca.levels() == null || ca.levels().equals(cb.levels()))
                    && (ca.base() == null || ca.base().equals(cb.base()));
        }
        return a.equals(b);
    }

    private void checkFields(JsonNode node, List<String> known, String prefix) {
        checkFields(node, known, prefix, problems);
    }

    /** Adds a problem for each field of {@code node} not in {@code known}, with a did-you-mean where one is close. */
    static void checkFields(JsonNode node, List<String> known, String prefix, List<SpecProblem> problems) {
        Iterator<String> names = node.fieldNames();
        while (names.hasNext()) {
            String n = names.next();
            if (!known.contains(n)) {
                problems.add(new SpecProblem(prefix + n, "unknown field",
                        hint(Suggestions.didYouMean(n, known), "known fields: " + known)));
            }
        }
    }

    private String requiredString(JsonNode root, String field, String suggestion) {
        return string(root, field, true, suggestion);
    }

    private String optionalString(JsonNode root, String field) {
        return string(root, field, false, null);
    }

    /** A non-empty string field, or null (with a problem added when it is required, or present but not one). */
    private String string(JsonNode root, String field, boolean required, String suggestion) {
        JsonNode n = root.get(field);
        if (n == null || n.isNull()) {
            if (required) {
                add(field, "is missing", suggestion);
            }
            return null;
        }
        if (!n.isTextual() || n.textValue().isBlank()) {
            add(field, "must be a non-empty string", suggestion);
            return null;
        }
        return n.textValue();
    }

    private Double optionalNumber(JsonNode root, String field) {
        JsonNode n = root.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isNumber() || !Double.isFinite(n.doubleValue())) {
            add(field, "must be a finite number", null);
            return null;
        }
        return n.doubleValue();
    }

    private static String hint(String didYouMean, String otherwise) {
        return didYouMean != null ? didYouMean : otherwise;
    }

    private void add(String field, String message, String suggestion) {
        problems.add(new SpecProblem(field, message, suggestion));
    }
}
