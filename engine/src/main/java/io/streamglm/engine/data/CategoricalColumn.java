package io.streamglm.engine.data;

import java.util.List;

/**
 * A string column stored as dictionary codes: {@code codes[row]} indexes {@code dictionary}, whose entries are
 * in first-seen order. Categories cost four bytes a row whatever their text.
 */
public record CategoricalColumn(int[] codes, List<String> dictionary) {
    public CategoricalColumn {
        dictionary = List.copyOf(dictionary);
    }

    public String value(int row) {
        return dictionary.get(codes[row]);
    }
}
