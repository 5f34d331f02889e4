package io.streamglm.engine.spec;

import java.util.List;

/**
 * A B-spline ({@code bs}) or natural cubic spline ({@code ns}) basis of a numeric column, as R's
 * {@code splines::bs} / {@code splines::ns} without intercept.
 *
 * @param degree        polynomial degree (bs; ns is always cubic)
 * @param df            degrees of freedom (columns), or null when {@code knots} are given
 * @param knots         interior knots, or null to place df-dependent knots at quantiles of the training data
 * @param boundaryKnots the two boundary knots, or null for the training data's range
 */
public record SplineTerm(String type, String column, int degree, Integer df, List<Double> knots,
                         List<Double> boundaryKnots) implements TermSpec {

    public SplineTerm {
        knots = knots == null ? null : List.copyOf(knots);
        boundaryKnots = boundaryKnots == null ? null : List.copyOf(boundaryKnots);
    }

    public boolean natural() {
        return type.equals("ns");
    }
}
