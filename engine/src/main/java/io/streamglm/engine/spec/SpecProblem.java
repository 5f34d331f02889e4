package io.streamglm.engine.spec;

/**
 * One thing wrong with a spec.
 *
 * @param field      the JSON path of the field, e.g. {@code terms.age.type}
 * @param message    what is wrong
 * @param suggestion how to fix it, or null
 */
public record SpecProblem(String field, String message, String suggestion) {
    @Override public String toString() {
        return field + ": " + message + (suggestion == null ? "" : " (" + suggestion + ")");
    }
}
