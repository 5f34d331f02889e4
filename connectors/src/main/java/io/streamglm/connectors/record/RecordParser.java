package io.streamglm.connectors.record;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.streamglm.engine.spec.ModelSpec;

import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Parses JSON object records against a spec: every numeric column the spec reads must be a finite number, every
 * categorical column text (numbers are taken as their text), the time field an epoch-millisecond number or an
 * ISO-8601 instant. Anything else is a {@link BadRecord} with a reason, never an exception.
 */
public final class RecordParser {
    private static final JsonFactory JSON = new JsonFactory();

    private final Set<String> numeric;
    private final Set<String> categorical;
    private final String timeField;
    private final String keyField;

    public RecordParser(ModelSpec spec, String timeField, String keyField) {
        this.numeric = new HashSet<>(spec.numericColumnUsage().keySet());
        this.categorical = new HashSet<>(spec.categoricalColumnUsage().keySet());
        this.timeField = timeField;
        this.keyField = keyField;
    }

    /** The outcome of parsing one record: exactly one of the two is non-null. */
    public record Result(ParsedRecord record, BadRecord bad) {
    }

    /** @param fallbackTime the transport's timestamp, used when there is no time field */
    public Result parse(byte[] bytes, long fallbackTime) {
        if (bytes == null || bytes.length == 0) {
            return bad(BadRecord.MALFORMED, "empty record");
        }
        Map<String, Double> numbers = new HashMap<>();
        Map<String, String> texts = new HashMap<>();
        Long time = null;
        String key = null;
        try (JsonParser p = JSON.createParser(bytes)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return bad(BadRecord.MALFORMED, "not a JSON object");
            }
            JsonToken t;
            while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken v = p.nextToken();
                if (name.equals(timeField)) {
                    Long parsed = time(p, v);
                    if (parsed == null) {
                        return bad(BadRecord.WRONG_TYPE, "field '" + name + "' is not an epoch-millisecond number or an"
                                + " ISO-8601 time");
                    }
                    time = parsed;
                }
                if (name.equals(keyField)) {
                    key = v == JsonToken.VALUE_STRING || v.isNumeric() ? p.getText() : null;
                }
                if (numeric.contains(name)) {
                    if (!v.isNumeric()) {
                        return bad(v == JsonToken.VALUE_NULL ? BadRecord.MISSING_FIELD : BadRecord.WRONG_TYPE,
                                "field '" + name + "' must be a number, got " + describe(p, v));
                    }
                    double d = p.getDoubleValue();
                    if (!Double.isFinite(d)) {
                        return bad(BadRecord.WRONG_TYPE, "field '" + name + "' is not finite");
                    }
                    numbers.put(name, d);
                } else if (categorical.contains(name)) {
                    if (v == JsonToken.VALUE_STRING || v.isNumeric() || v == JsonToken.VALUE_TRUE
                            || v == JsonToken.VALUE_FALSE) {
                        texts.put(name, p.getText());
                    } else {
                        return bad(v == JsonToken.VALUE_NULL ? BadRecord.MISSING_FIELD : BadRecord.WRONG_TYPE,
                                "field '" + name + "' must be text, got " + describe(p, v));
                    }
                } else if (v == JsonToken.START_OBJECT || v == JsonToken.START_ARRAY) {
                    p.skipChildren();
                }
            }
            if (t != JsonToken.END_OBJECT || p.nextToken() != null) {
                return bad(BadRecord.MALFORMED, "trailing content after the JSON object");
            }
        } catch (IOException | RuntimeException e) {
            return bad(BadRecord.MALFORMED, "not valid JSON: " + firstLine(e.getMessage()));
        }
        for (String n : numeric) {
            if (!numbers.containsKey(n)) {
                return bad(BadRecord.MISSING_FIELD, "field '" + n + "' is missing");
            }
        }
        for (String c : categorical) {
            if (!texts.containsKey(c)) {
                return bad(BadRecord.MISSING_FIELD, "field '" + c + "' is missing");
            }
        }
        if (timeField != null && time == null) {
            return bad(BadRecord.MISSING_FIELD, "time field '" + timeField + "' is missing");
        }
        if (keyField != null && key == null) {
            return bad(BadRecord.MISSING_FIELD, "key field '" + keyField + "' is missing or not text");
        }
        return new Result(new ParsedRecord(time != null ? time : fallbackTime, key == null ? "" : key, numbers, texts),
                null);
    }

    private static Long time(JsonParser p, JsonToken v) throws IOException {
        if (v.isNumeric()) {
            return p.getLongValue();
        }
        if (v == JsonToken.VALUE_STRING) {
            try {
                return Instant.parse(p.getText()).toEpochMilli();
            } catch (DateTimeParseException e) {
                return null;
            }
        }
        return null;
    }

    private static String describe(JsonParser p, JsonToken v) throws IOException {
        return switch (v) {
            case VALUE_STRING -> "text '" + p.getText() + "'";
            case VALUE_NULL -> "null";
            case START_OBJECT, START_ARRAY -> "a nested " + (v == JsonToken.START_OBJECT ? "object" : "array");
            default -> p.getText();
        };
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    private static Result bad(String reason, String detail) {
        return new Result(null, new BadRecord(reason, detail));
    }
}
