package io.streamglm.engine.design;

import java.util.List;

/**
 * One variable of a frozen design term: a number, a categorical coded against its levels, a spline basis, an
 * expression, or a frequency or target encoding of a categorical.
 */
public sealed interface DesignComponent permits NumericComponent, FactorComponent, SplineComponent,
        ExpressionComponent, FrequencyComponent, TargetComponent {

    /** The variable's name in the spec (a term key); column labels are built from it. */
    String name();

    /** The data column it reads. */
    String column();

    /** How many design columns it spans on its own. */
    int width();

    /** The labels of those columns, e.g. {@code region[T.North]}. */
    List<String> labels();

    /**
     * Whether every row has a value in each of its columns (numbers, expressions, encodings, natural splines);
     * categorical levels and B-splines, which fill a few of their columns, are sparse.
     */
    default boolean dense() {
        return !(this instanceof FactorComponent)
                && !(this instanceof SplineComponent s && s.basis().kind() == io.streamglm.engine.design.spline.SplineBasis.Kind.BS);
    }

    /** The most columns of this component one row fills. */
    default int maxEntries() {
        if (this instanceof FactorComponent) {
            return 1;
        }
        if (this instanceof SplineComponent s) {
            return s.basis().maxNonZeros();
        }
        return width();
    }
}
