package io.streamglm.engine.spec;

/** A numeric column entering the model as is. */
public record LinearTerm(String column) implements TermSpec {
    @Override public String type() {
        return "linear";
    }
}
