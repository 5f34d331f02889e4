package io.streamglm.connectors.record;

import java.nio.charset.StandardCharsets;

/**
 * Reads a JSON object record straight from its bytes into {@link RecordFields}: one pass, no tokens, no tree, no
 * String per field; numbers parsed in place, categorical levels looked up from their bytes. It accepts only what
 * it can read exactly as {@link RecordParser} (Jackson) would and says no to everything else: escapes, non-ASCII
 * text outside a known level, nulls, wrong types, duplicate names, unknown levels, missing fields, malformed JSON.
 * The caller then runs {@link RecordParser}, which gives the row or the dead letter with today's reason and
 * message, so the fast path never has to reproduce an error message. Reused; not thread-safe.
 */
final class JsonRecordScanner {
    /** Longer numbers go to Jackson (its limits, BigInteger values). */
    private static final int MAX_NUMBER = 64;
    /** Deeper nesting in ignored fields goes to Jackson (its depth limit). */
    private static final int MAX_DEPTH = 64;

    private byte[] b;
    private int pos;
    private int end;
    /** The last number scanned had no fraction or exponent (Jackson reads it as an int or long). */
    private boolean integral;
    private boolean exponent;
    private boolean negative;
    /** The last number's digits (integer and fraction part) as a long, exact for up to 18 of them. */
    private long mantissa;
    private int digitCount;
    private int fractionDigits;
    /** The last string scanned had a byte >= 0x80. */
    private boolean nonAscii;

    /** Reads {@code bytes} into {@code f}; false when {@link RecordParser} must decide. */
    boolean scan(byte[] bytes, RecordFields f) {
        b = bytes;
        pos = 0;
        end = bytes.length;
        f.reset();
        skipWhitespace();
        if (pos >= end || b[pos] != '{') {
            return false;
        }
        pos++;
        skipWhitespace();
        if (pos < end && b[pos] == '}') {
            pos++;
        } else {
            while (true) {
                if (pos >= end || b[pos] != '"') {
                    return false;
                }
                int nameStart = ++pos;
                if (!plainString() || nonAscii) {
                    return false;
                }
                int name = f.names.find(b, nameStart, pos - nameStart);
                pos++;
                skipWhitespace();
                if (pos >= end || b[pos] != ':') {
                    return false;
                }
                pos++;
                skipWhitespace();
                if (pos >= end) {
                    return false;
                }
                if (name == ByteKeys.ABSENT) {
                    if (!skipValue(0)) {
                        return false;
                    }
                } else if (!f.firstTime(name) || !readValue(name, f)) {
                    return false;
                }
                skipWhitespace();
                if (pos >= end) {
                    return false;
                }
                if (b[pos] == ',') {
                    pos++;
                    skipWhitespace();
                } else if (b[pos] == '}') {
                    pos++;
                    break;
                } else {
                    return false;
                }
            }
        }
        skipWhitespace();
        return pos == end && f.complete();
    }

    /** A value of a field the spec reads, with RecordParser's rules for each role the field has. */
    private boolean readValue(int name, RecordFields f) {
        int start = pos;
        boolean string = false;
        boolean number = false;
        if (b[pos] == '"') {
            start = ++pos;
            if (!plainString()) {
                return false;
            }
            string = true;
        } else if (b[pos] == '-' || b[pos] >= '0' && b[pos] <= '9') {
            if (!number()) {
                return false;
            }
            number = true;
        } else if (!literal("true") && !literal("false")) {
            return false; // null, an object, an array, or not JSON
        }
        int len = pos - start;
        if (string) {
            pos++; // the closing quote
        }
        if (f.isTime[name]) {
            if (number && integral && digitCount <= 18) { // a long, as Jackson's getLongValue
                f.time = negative ? -mantissa : mantissa;
            } else if (string && !nonAscii) {
                Long millis = RecordParser.isoMillis(new String(b, start, len, StandardCharsets.ISO_8859_1));
                if (millis == null) {
                    return false;
                }
                f.time = millis;
            } else {
                return false;
            }
            f.hasTime = true;
        }
        if (f.isKey[name]) {
            if (!(string || number) || nonAscii && string) {
                return false;
            }
            f.key = new String(b, start, len, StandardCharsets.ISO_8859_1); // ASCII here
        }
        int slot = f.numericSlot[name];
        if (slot != RecordFields.NONE) {
            if (!number) {
                return false;
            }
            double d = numberValue(start, len);
            if (!Double.isFinite(d)) {
                return false;
            }
            f.number(slot, d);
        } else if (f.categoricalSlot[name] != RecordFields.NONE) {
            return f.level(f.categoricalSlot[name], b, start, len);
        }
        return true;
    }

    /**
     * A string's content up to its closing quote (left at {@code pos}): false at an escape, a control character or
     * the end of the record. Sets {@link #nonAscii}.
     */
    private boolean plainString() {
        byte[] buf = b;
        int e = end;
        boolean high = false;
        for (int p = pos; p < e; p++) {
            byte c = buf[p];
            if (c == '"') {
                pos = p;
                nonAscii = high;
                return true;
            }
            if (c == '\\' || c >= 0 && c < 0x20) {
                return false;
            }
            high |= c < 0;
        }
        return false;
    }

