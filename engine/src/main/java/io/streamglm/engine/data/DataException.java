package io.streamglm.engine.data;

/**
 * Data that cannot be used: the message is one line naming the source, the row (from 1, header excluded) or
 * column, and a fix where one exists.
 */
public final class DataException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public DataException(String message) {
        super(message);
    }

    public static DataException at(String source, long row, String column, String problem, String fix) {
        StringBuilder sb = new StringBuilder();
        sb.append(source);
        if (row > 0) {
            sb.append(" row ").append(row);
        }
        if (column != null) {
            sb.append(row > 0 ? ", column '" : " column '").append(column).append('\'');
        }
        sb.append(": ").append(problem);
        if (fix != null) {
            sb.append(" (").append(fix).append(')');
        }
        return new DataException(sb.toString());
    }
}
