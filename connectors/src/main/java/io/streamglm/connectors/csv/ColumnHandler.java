package io.streamglm.connectors.csv;

import ch.randelshofer.fastdoubleparser.JavaDoubleParser;
import de.siegmar.fastcsv.reader.AbstractBaseCsvCallbackHandler;
import de.siegmar.fastcsv.reader.RecordWrapper;

/**
 * Receives each CSV field as a char range from FastCSV and keeps only what the model reads: numbers parsed in
 * place, categories as dictionary codes, other columns ignored. No String is made per field; the first bad field
 * of a record is kept as text for its error message.
 */
final class ColumnHandler extends AbstractBaseCsvCallbackHandler<ColumnHandler> {
    /** Per header position: -1 skipped, [0, numeric) a numeric slot, numeric + c the categorical c. */
    private final int[] slotOfField;
    private final int numeric;
    final double[] numbers;
    final int[] codes;
    final CharDictionary[] dictionaries;
    int badField = -1;
    String badText;

    ColumnHandler(int[] slotOfField, int numeric, int categorical) {
        this.slotOfField = slotOfField;
        this.numeric = numeric;
        this.numbers = new double[numeric];
        this.codes = new int[categorical];
        this.dictionaries = new CharDictionary[categorical];
        for (int c = 0; c < categorical; c++) {
            dictionaries[c] = new CharDictionary();
        }
    }

    int fieldCount() {
        return getFieldCount();
    }

    @Override protected void handleBegin(long startingLineNumber) {
        badField = -1;
        badText = null;
    }

    @Override protected void handleField(int fieldIdx, char[] buf, int offset, int len, boolean quoted) {
        if (fieldIdx >= slotOfField.length) {
            return;
        }
        int slot = slotOfField[fieldIdx];
        if (slot < 0) {
            return;
        }
        if (slot < numeric) {
            double v = parse(buf, offset, len);
            numbers[slot] = v;
            if (!Double.isFinite(v)) {
                bad(fieldIdx, buf, offset, len);
            }
        } else {
            int c = slot - numeric;
            if (len == 0 || (len == 2 && buf[offset] == 'N' && buf[offset + 1] == 'A')) {
                bad(fieldIdx, buf, offset, len);
                codes[c] = -1;
            } else {
                codes[c] = dictionaries[c].codeOf(buf, offset, len);
            }
        }
    }

    private void bad(int fieldIdx, char[] buf, int offset, int len) {
        if (badField < 0) {
            badField = fieldIdx;
            badText = new String(buf, offset, len);
        }
    }

    private static double parse(char[] buf, int offset, int len) {
        if (len == 0) {
            return Double.NaN;
        }
        try {
            return JavaDoubleParser.parseDouble(buf, offset, len);
        } catch (NumberFormatException e) {
            try {
                return Double.parseDouble(new String(buf, offset, len).trim()); // e.g. surrounding spaces
            } catch (NumberFormatException notANumber) {
                return Double.NaN;
            }
        }
    }

    @Override protected RecordWrapper<ColumnHandler> buildRecord() {
        return wrapRecord(this);
    }
}
