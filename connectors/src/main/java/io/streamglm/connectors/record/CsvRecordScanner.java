package io.streamglm.connectors.record;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Reads a CSV line of the spec's {@code csv_header} fields straight from its bytes into {@link RecordFields}, as
 * {@link JsonRecordScanner} reads JSON: no String per line or field, numbers parsed in place, levels looked up from
 * their bytes. It accepts only lines it reads exactly as {@link RecordParser} (through {@link CsvLine}) would:
 * a doubled quote inside a quoted field, spaces or non-ASCII bytes around a number, time or key, a missing or
 * unknown value, a wrong field count send the line to {@link RecordParser}, which gives the row or the dead letter
 * with today's reason. Splitting bytes rather than decoded text finds the same fields: no UTF-8 sequence, valid or
 * not, decodes a comma or a quote from bytes that are not one. Reused; not thread-safe.
 */
final class CsvRecordScanner {
    /** Per header position: the name index in {@link RecordFields}, or {@link RecordFields#NONE}. */
    private final int[] nameAt;

    CsvRecordScanner(List<String> header, RecordFields fields) {
        nameAt = new int[header.size()];
        for (int i = 0; i < nameAt.length; i++) {
            byte[] name = header.get(i).getBytes(StandardCharsets.UTF_8);
            int index = fields.names.find(name, 0, name.length);
            nameAt[i] = index == ByteKeys.ABSENT ? RecordFields.NONE : index;
        }
    }

    /** Reads {@code b} into {@code f}; false when {@link RecordParser} must decide. */
    boolean scan(byte[] b, RecordFields f) {
        f.reset();
        int end = b.length;
        while (end > 0 && (b[end - 1] == '\n' || b[end - 1] == '\r')) {
            end--;
        }
        int pos = 0;
        int field = 0;
        while (true) {
            int start;
            int stop;
            if (pos < end && b[pos] == '"') {
                start = ++pos;
                while (pos < end && b[pos] != '"') {
                    pos++;
                }
                stop = pos++;
                if (stop >= end || pos < end && b[pos] != ',') {
                    return false; // unclosed, a doubled quote, or text after the closing quote
                }
            } else {
                start = pos;
                while (pos < end && b[pos] != ',') {
                    pos++;
                }
                stop = pos;
            }
            if (field >= nameAt.length) {
                return false;
            }
            int name = nameAt[field++];
            if (name != RecordFields.NONE && (!f.firstTime(name) || !readField(name, f, b, start, stop - start))) {
                return false;
            }
            if (pos >= end) {
                return field == nameAt.length && f.complete();
            }
            pos++; // the comma
        }
    }

    private static boolean readField(int name, RecordFields f, byte[] b, int off, int len) {
        if (len == 0) {
            return false; // missing
        }
        if (f.isTime[name]) {
            if (!digits(b, off, len)) {
                return false; // an ISO-8601 time, or not a time: RecordParser
            }
            f.time = Long.parseLong(new String(b, off, len, StandardCharsets.ISO_8859_1));
            f.hasTime = true;
        }
        if (f.isKey[name]) {
            if (!printableAscii(b, off, len) || len == 2 && b[off] == 'N' && b[off + 1] == 'A') {
                return false;
            }
            f.key = new String(b, off, len, StandardCharsets.ISO_8859_1);
        }
        int slot = f.numericSlot[name];
        if (slot != RecordFields.NONE) {
            for (int i = off; i < off + len; i++) {
                byte c = b[i];
                if (!(c >= '0' && c <= '9' || c == '.' || c == '-' || c == '+' || c == 'e' || c == 'E')) {
                    return false; // RecordParser's own test of what a CSV number may hold
                }
            }
            double d;
            try {
                d = Decimals.parse(b, off, len);
            } catch (NumberFormatException e) {
                return false;
            }
            if (!Double.isFinite(d)) {
                return false;
            }
            f.number(slot, d);
        } else if (f.categoricalSlot[name] != RecordFields.NONE) {
            int c = f.categoricalSlot[name];
            int code = f.levels[c].find(b, off, len);
            if (code == ByteKeys.ABSENT || f.csvMissing[c][code]) {
                return false;
            }
            f.setLevel(c, code);
        }
        return true;
    }

    /** An optional minus and up to 18 digits: a long that Long.parseLong reads as RecordParser does. */
    private static boolean digits(byte[] b, int off, int len) {
        int i = b[off] == '-' ? off + 1 : off;
        if (i == off + len || off + len - i > 18) {
            return false;
        }
        for (; i < off + len; i++) {
            if (b[i] < '0' || b[i] > '9') {
                return false;
            }
        }
        return true;
    }

    private static boolean printableAscii(byte[] b, int off, int len) {
        for (int i = off; i < off + len; i++) {
            if (b[i] <= ' ') { // a space, a control character, or a byte >= 0x80
                return false;
            }
        }
        return true;
    }
}
