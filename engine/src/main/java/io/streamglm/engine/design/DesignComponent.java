package io.streamglm.engine.design;

import java.util.List;

/** One variable of a frozen design term: a number, or a categorical coded against its levels. */
public sealed interface DesignComponent permits NumericComponent, FactorComponent {

    /** The variable's name in the spec (a term key); column labels are built from it. */
    String name();

    /** The data column it reads. */
    String column();

    /** How many design columns it spans on its own. */
    int width();

    /** The labels of those columns, e.g. {@code region[T.North]}. */
    List<String> labels();
}
