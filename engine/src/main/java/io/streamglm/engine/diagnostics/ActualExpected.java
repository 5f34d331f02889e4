package io.streamglm.engine.diagnostics;

import io.streamglm.engine.design.DesignMatrix;
import io.streamglm.engine.design.DesignTerm;
import io.streamglm.engine.design.FactorComponent;
import io.streamglm.engine.design.FittedDesign;
import io.streamglm.engine.family.Family;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Actual against expected by level of each categorical main effect: the check an actuary makes first. For level
 * L, actual = sum over its rows of prior weight x y (claims, successes, amounts) and expected = the same sum of
 * the fitted means; a fit with the term and a canonical link matches them exactly (the score equations).
 *
 * <p>The ratio's interval is the normal approximation under the fitted model: Var(actual) = sum w^2 Var(y) =
 * dispersion x sum w V(mu), so ratio +/- z_{0.975} sqrt(dispersion x sum w V(mu)) / expected.
 *
 * @param terms by term label, in the design's order; each list in the order of the term's levels
 */
public record ActualExpected(Map<String, List<Level>> terms) {

    /** @param rows data rows in the level (zero-weight rows included) */
    public record Level(String level, long rows, double actual, double expected, double ratio, double ciLower,
                        double ciUpper) {
    }

    public ActualExpected {
        Map<String, List<Level>> copy = new LinkedHashMap<>();
        terms.forEach((k, v) -> copy.put(k, List.copyOf(v)));
        terms = Collections.unmodifiableMap(copy);
    }

    /**
     * @param fitted     each row's fitted mean
     * @param dispersion summary.glm's dispersion
     */
    public static ActualExpected compute(DesignMatrix m, FittedDesign design, Family family, double[] fitted,
                                         double dispersion) {
        Map<String, List<Level>> out = new LinkedHashMap<>();
        int[] idx = m.indices();
        int[] nnz = m.nonZeros();
        int stride = m.stride();
        for (DesignTerm term : design.terms()) {
            if (term.components().size() != 1 || !(term.components().get(0) instanceof FactorComponent factor)) {
                continue;
            }
            GroupSums sums = new GroupSums(factor.levels().size());
            int first = term.firstColumn();
            int last = first + term.width();
            for (int i = 0; i < m.rows(); i++) {
                // The base level (under contrasts) has no entry among the term's columns.
                int level = factor.contrasts() ? 0 : -1;
                for (int k = 0, base = i * stride; k < nnz[i]; k++) {
                    int c = idx[base + k];
                    if (c >= first && c < last) {
                        level = c - first + (factor.contrasts() ? 1 : 0);
                        break;
                    }
                }
                if (level >= 0) {
                    sums.add(level, m.weight(i), m.y(i), fitted[i], family.variance(fitted[i]));
                }
            }
            out.put(term.label(), sums.levels(factor.levels(), dispersion));
        }
        return new ActualExpected(out);
    }
}
