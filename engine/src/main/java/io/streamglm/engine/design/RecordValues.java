package io.streamglm.engine.design;

/** One record's fields, as a stream or a scoring call presents them. */
public interface RecordValues {

    /** The numeric value of a column, or NaN when it is missing or not a number. */
    double number(String column);

    /** The text of a column (a categorical level), or null when it is missing. */
    String text(String column);
}
