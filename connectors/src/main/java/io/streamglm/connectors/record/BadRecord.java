package io.streamglm.connectors.record;

/**
 * Why a record cannot be used. {@code reason} is a stable code for dead-letter consumers; {@code detail} the
 * sentence a person reads.
 */
public record BadRecord(String reason, String detail) {
    public static final String MALFORMED = "malformed";
    public static final String MISSING_FIELD = "missing_field";
    public static final String WRONG_TYPE = "wrong_type";
    public static final String OUT_OF_DOMAIN = "out_of_domain";
    public static final String UNSEEN_LEVEL = "unseen_level";
    public static final String LATE = "late";
    /** An event time so far ahead of the clock that it would close every open window (a year 2999 typo). */
    public static final String TIME_OUT_OF_RANGE = "time_out_of_range";
}
