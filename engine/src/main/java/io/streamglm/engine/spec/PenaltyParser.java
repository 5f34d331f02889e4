package io.streamglm.engine.spec;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Parses and checks the spec's {@code penalty} object; every problem names its field and says how to fix it. */
final class PenaltyParser {
    private static final List<String> FIELDS = List.of("l1_ratio", "lambda", "path", "standardize",
            "penalty_factor", "thresh", "max_passes", "cv", "group");
    private static final List<String> PATH_FIELDS = List.of("n_lambda", "lambda_min_ratio");
    private static final List<String> CV_FIELDS = List.of("fold_column", "folds", "seed", "measure", "select");

    private final List<SpecProblem> problems;

    PenaltyParser(List<SpecProblem> problems) {
        this.problems = problems;
    }

    /** @param termKeys the keys a penalty factor may name: terms and interaction labels ({@code a:b}) */
    PenaltySpec parse(JsonNode node, List<String> termKeys) {
        if (!node.isObject()) {
            add("penalty", "must be an object", "e.g. \"penalty\": {\"l1_ratio\": 1, \"path\": {\"n_lambda\": 100}}");
            return null;
        }
        checkFields(node, FIELDS, "penalty.");
        double l1Ratio = 1.0;
        JsonNode a = node.get("l1_ratio");
        if (a != null) {
            if (!a.isNumber() || !(a.doubleValue() >= 0 && a.doubleValue() <= 1)) {
                add("penalty.l1_ratio", "is " + a + ", outside [0, 1]",
                        "use a number from 0 (ridge) to 1 (lasso), e.g. 0.5 for the elastic net");
            } else {
                l1Ratio = a.doubleValue();
            }
        }
        List<Double> lambdas = null;
        JsonNode l = node.get("lambda");
        if (l != null) {
            lambdas = parseLambdas(l);
            if (node.has("path")) {
                add("penalty.path", "is given together with penalty.lambda",
                        "give either the lambdas or the path, not both");
            }
        }
        int nLambda = 100;
        Double minRatio = null;
        JsonNode path = node.get("path");
        if (path != null) {
            if (!path.isObject()) {
                add("penalty.path", "must be an object", "e.g. {\"n_lambda\": 100, \"lambda_min_ratio\": 1e-4}");
            } else {
                checkFields(path, PATH_FIELDS, "penalty.path.");
                JsonNode n = path.get("n_lambda");
                if (n != null) {
                    if (!n.canConvertToInt() || !n.isIntegralNumber() || n.intValue() < 1) {
                        add("penalty.path.n_lambda", "must be a whole number >= 1, got " + n, "glmnet uses 100");
                    } else {
                        nLambda = n.intValue();
                    }
                }
                JsonNode r = path.get("lambda_min_ratio");
                if (r != null) {
                    if (!r.isNumber() || !(r.doubleValue() > 0 && r.doubleValue() < 1)) {
                        add("penalty.path.lambda_min_ratio", "must be in (0, 1), got " + r,
                                "glmnet uses 1e-4 (1e-2 when rows < columns)");
                    } else {
                        minRatio = r.doubleValue();
                    }
                }
            }
        }
        boolean standardize = true;
        JsonNode s = node.get("standardize");
        if (s != null) {
            if (!s.isBoolean()) {
                add("penalty.standardize", "must be true or false", null);
            } else {
                standardize = s.booleanValue();
            }
        }
        Map<String, Double> factors = parseFactors(node.get("penalty_factor"), termKeys);
        double thresh = PenaltySpec.DEFAULT_THRESH;
        JsonNode t = node.get("thresh");
        if (t != null) {
            if (!t.isNumber() || !(t.doubleValue() > 0)) {
                add("penalty.thresh", "must be a number > 0, got " + t, "glmnet's default is 1e-7");
            } else {
                thresh = t.doubleValue();
            }
        }
        int maxPasses = PenaltySpec.DEFAULT_MAX_PASSES;
        JsonNode mp = node.get("max_passes");
        if (mp != null) {
            if (!mp.isIntegralNumber() || !mp.canConvertToInt() || mp.intValue() < 1) {
                add("penalty.max_passes", "must be a whole number >= 1, got " + mp, "glmnet's maxit is 100000");
            } else {
                maxPasses = mp.intValue();
            }
        }
        PenaltySpec.Cv cv = null;
        String select = "last";
        JsonNode c = node.get("cv");
        if (c != null) {
            if (!c.isObject()) {
                add("penalty.cv", "must be an object", "e.g. {\"fold_column\": \"fold\"} or {\"folds\": 10, \"seed\": 1}");
            } else {
                checkFields(c, CV_FIELDS, "penalty.cv.");
                cv = parseCv(c, lambdas);
                JsonNode sel = c.get("select");
                if (sel != null) {
                    if (!sel.isTextual() || !PenaltySpec.SELECTIONS.contains(sel.textValue())) {
                        add("penalty.cv.select", "is " + sel + ", not a known selection",
                                "use one of " + PenaltySpec.SELECTIONS);
                    } else {
                        select = sel.textValue();
                    }
                }
            }
        }
        boolean groupByTerm = false;
        JsonNode g = node.get("group");
        if (g != null) {
            if (g.isTextual() && g.textValue().equals("by_term")) {
                groupByTerm = true;
            } else if (!(g.isTextual() && g.textValue().equals("none"))) {
                add("penalty.group", "is " + g + ", not a known grouping",
                        "use \"by_term\" (the group lasso over each term's columns) or \"none\"");
            }
        }
        return new PenaltySpec(l1Ratio, lambdas, nLambda, minRatio, standardize, factors, thresh, maxPasses, cv,
                select, groupByTerm);
    }