    /**
     * A JSON number by the grammar Jackson enforces (no leading zeros, no "+", a digit on both sides of the point);
     * false otherwise. Accumulates its digits on the way ({@link #mantissa}, {@link #digitCount},
     * {@link #fractionDigits}, {@link #negative}, {@link #integral}, {@link #exponent}) so that a short number is
     * not read twice.
     */
    private boolean number() {
        byte[] buf = b;
        int p = pos;
        int e = end;
        int start = p;
        negative = buf[p] == '-';
        if (negative) {
            p++;
        }
        long m = 0;
        int count = 0;
        if (p < e && buf[p] == '0') {
            p++;
            count = 1;
        } else {
            while (p < e && buf[p] >= '0' && buf[p] <= '9') {
                m = m * 10 + (buf[p++] - '0');
                count++;
            }
            if (count == 0) {
                return false;
            }
        }
        int intDigits = count;
        integral = true;
        exponent = false;
        if (p < e && buf[p] == '.') {
            p++;
            while (p < e && buf[p] >= '0' && buf[p] <= '9') {
                m = m * 10 + (buf[p++] - '0');
                count++;
            }
            if (count == intDigits) {
                return false;
            }
            integral = false;
        }
        if (p < e && (buf[p] == 'e' || buf[p] == 'E')) {
            p++;
            if (p < e && (buf[p] == '+' || buf[p] == '-')) {
                p++;
            }
            int digitsStart = p;
            while (p < e && buf[p] >= '0' && buf[p] <= '9') {
                p++;
            }
            if (p == digitsStart) {
                return false;
            }
            integral = false;
            exponent = true;
        }
        pos = p;
        mantissa = m; // meaningful only for up to 18 digits
        digitCount = count;
        fractionDigits = count - intDigits;
        return p - start <= MAX_NUMBER;
    }

    /**
     * The double of the number just scanned, as Jackson's getDoubleValue gives it: an integer of up to 18 digits
     * is read as an int or a long and converted (so "-0" gives +0.0 where Double.parseDouble gives -0.0), a short
     * plain decimal takes {@link Decimals#exact}, anything else Double.parseDouble's correctly rounded value.
     */
    private double numberValue(int start, int len) {
        if (integral && digitCount <= 18) {
            return (double) (negative ? -mantissa : mantissa);
        }
        if (!exponent && digitCount <= Decimals.EXACT_DIGITS) {
            return Decimals.exact(mantissa, fractionDigits, negative);
        }
        return Decimals.parse(b, start, len);
    }

    private boolean literal(String word) {
        int n = word.length();
        if (end - pos < n) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            if (b[pos + i] != word.charAt(i)) {
                return false;
            }
        }
        pos += n;
        return true;
    }

    /** Skips the value of a field the spec does not read, checking it is JSON as Jackson would. */
    private boolean skipValue(int depth) {
        byte c = b[pos];
        if (c == '"') {
            pos++;
            return skipString();
        }
        if (c == '-' || c >= '0' && c <= '9') {
            return number();
        }
        if (c == '{' || c == '[') {
            if (depth >= MAX_DEPTH) {
                return false;
            }
            byte close = c == '{' ? (byte) '}' : (byte) ']';
            pos++;
            skipWhitespace();
            if (pos < end && b[pos] == close) {
                pos++;
                return true;
            }
            while (true) {
                if (c == '{') {
                    if (pos >= end || b[pos] != '"') {
                        return false;
                    }
                    pos++;
                    if (!skipString()) {
                        return false;
                    }
                    skipWhitespace();
                    if (pos >= end || b[pos] != ':') {
                        return false;
                    }
                    pos++;
                    skipWhitespace();
                }
                if (pos >= end || !skipValue(depth + 1)) {
                    return false;
                }
                skipWhitespace();
                if (pos >= end) {
                    return false;
                }
                if (b[pos] == close) {
                    pos++;
                    return true;
                }
                if (b[pos] != ',') {
                    return false;
                }
                pos++;
                skipWhitespace();
            }
        }
        return literal("true") || literal("false") || literal("null");
    }

    /**
     * Skips a string after its opening quote, past its closing quote: escapes as JSON allows them, no control
     * characters, ASCII only (Jackson checks UTF-8 where this does not).
     */
    private boolean skipString() {
        while (pos < end) {
            byte c = b[pos++];
            if (c == '"') {
                return true;
            }
            if (c < 0x20) { // a control character, or a byte >= 0x80
                return false;
            }
            if (c == '\\') {
                if (pos >= end) {
                    return false;
                }
                byte e = b[pos++];
                if (e == 'u') {
                    if (end - pos < 4) {
                        return false;
                    }
                    for (int i = 0; i < 4; i++) {
                        if (Character.digit(b[pos++], 16) < 0) {
                            return false;
                        }
                    }
                } else if (e != '"' && e != '\\' && e != '/' && e != 'b' && e != 'f' && e != 'n' && e != 'r'
                        && e != 't') {
                    return false;
                }
            }
        }
        return false;
    }

    private void skipWhitespace() {
        byte[] buf = b;
        int p = pos;
        while (p < end && (buf[p] == ' ' || buf[p] == '\t' || buf[p] == '\n' || buf[p] == '\r')) {
            p++;
        }
        pos = p;
    }
}
