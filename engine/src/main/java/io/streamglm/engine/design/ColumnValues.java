package io.streamglm.engine.design;

import java.util.List;

/**
 * A record whose fields are also read by position: the position of a column is its index in
 * {@link RecordEncoder#columns()}, resolved once when the record's reader is built. {@link RecordEncoder} reads
 * such a record without looking a column's name up for each field of each record (a stream's fast path: those
 * lookups were a tenth of its source threads' time).
 */
public interface ColumnValues extends RecordValues {

    /** The encoder's column list these positions index: {@link RecordEncoder} reads by position only from its own. */
    List<String> columns();

    /** {@link #number(String)} of the column at {@code column}. */
    double number(int column);

    /** {@link #text(String)} of the column at {@code column}. */
    String text(int column);
}
