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
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Parses JSON object records against a spec: every numeric column the spec reads must be a finite number, every
 * categorical column text (numbers are taken as their text), the time field an epoch-millisecond number or an
 * ISO-8601 instant. When the spec has a {@code csv_header}, a record that is not a JSON object is read as a CSV
 * line of those fields, with the same rules (an empty or {@code NA} field is missing). Anything else is a
 * {@link BadRecord} with a reason, never an exception.
 */
public final class RecordParser {
    private static final JsonFactory JSON = new JsonFactory();

    private final Set<String> numeric;
    private final Set<String> categorical;
    private final String timeField;
    private final String keyField;
    private final List<String> csvHeader;

    public RecordParser(ModelSpec spec, String timeField, String keyField) {
        this.numeric = new HashSet<>(spec.numericColumnUsage().keySet());
        this.categorical = new HashSet<>(spec.categoricalColumnUsage().keySet());
        this.timeField = timeField;
        this.keyField = keyField;
        this.csvHeader = spec.csvHeader();
    }

    /** The outcome of parsing one record: exactly one of the two is non-null. */
    public record Result(ParsedRecord record, BadRecord bad) {
    }

    /** @param fallbackTime the transport's timestamp, used when there is no time field */
    public Result parse(byte[] bytes, long fallbackTime) {
        if (bytes == null || bytes.length == 0) {
            return bad(BadRecord.MALFORMED, "empty record");
        }
        if (!csvHeader.isEmpty() && !startsLikeJsonObject(bytes)) {
            return parseCsv(bytes, fallbackTime);
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
        return complete(numbers, texts, time, key, fallbackTime);
    }

    /** Whether a record is read as JSON when the spec also takes CSV lines: its first non-blank byte is '{'. */
    static boolean startsLikeJsonObject(byte[] bytes) {
        for (byte b : bytes) {
            if (b != ' ' && b != '\t' && b != '\r' && b != '\n') {
                return b == '{';
            }
        }
        return false;
    }

    /** A CSV line of the spec's {@code csv_header} fields. */
    private Result parseCsv(byte[] bytes, long fallbackTime) {
        List<String> fields = CsvLine.split(bytes);
        if (fields == null) {
            return bad(BadRecord.MALFORMED, "not a CSV line: a quoted field is not closed, or text follows its"
                    + " closing quote");
        }
        if (fields.size() != csvHeader.size()) {
            return bad(BadRecord.MALFORMED, "CSV line has " + fields.size() + " fields; the spec's csv_header has "
                    + csvHeader.size() + " " + csvHeader);
        }
        Map<String, Double> numbers = new HashMap<>();
        Map<String, String> texts = new HashMap<>();
        Long time = null;
        String key = null;
        for (int i = 0; i < fields.size(); i++) {
            String name = csvHeader.get(i);
            String value = fields.get(i);
            boolean missing = value.isBlank() || value.trim().equals("NA");
            if (name.equals(timeField) && !missing) {
                time = csvTime(value.trim());
                if (time == null) {
                    return bad(BadRecord.WRONG_TYPE, "field '" + name + "' is not an epoch-millisecond number or an"
                            + " ISO-8601 time: '" + value + "'");
                }
            }
            if (name.equals(keyField) && !missing) {
                key = value;
            }
            if (numeric.contains(name)) {
                if (missing) {
                    return bad(BadRecord.MISSING_FIELD, "field '" + name + "' is empty");
                }
                Double d = number(value.trim());
                if (d == null) {
                    return bad(BadRecord.WRONG_TYPE, "field '" + name + "' must be a number, got text '" + value + "'");
                }
                if (!Double.isFinite(d)) {
                    return bad(BadRecord.WRONG_TYPE, "field '" + name + "' is not finite");
                }
                numbers.put(name, d);
            } else if (categorical.contains(name)) {
                if (missing) {
                    return bad(BadRecord.MISSING_FIELD, "field '" + name + "' is empty");
                }
                texts.put(name, value);
            }
        }
        return complete(numbers, texts, time, key, fallbackTime);
    }

    /** A decimal number as CSV files write it; null for anything else (Java's suffixes and hex are not numbers). */
    private static Double number(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!(c >= '0' && c <= '9' || c == '.' || c == '-' || c == '+' || c == 'e' || c == 'E')) {
                return null;
            }
        }
        try {
            return Double.parseDouble(text);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static Long csvTime(String text) {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            return isoMillis(text);
        }
    }

    /** The record once every field is read: each column the spec reads must be there. */
    private Result complete(Map<String, Double> numbers, Map<String, String> texts, Long time, String key,
                            long fallbackTime) {
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
        return v == JsonToken.VALUE_STRING ? isoMillis(p.getText()) : null;
    }

    /** An ISO-8601 instant in epoch milliseconds, or null. */
    static Long isoMillis(String text) {
        try {
            return Instant.parse(text).toEpochMilli();
        } catch (DateTimeParseException e) {
            return null;
        }
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
