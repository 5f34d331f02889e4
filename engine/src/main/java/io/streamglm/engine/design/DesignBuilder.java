package io.streamglm.engine.design;

import io.streamglm.engine.data.CategoricalColumn;
import io.streamglm.engine.data.DataException;
import io.streamglm.engine.data.DataTable;
import io.streamglm.engine.design.spline.SplineBasis;
import io.streamglm.engine.spec.CategoricalTerm;
import io.streamglm.engine.spec.ExpressionTerm;
import io.streamglm.engine.spec.FrequencyTerm;
import io.streamglm.engine.spec.SplineTerm;
import io.streamglm.engine.spec.TargetTerm;
import io.streamglm.engine.spec.InteractionSpec;
import io.streamglm.engine.spec.LinearTerm;
import io.streamglm.engine.spec.ModelSpec;
import io.streamglm.engine.spec.NamedTerm;
import io.streamglm.engine.spec.SpecException;
import io.streamglm.engine.spec.SpecProblem;
import io.streamglm.engine.spec.Suggestions;
import io.streamglm.engine.spec.TermSpec;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Freezes a spec against training data into a {@link FittedDesign}: categorical levels (declared, or the
 * sorted distinct values; levels without rows are dropped as R's {@code drop.unused.levels}), R's term order
 * and R's choice between contrasts and indicators for each factor of each term.
 */
public final class DesignBuilder {
    private DesignBuilder() {
    }

    /** Where the data-dependent parts of a design come from: training data, or the spec's declarations. */
    private interface Source {
        List<String> levels(String var, CategoricalTerm term);

        SplineBasis spline(String var, SplineTerm term);

        FrequencyComponent frequency(String var, FrequencyTerm term);

        TargetComponent target(String var, TargetTerm term);
    }

    /** Builds the frozen design; notes about the data (e.g. dropped levels) are appended to {@code warnings}. */
    public static FittedDesign fit(ModelSpec spec, DataTable data, List<String> warnings) {
        Map<String, TermSpec> variables = variables(spec);
        for (Map.Entry<String, TermSpec> v : variables.entrySet()) {
            if (v.getValue() instanceof LinearTerm lt) {
                double[] x = data.numeric(lt.column());
                boolean constant = true;
                for (int i = 1; i < x.length && constant; i++) {
                    constant = x[i] == x[0];
                }
                if (constant && x.length > 1) {
                    warnings.add("terms." + v.getKey() + ": column '" + lt.column() + "' is constant (" + x[0]
                            + "); its coefficient cannot be told from the intercept");
                }
            }
        }
        return assemble(spec, new Source() {
            @Override public List<String> levels(String var, CategoricalTerm term) {
                return levelsOf(var, term, data, warnings, spec.maxLevels(), spec.minLevelRows());
            }

            @Override public SplineBasis spline(String var, SplineTerm term) {
                return splineBasis(var, term, data, warnings);
            }

            @Override public FrequencyComponent frequency(String var, FrequencyTerm term) {
                return DesignBuilder.frequency(var, term, data);
            }

            @Override public TargetComponent target(String var, TargetTerm term) {
                return DesignBuilder.target(var, term, data, spec.response());
            }
        }, data.source());
    }

    /**
     * The design {@code base} with its frequency and target encodings learned again from {@code data} (a training
     * fold), levels and spline bases kept: cross-validation then never encodes a held-out row with its own response,
     * while every fold keeps the same columns.
     */
    public static FittedDesign relearnEncodings(ModelSpec spec, FittedDesign base, DataTable data) {
        Map<String, DesignComponent> known = new HashMap<>();
        for (DesignTerm t : base.terms()) {
            for (DesignComponent c : t.components()) {
                known.putIfAbsent(c.name(), c);
            }
        }
        return assemble(spec, new Source() {
            @Override public List<String> levels(String var, CategoricalTerm term) {
                return ((FactorComponent) known.get(var)).levels();
            }

            @Override public SplineBasis spline(String var, SplineTerm term) {
                return ((SplineComponent) known.get(var)).basis();
            }

            @Override public FrequencyComponent frequency(String var, FrequencyTerm term) {
                return DesignBuilder.frequency(var, term, data);
            }

            @Override public TargetComponent target(String var, TargetTerm term) {
                return DesignBuilder.target(var, term, data, spec.response());
            }
        }, data.source());
    }

    /**
     * Freezes a design from the spec alone, for streams started without a model or warm-up sample: every
     * categorical must declare its levels and every spline its knots and boundary knots; encodings need data.
     */
    public static FittedDesign freeze(ModelSpec spec) {
        List<SpecProblem> problems = new ArrayList<>();
        for (Map.Entry<String, TermSpec> v : variables(spec).entrySet()) {
            TermSpec t = v.getValue();
            String field = "terms." + v.getKey();
            if (t instanceof CategoricalTerm c && c.levels() == null) {
                problems.add(new SpecProblem(field + ".levels", "a stream needs the levels declared",
                        "list them, or start from a fitted model or a warm-up sample"));
            } else if (t instanceof SplineTerm st && (st.knots() == null || st.boundaryKnots() == null)) {
                problems.add(new SpecProblem(field, "a stream needs the spline's knots and boundary_knots",
                        "give both, or start from a fitted model or a warm-up sample"));
            } else if (t instanceof FrequencyTerm || t instanceof TargetTerm) {
                problems.add(new SpecProblem(field, "an encoding learns its table from data",
                        "start from a fitted model or a warm-up sample"));
            }
        }
        if (!problems.isEmpty()) {
            throw new SpecException("spec", problems);
        }
        return assemble(spec, new Source() {
            @Override public List<String> levels(String var, CategoricalTerm term) {
                List<String> levels = new ArrayList<>(term.levels());
                if (term.base() != null) {
                    levels.remove(term.base());
                    levels.add(0, term.base());
                }
                return levels;
            }

            @Override public SplineBasis spline(String var, SplineTerm st) {
                double[] knots = st.knots().stream().mapToDouble(Double::doubleValue).toArray();
                return new SplineBasis(st.natural() ? SplineBasis.Kind.NS : SplineBasis.Kind.BS, st.degree(), knots,
                        st.boundaryKnots().get(0), st.boundaryKnots().get(1));
            }

            @Override public FrequencyComponent frequency(String var, FrequencyTerm term) {
                throw new IllegalStateException("checked above");
            }

            @Override public TargetComponent target(String var, TargetTerm term) {
                throw new IllegalStateException("checked above");
            }
        }, "spec");
    }

    private static FittedDesign assemble(ModelSpec spec, Source source, String sourceName) {
        Map<String, TermSpec> variables = variables(spec);
        Map<String, List<String>> levels = new HashMap<>();
        for (Map.Entry<String, TermSpec> v : variables.entrySet()) {
            if (v.getValue() instanceof CategoricalTerm c) {
                levels.put(v.getKey(), source.levels(v.getKey(), c));
            }
        }
        List<List<String>> modelTerms = modelTerms(spec, new ArrayList<>(variables.keySet()));
        List<DesignTerm> terms = new ArrayList<>();
        int column = spec.intercept() ? 1 : 0;
        boolean firstFactorDone = spec.intercept();
        for (int t = 0; t < modelTerms.size(); t++) {
            List<String> vars = modelTerms.get(t);
            List<DesignComponent> components = new ArrayList<>();
            for (String var : vars) {
                TermSpec ts = variables.get(var);
                if (ts instanceof LinearTerm lt) {
                    components.add(new NumericComponent(var, lt.column()));
                } else if (ts instanceof CategoricalTerm ct) {
                    boolean contrasts = usesContrasts(modelTerms, t, var);
                    if (!firstFactorDone) {
                        // R: without an intercept, the first factor of the first term holding one is coded by
                        // indicators so that the factor's levels span the missing intercept.
                        contrasts = false;
                        firstFactorDone = true;
                    }
                    List<String> lv = levels.get(var);
                    if (contrasts && lv.size() < 2) {
                        throw DataException.at(sourceName, 0, ct.column(),
                                "has the single level '" + lv.get(0) + "'; contrasts need at least two levels",
                                "drop the term terms." + var + " or use data with more than one level");
                    }
                    components.add(new FactorComponent(var, ct.column(), lv, contrasts, ct.unseen()));
                } else if (ts instanceof SplineTerm st) {
                    components.add(new SplineComponent(var, st.column(), source.spline(var, st)));
                } else if (ts instanceof ExpressionTerm et) {
                    components.add(new ExpressionComponent(var, et.expr(), et.parsed()));
                } else if (ts instanceof FrequencyTerm ft) {
                    components.add(source.frequency(var, ft));
                } else if (ts instanceof TargetTerm tt) {
                    components.add(source.target(var, tt));
                } else {
                    throw new IllegalStateException("unsupported term " + ts);
                }
            }
            DesignTerm term = new DesignTerm(components, column);
            column += term.width();
            terms.add(term);
        }
        return new FittedDesign(spec.intercept(), terms);
    }

    /**
     * R's knots for a spline: boundary knots as given or the data's range; interior knots as given, or for
     * {@code df} at type-7 quantiles of the data inside the boundary (bs: df - degree of them, ns: df - 1).
     */
    static SplineBasis splineBasis(String var, SplineTerm st, DataTable data, List<String> warnings) {
        double[] x = data.numeric(st.column());
        double lower;
        double upper;
        if (st.boundaryKnots() != null) {
            lower = Math.min(st.boundaryKnots().get(0), st.boundaryKnots().get(1));
            upper = Math.max(st.boundaryKnots().get(0), st.boundaryKnots().get(1));
        } else {
            lower = Double.POSITIVE_INFINITY;
            upper = Double.NEGATIVE_INFINITY;
            for (double v : x) {
                lower = Math.min(lower, v);
                upper = Math.max(upper, v);
            }
        }
        if (!(lower < upper)) {
            throw DataException.at(data.source(), 0, st.column(), "has the single value " + lower
                    + ", so terms." + var + " has no range for spline knots", "drop the term or give boundary_knots");
        }
        double[] knots;
        if (st.knots() != null) {
            knots = st.knots().stream().mapToDouble(Double::doubleValue).toArray();
        } else if (st.df() != null) {
            int inner = st.natural() ? st.df() - 1 : st.df() - st.degree();
            if (inner < 0) {
                warnings.add("terms." + var + ": df was too small; have used " + (st.natural() ? 1 : st.degree()));
                inner = 0;
            }
            double lo = lower;
            double hi = upper;
            double[] inside = java.util.Arrays.stream(x).filter(v -> v >= lo && v <= hi).sorted().toArray();
            knots = SplineBasis.quantileKnots(inside, inner);
        } else {
            knots = new double[0];
        }
        return new SplineBasis(st.natural() ? SplineBasis.Kind.NS : SplineBasis.Kind.BS, st.degree(), knots,
                lower, upper);
    }

    private static FrequencyComponent frequency(String var, FrequencyTerm ft, DataTable data) {
        CategoricalColumn col = data.categorical(ft.column());
        long[] counts = new long[col.dictionary().size()];
        for (int code : col.codes()) {
            counts[code]++;
        }
        Map<String, Double> values = new HashMap<>();
        for (int code = 0; code < counts.length; code++) {
            if (counts[code] > 0) {
                values.put(col.dictionary().get(code), ft.normalize() ? (double) counts[code] / data.rows() : counts[code]);
            }
        }
        return new FrequencyComponent(var, ft.column(), ft.normalize(), values);
    }

    private static TargetComponent target(String var, TargetTerm tt, DataTable data, String response) {
        CategoricalColumn col = data.categorical(tt.column());
        double[] y = data.numeric(response);
        double[] sums = new double[col.dictionary().size()];
        double[] counts = new double[sums.length];
        double total = 0;
        int[] codes = col.codes();
        for (int i = 0; i < y.length; i++) {
            sums[codes[i]] += y[i];
            counts[codes[i]]++;
            total += y[i];
        }
        Map<String, Double> s = new HashMap<>();
        Map<String, Double> c = new HashMap<>();
        for (int code = 0; code < sums.length; code++) {
            if (counts[code] > 0) {
                s.put(col.dictionary().get(code), sums[code]);
                c.put(col.dictionary().get(code), counts[code]);
            }
        }
        return new TargetComponent(var, tt.column(), tt.priorWeight(), tt.seed(), total / y.length, s, c);
    }

    /** Every variable (term key) in order of first appearance: terms, then interaction parts. */
    static Map<String, TermSpec> variables(ModelSpec spec) {
        Map<String, TermSpec> vars = new LinkedHashMap<>();
        for (NamedTerm t : spec.terms()) {
            vars.put(t.name(), t.term());
        }
        for (InteractionSpec i : spec.interactions()) {
            for (NamedTerm t : i.parts()) {
                vars.putIfAbsent(t.name(), t.term());
            }
        }
        return vars;
    }

    /** R's term order: main effects, then interactions by increasing order, each with variables in formula order. */
    static List<List<String>> modelTerms(ModelSpec spec, List<String> variableOrder) {
        Set<String> mains = new LinkedHashSet<>();
        for (NamedTerm t : spec.terms()) {
            mains.add(t.name());
        }
        for (InteractionSpec i : spec.interactions()) {
            if (i.includeMain()) {
                for (NamedTerm t : i.parts()) {
                    mains.add(t.name());
                }
            }
        }
        List<List<String>> out = new ArrayList<>();
        for (String m : mains) {
            out.add(List.of(m));
        }
        List<List<String>> products = new ArrayList<>();
        for (InteractionSpec i : spec.interactions()) {
            List<String> vars = new ArrayList<>();
            for (NamedTerm t : i.parts()) {
                vars.add(t.name());
            }
            vars.sort(Comparator.comparingInt(variableOrder::indexOf));
            products.add(vars);
        }
        products.sort(Comparator.comparingInt(List::size)); // stable: keeps spec order within an order
        out.addAll(products);
        return out;
    }

    /**
     * R's {@code TermCode}: factor {@code var} of term {@code t} gets contrasts when the term without it is empty
     * or is contained in an earlier term; otherwise indicators for all its levels.
     */
    static boolean usesContrasts(List<List<String>> terms, int t, String var) {
        List<String> margin = new ArrayList<>(terms.get(t));
        margin.remove(var);
        if (margin.isEmpty()) {
            return true;
        }
        for (int s = 0; s < t; s++) {
            if (terms.get(s).containsAll(margin)) {
                return true;
            }
        }
        return false;
    }

    private static List<String> levelsOf(String var, CategoricalTerm term, DataTable data, List<String> warnings,
                                         int maxLevels, int minLevelRows) {
        CategoricalColumn col = data.categorical(term.column());
        List<String> dict = col.dictionary();
        long[] counts = new long[dict.size()];
        for (int code : col.codes()) {
            counts[code]++;
        }
        List<String> levels;
        if (term.levels() != null) {
            Set<String> declared = new LinkedHashSet<>(term.levels());
            for (int code = 0; code < dict.size(); code++) {
                if (counts[code] > 0 && !declared.contains(dict.get(code))) {
                    int row = firstRow(col.codes(), code);
                    String fix = Suggestions.didYouMean(dict.get(code), term.levels());
                    throw DataException.at(data.source(), row + 1, term.column(),
                            "value '" + dict.get(code) + "' is not a declared level of terms." + var,
                            (fix == null ? "" : fix + " ") + "add it to terms." + var + ".levels or fix the row");
                }
            }
            Map<String, Long> present = new HashMap<>();
            for (int code = 0; code < dict.size(); code++) {
                present.put(dict.get(code), counts[code]);
            }
            levels = new ArrayList<>();
            for (String l : term.levels()) {
                if (present.getOrDefault(l, 0L) > 0) {
                    levels.add(l);
                } else {
                    warnings.add("level '" + l + "' of '" + var + "' has no rows and was dropped, as R drops unused levels");
                }
            }
        } else {
            levels = new ArrayList<>();
            for (int code = 0; code < dict.size(); code++) {
                if (counts[code] > 0) {
                    levels.add(dict.get(code));
                }
            }
            levels.sort(Comparator.naturalOrder());
        }
        if (term.base() != null) {
            if (!levels.remove(term.base())) {
                throw DataException.at(data.source(), 0, term.column(),
                        "base level '" + term.base() + "' of terms." + var + " has no rows",
                        "choose a base level present in the data");
            }
            levels.add(0, term.base());
        }
        if (levels.isEmpty()) {
            throw DataException.at(data.source(), 0, term.column(), "has no values", "check the data file");
        }
        if (levels.size() > maxLevels) {
            throw DataException.at(data.source(), 0, term.column(), "has " + levels.size() + " levels, more than"
                    + " max_levels (" + maxLevels + ") for terms." + var, "if it is an identifier drop it; otherwise"
                    + " use \"type\": \"target_encoding\" or raise \"max_levels\" in the spec");
        }
        List<String> rare = new ArrayList<>();
        for (int code = 0; code < dict.size(); code++) {
            if (counts[code] > 0 && counts[code] < minLevelRows && levels.contains(dict.get(code))) {
                rare.add(dict.get(code) + " (" + counts[code] + ")");
            }
        }
        if (!rare.isEmpty()) {
            warnings.add("terms." + var + ": " + rare.size() + " level(s) with fewer than " + minLevelRows + " rows: "
                    + String.join(", ", rare.subList(0, Math.min(5, rare.size()))) + (rare.size() > 5 ? ", ..." : "")
                    + "; their estimates will be imprecise");
        }
        return levels;
    }

    private static int firstRow(int[] codes, int code) {
        for (int i = 0; i < codes.length; i++) {
            if (codes[i] == code) {
                return i;
            }
        }
        return -1;
    }
}