    private List<Double> parseLambdas(JsonNode l) {
        if (!l.isArray() || l.isEmpty()) {
            add("penalty.lambda", "must be a non-empty array of numbers",
                    "e.g. [0.9, 0.1], or leave it out to use glmnet's own sequence (penalty.path)");
            return null;
        }
        List<Double> out = new ArrayList<>();
        for (int i = 0; i < l.size(); i++) {
            JsonNode v = l.get(i);
            if (!v.isNumber() || !Double.isFinite(v.doubleValue())) {
                add("penalty.lambda[" + i + "]", "is " + v + ", not a number", "give each lambda as a number >= 0");
                return null;
            }
            if (v.doubleValue() < 0) {
                add("penalty.lambda[" + i + "]", "is negative (" + v + ")", "lambdas must be >= 0");
                return null;
            }
            if (i > 0 && v.doubleValue() >= out.get(i - 1)) {
                add("penalty.lambda[" + i + "]", "is " + v + ", not below the one before (" + out.get(i - 1) + ")",
                        "list distinct lambdas in decreasing order, as glmnet fits them");
                return null;
            }
            out.add(v.doubleValue());
        }
        return out;
    }

    private Map<String, Double> parseFactors(JsonNode node, List<String> termKeys) {
        Map<String, Double> out = new LinkedHashMap<>();
        if (node == null) {
            return out;
        }
        if (!node.isObject()) {
            add("penalty.penalty_factor", "must be an object of term key to factor", "e.g. {\"age\": 0}");
            return out;
        }
        Iterator<Map.Entry<String, JsonNode>> it = node.fields();
        boolean anyPositive = termKeys.size() > node.size();
        while (it.hasNext()) {
            var e = it.next();
            String field = "penalty.penalty_factor." + e.getKey();
            if (!termKeys.contains(e.getKey())) {
                String dym = Suggestions.didYouMean(e.getKey(), termKeys);
                add(field, "names no term of the spec", dym != null ? dym : "use a key of terms: " + termKeys);
                continue;
            }
            JsonNode v = e.getValue();
            if (!v.isNumber() || !(v.doubleValue() >= 0) || Double.isInfinite(v.doubleValue())) {
                add(field, "must be a finite number >= 0, got " + v, "0 leaves the term unpenalized, 1 is the default");
                continue;
            }
            anyPositive |= v.doubleValue() > 0;
            out.put(e.getKey(), v.doubleValue());
        }
        if (!anyPositive && !termKeys.isEmpty()) {
            add("penalty.penalty_factor", "is 0 for every term", "glmnet needs at least one penalized term");
        }
        return out;
    }

    private PenaltySpec.Cv parseCv(JsonNode c, List<Double> lambdas) {
        String foldColumn = null;
        Integer folds = null;
        long seed = 1;
        JsonNode fc = c.get("fold_column");
        if (fc != null) {
            if (!fc.isTextual() || fc.textValue().isBlank()) {
                add("penalty.cv.fold_column", "must be a column name", "e.g. \"fold\"");
            } else {
                foldColumn = fc.textValue();
            }
        }
        JsonNode f = c.get("folds");
        if (f != null) {
            if (!f.isIntegralNumber() || !f.canConvertToInt() || f.intValue() < 3) {
                add("penalty.cv.folds", "must be a whole number >= 3, got " + f, "cv.glmnet uses 10");
            } else {
                folds = f.intValue();
            }
        }
        if (foldColumn != null && folds != null) {
            add("penalty.cv", "gives both fold_column and folds", "use the fold column or seeded folds, not both");
        }
        if (fc == null && f == null) {
            folds = 10;
        }
        JsonNode sd = c.get("seed");
        if (sd != null) {
            if (!sd.isIntegralNumber() || !sd.canConvertToInt()) {
                add("penalty.cv.seed", "must be a whole number in R's integer range, got " + sd,
                        "folds are drawn as set.seed(seed); sample(rep(seq(folds), length = N)) in R");
            } else {
                seed = sd.longValue();
            }
        }
        JsonNode m = c.get("measure");
        String measure = "deviance";
        if (m != null) {
            if (m.isTextual() && PenaltySpec.Cv.MEASURES.contains(m.textValue())) {
                measure = m.textValue();
            } else {
                add("penalty.cv.measure", "is " + m + ", not one of cv.glmnet's measures",
                        "use one of " + String.join(", ", PenaltySpec.Cv.MEASURES)
                                + " (class and auc for binomial models with the logit link)");
            }
        }
        if (lambdas != null && lambdas.size() < 2) {
            add("penalty.lambda", "has one lambda, and cross-validation needs more",
                    "give at least two lambdas, as cv.glmnet requires");
        }
        return new PenaltySpec.Cv(foldColumn, folds, seed, measure);
    }

    private void checkFields(JsonNode node, List<String> known, String prefix) {
        SpecParser.checkFields(node, known, prefix, problems);
    }

    private void add(String field, String message, String suggestion) {
        problems.add(new SpecProblem(field, message, suggestion));
    }
}
