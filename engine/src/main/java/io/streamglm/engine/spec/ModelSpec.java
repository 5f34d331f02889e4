package io.streamglm.engine.spec;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.List;

/**
 * A validated model specification: response, family, link, prior weights, offset/exposure, terms and
 * interactions. Built by {@link SpecParser}; immutable.
 *
 * @param link     the link's spec name (the family's default already applied)
 * @param varPower Tweedie's variance power, else null
 * @param theta    negbinomial's fixed theta, or null when it is estimated (or the family is not negbinomial)
 * @param maxLevels    the most levels a categorical may have
 * @param minLevelRows levels with fewer training rows are reported in the fit's warnings
 * @param csvHeader    the field names of stream records sent as CSV lines, in order; empty when the stream's
 *                     records are JSON objects only
 * @param penalty      the elastic-net penalty of a glmnet fit, or null for an unpenalized GLM
 */
public record ModelSpec(String response, String family, String link, String exposure, String offset,
                        String weights, Double varPower, Double theta, Control control, boolean intercept,
                        List<NamedTerm> terms, List<InteractionSpec> interactions, int maxLevels, int minLevelRows,
                        List<String> csvHeader, PenaltySpec penalty) {

    public ModelSpec {
        terms = List.copyOf(terms);
        interactions = List.copyOf(interactions);
        csvHeader = csvHeader == null ? List.of() : List.copyOf(csvHeader);
    }

    /** An unpenalized spec. */
    public ModelSpec(String response, String family, String link, String exposure, String offset, String weights,
                     Double varPower, Double theta, Control control, boolean intercept, List<NamedTerm> terms,
                     List<InteractionSpec> interactions, int maxLevels, int minLevelRows, List<String> csvHeader) {
        this(response, family, link, exposure, offset, weights, varPower, theta, control, intercept, terms,
                interactions, maxLevels, minLevelRows, csvHeader, null);
    }

    public boolean penalized() {
        return penalty != null;
    }

    /** Numeric columns the spec reads, each mapped to the first spec field that names it (for messages). */
    public Map<String, String> numericColumnUsage() {
        Map<String, String> usage = new LinkedHashMap<>();
        usage.put(response, "response");
        forEachTerm((field, term) -> {
            if (term instanceof ExpressionTerm e) {
                e.parsed().columns().forEach(c -> usage.putIfAbsent(c, field));
            } else if (!isCategorical(term)) {
                usage.putIfAbsent(term.column(), field);
            }
        });
        if (weights != null) {
            usage.putIfAbsent(weights, "weights");
        }
        if (offset != null) {
            usage.putIfAbsent(offset, "offset");
        }
        if (exposure != null) {
            usage.putIfAbsent(exposure, "exposure");
        }
        if (penalty != null && penalty.cv() != null && penalty.cv().foldColumn() != null) {
            usage.putIfAbsent(penalty.cv().foldColumn(), "penalty.cv.fold_column");
        }
        return usage;
    }

    /** Categorical columns the spec reads, each mapped to the first spec field that names it. */
    public Map<String, String> categoricalColumnUsage() {
        Map<String, String> usage = new LinkedHashMap<>();
        forEachTerm((field, term) -> {
            if (isCategorical(term)) {
                usage.putIfAbsent(term.column(), field);
            }
        });
        return usage;
    }

    /** Terms that read their column as text. */
    private static boolean isCategorical(TermSpec term) {
        return term instanceof CategoricalTerm || term instanceof FrequencyTerm || term instanceof TargetTerm;
    }

    private void forEachTerm(java.util.function.BiConsumer<String, TermSpec> action) {
        for (NamedTerm t : terms) {
            action.accept("terms." + t.name(), t.term());
        }
        for (int i = 0; i < interactions.size(); i++) {
            for (NamedTerm t : interactions.get(i).parts()) {
                action.accept("interactions[" + i + "]." + t.name(), t.term());
            }
        }
    }

    /** Whether theta is estimated by maximum likelihood (negbinomial without a fixed theta). */
    public boolean estimatesTheta() {
        return family.equals("negbinomial") && theta == null;
    }
}
