package io.streamglm.connectors.record;

import io.streamglm.engine.design.RecordValues;

import java.util.Map;

/**
 * A record whose fields have been checked against the spec: numbers for numeric columns, text for categorical
 * ones.
 *
 * @param eventTime event time in epoch milliseconds (from the time field, else the transport's timestamp)
 * @param key       the value of the key field, or "" without one
 */
public record ParsedRecord(long eventTime, String key, Map<String, Double> numbers, Map<String, String> texts)
        implements RecordValues {

    @Override public double number(String column) {
        Double v = numbers.get(column);
        return v == null ? Double.NaN : v;
    }

    @Override public String text(String column) {
        return texts.get(column);
    }
}
