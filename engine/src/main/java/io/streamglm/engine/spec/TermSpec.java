package io.streamglm.engine.spec;

/** One term of a spec, before any data has been seen. */
public sealed interface TermSpec permits LinearTerm, CategoricalTerm {

    /** The data column the term reads. */
    String column();

    /** The spec's {@code type} value. */
    String type();
}
