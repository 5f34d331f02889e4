package io.streamglm.engine.spec;

/** A term with its key in the spec. */
public record NamedTerm(String name, TermSpec term) {
}
