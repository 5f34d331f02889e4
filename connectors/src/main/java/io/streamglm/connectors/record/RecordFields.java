package io.streamglm.connectors.record;

import io.streamglm.engine.design.ColumnValues;
import io.streamglm.engine.design.DesignComponent;
import io.streamglm.engine.design.DesignTerm;
import io.streamglm.engine.design.FactorComponent;
import io.streamglm.engine.design.FittedDesign;
import io.streamglm.engine.design.FrequencyComponent;
import io.streamglm.engine.design.TargetComponent;
import io.streamglm.engine.spec.ModelSpec;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The fields one record is read into by {@link JsonRecordScanner} and {@link CsvRecordScanner}, in flat slots
 * rather than maps: each name the spec reads has an index ({@link #names}, looked up from the record's bytes),
 * numeric columns a slot in {@link #numbers}, categorical columns a slot in {@link #texts} holding the frozen
 * design's own level String (looked up from the bytes in {@link #levels}, so a known level costs no allocation
 * and the encoder's level map hits by identity). The encoder reads them by its columns' positions
 * ({@link ColumnValues}), which map to the slots once, here. Reused from record to record; not thread-safe.
 */
final class RecordFields implements ColumnValues {
    static final int NONE = -1;

    /** Field name bytes to name index. */
    final ByteKeys names;
    final boolean[] isTime;
    final boolean[] isKey;
    /** Per name index: its slot in {@link #numbers}, or {@link #NONE}. */
    final int[] numericSlot;
    /** Per name index: its slot in {@link #texts} (none when the column is numeric too, as RecordParser). */
    final int[] categoricalSlot;
    /** Per categorical slot: level bytes to level code; {@link #levelText} the code's String. */
    final ByteKeys[] levels;
    final String[][] levelText;
    /** Per categorical slot and code: a CSV field of this text counts as missing (blank or "NA"). */
    final boolean[][] csvMissing;
    private final Map<String, Integer> numericByColumn = new HashMap<>();
    private final Map<String, Integer> categoricalByColumn = new HashMap<>();
    private final int categoricalColumns;
    /** The encoder's columns, and per position the column's slot in {@link #numbers} and {@link #texts}. */
    private final List<String> encoderColumns;
    private final int[] numberAt;
    private final int[] textAt;
    private final boolean needsTime;
    private final boolean needsKey;

    final double[] numbers;
    final String[] texts;
    private final boolean[] seen;
    private int numbersFilled;
    private int textsFilled;
    long time;
    boolean hasTime;
    String key;

    /** @param encoderColumns {@code RecordEncoder.columns()} of the encoder these fields are given to */
    RecordFields(ModelSpec spec, String timeField, String keyField, FittedDesign design, List<String> encoderColumns) {
        Set<String> numeric = spec.numericColumnUsage().keySet();
        Set<String> categorical = spec.categoricalColumnUsage().keySet();
        Set<String> all = new LinkedHashSet<>(numeric);
        all.addAll(categorical);
        if (timeField != null) {
            all.add(timeField);
        }
        if (keyField != null) {
            all.add(keyField);
        }
        List<String> nameList = new ArrayList<>(all);
        names = new ByteKeys(nameList.size());
        isTime = new boolean[nameList.size()];
        isKey = new boolean[nameList.size()];
        numericSlot = new int[nameList.size()];
        categoricalSlot = new int[nameList.size()];
        seen = new boolean[nameList.size()];
        List<String> categoricalList = new ArrayList<>();
        for (int i = 0; i < nameList.size(); i++) {
            String name = nameList.get(i);
            if (roundTrips(name)) { // a name UTF-8 cannot carry is never found: such records take the full parser
                names.add(name, i);
            }
            isTime[i] = name.equals(timeField);
            isKey[i] = name.equals(keyField);
            numericSlot[i] = numeric.contains(name) ? numericByColumn.size() : NONE;
            if (numericSlot[i] != NONE) {
                numericByColumn.put(name, numericSlot[i]);
            }
            categoricalSlot[i] = numericSlot[i] == NONE && categorical.contains(name) ? categoricalList.size() : NONE;
            if (categoricalSlot[i] != NONE) {
                categoricalByColumn.put(name, categoricalSlot[i]);
                categoricalList.add(name);
            }
        }
        categoricalColumns = categorical.size();
        needsTime = timeField != null;
        needsKey = keyField != null;
        this.encoderColumns = encoderColumns;
        numberAt = new int[encoderColumns.size()];
        textAt = new int[encoderColumns.size()];
        for (int c = 0; c < encoderColumns.size(); c++) {
            numberAt[c] = numericByColumn.getOrDefault(encoderColumns.get(c), NONE);
            textAt[c] = categoricalByColumn.getOrDefault(encoderColumns.get(c), NONE);
        }
        numbers = new double[numericByColumn.size()];
        texts = new String[categoricalList.size()];
        levels = new ByteKeys[categoricalList.size()];
        levelText = new String[categoricalList.size()][];
        csvMissing = new boolean[categoricalList.size()][];
        for (int c = 0; c < categoricalList.size(); c++) {
            List<String> known = knownLevels(design, categoricalList.get(c));
            levels[c] = new ByteKeys(known.size());
            levelText[c] = known.toArray(new String[0]);
            csvMissing[c] = new boolean[known.size()];
            for (int code = 0; code < known.size(); code++) {
                String level = known.get(code);
                if (roundTrips(level)) {
                    levels[c].add(level, code);
                }
                csvMissing[c][code] = level.isBlank() || level.trim().equals("NA");
            }
        }
    }

    /**
     * Every level of {@code column} that some component of the frozen design knows, each String the design's own
     * (the factor's levels first, so that its level map finds them by identity). A level no component knows is
     * not here: such records take the full parser, which applies the unseen-level policy and its messages.
     */
    private static List<String> knownLevels(FittedDesign design, String column) {
        Map<String, String> known = new java.util.LinkedHashMap<>();
        for (DesignTerm term : design.terms()) {
            for (DesignComponent comp : term.components()) {
                Collection<String> levels = List.of();
                if (comp instanceof FactorComponent f && f.column().equals(column)) {
                    levels = f.levels();
                } else if (comp instanceof FrequencyComponent f && f.column().equals(column)) {
                    levels = f.values().keySet();
                } else if (comp instanceof TargetComponent t && t.column().equals(column)) {
                    levels = t.sums().keySet();
                }
                for (String level : levels) {
                    known.putIfAbsent(level, level);
                }
            }
        }
        return new ArrayList<>(known.values());
    }

    private static boolean roundTrips(String s) {
        return new String(s.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8).equals(s);
    }

    void reset() {
        java.util.Arrays.fill(seen, false);
        numbersFilled = 0;
        textsFilled = 0;
        hasTime = false;
        key = null;
    }

    /** Marks name {@code i} as read; false when the record has it twice (the full parser decides which wins). */
    boolean firstTime(int i) {
        if (seen[i]) {
            return false;
        }
        seen[i] = true;
        return true;
    }

    void number(int slot, double value) {
        numbers[slot] = value;
        numbersFilled++;
    }

    /** Sets categorical slot {@code slot} to the level in {@code buf[off, off + len)}; false for a level not known. */
    boolean level(int slot, byte[] buf, int off, int len) {
        int code = levels[slot].find(buf, off, len);
        if (code == ByteKeys.ABSENT) {
            return false;
        }
        setLevel(slot, code);
        return true;
    }

    void setLevel(int slot, int code) {
        texts[slot] = levelText[slot][code];
        textsFilled++;
    }

    /** Every field the spec reads is there (categorical columns that are numeric too never are, as RecordParser). */
    boolean complete() {
        return numbersFilled == numbers.length && textsFilled == categoricalColumns && (!needsTime || hasTime)
                && (!needsKey || key != null);
    }

    @Override public double number(String column) {
        Integer slot = numericByColumn.get(column);
        return slot == null ? Double.NaN : numbers[slot];
    }

    @Override public String text(String column) {
        Integer slot = categoricalByColumn.get(column);
        return slot == null ? null : texts[slot];
    }

    @Override public List<String> columns() {
        return encoderColumns;
    }

    @Override public double number(int column) {
        int slot = numberAt[column];
        return slot == NONE ? Double.NaN : numbers[slot];
    }

    @Override public String text(int column) {
        int slot = textAt[column];
        return slot == NONE ? null : texts[slot];
    }
}
