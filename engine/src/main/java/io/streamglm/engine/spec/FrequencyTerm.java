package io.streamglm.engine.spec;

/**
 * A categorical column replaced by how often its level occurs in the training data.
 *
 * @param normalize frequency (share of rows) when true, count when false
 */
public record FrequencyTerm(String column, boolean normalize) implements TermSpec {
    @Override public String type() {
        return "frequency_encoding";
    }
}
