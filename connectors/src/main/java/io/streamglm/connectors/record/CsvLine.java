package io.streamglm.connectors.record;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits one CSV line (RFC 4180: comma-separated, fields optionally in double quotes with {@code ""} for a quote,
 * commas and line breaks allowed inside quotes) into its fields. A trailing CR/LF is not part of the last field.
 */
final class CsvLine {
    private CsvLine() {
    }

    /** The fields, or null when a quote is not closed or text follows a closing quote. */
    static List<String> split(byte[] bytes) {
        String line = new String(bytes, StandardCharsets.UTF_8);
        int end = line.length();
        while (end > 0 && (line.charAt(end - 1) == '\n' || line.charAt(end - 1) == '\r')) {
            end--;
        }
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        int i = 0;
        while (true) {
            if (i < end && line.charAt(i) == '"') {
                i++;
                while (true) {
                    if (i >= end) {
                        return null; // unterminated quote
                    }
                    char c = line.charAt(i++);
                    if (c == '"') {
                        if (i < end && line.charAt(i) == '"') {
                            field.append('"');
                            i++;
                        } else {
                            break;
                        }
                    } else {
                        field.append(c);
                    }
                }
                if (i < end && line.charAt(i) != ',') {
                    return null; // text after the closing quote
                }
            } else {
                while (i < end && line.charAt(i) != ',') {
                    field.append(line.charAt(i++));
                }
            }
            fields.add(field.toString());
            field.setLength(0);
            if (i >= end) {
                return fields;
            }
            i++; // the comma
        }
    }
}
