package io.streamglm.engine.design;

import java.util.ArrayList;
import java.util.List;

/**
 * A main effect (one component) or an interaction (the product of two or three), occupying the design columns
 * {@code [firstColumn, firstColumn + width())}. Columns are ordered as R's {@code model.matrix}: the first
 * component varies fastest.
 */
public record DesignTerm(List<DesignComponent> components, int firstColumn) {

    public DesignTerm {
        components = List.copyOf(components);
    }

    public int width() {
        int w = 1;
        for (DesignComponent c : components) {
            w *= c.width();
        }
        return w;
    }

    /** Whether every row fills all the term's columns (see {@link DesignComponent#dense()}). */
    public boolean dense() {
        for (DesignComponent c : components) { // a loop, not a stream: asked for every buffered chunk of rows
            if (!c.dense()) {
                return false;
            }
        }
        return true;
    }

    /** The most columns one row fills. */
    public int maxEntries() {
        int m = 1;
        for (DesignComponent c : components) {
            m *= c.maxEntries();
        }
        return m;
    }

    /** The term's label as R prints it, e.g. {@code wool:tension}. */
    public String label() {
        StringBuilder sb = new StringBuilder();
        for (DesignComponent c : components) {
            if (!sb.isEmpty()) {
                sb.append(':');
            }
            sb.append(c.name());
        }
        return sb.toString();
    }

    public List<String> columnLabels() {
        List<String> labels = List.of("");
        for (DesignComponent c : components) {
            // Earlier components vary fastest, as in R.
            List<String> next = new ArrayList<>(labels.size() * c.width());
            for (String cl : c.labels()) {
                for (String prefix : labels) {
                    next.add(prefix.isEmpty() ? cl : prefix + ":" + cl);
                }
            }
            labels = next;
        }
        return labels;
    }
}
