package io.streamglm.engine.spec;

/** One term of a spec, before any data has been seen. */
public sealed interface TermSpec permits LinearTerm, CategoricalTerm, SplineTerm, ExpressionTerm, FrequencyTerm,
        TargetTerm {

    /** The data column the term reads (an expression's first column). */
    String column();

    /** The spec's {@code type} value. */
    String type();
}
