package io.streamglm.job.replay;

import io.streamglm.connectors.csv.CsvSplits;
import io.streamglm.connectors.csv.CsvTableReader;
import io.streamglm.connectors.kafka.CsvToJson;
import io.streamglm.engine.data.CategoricalColumn;
import io.streamglm.engine.data.DataTable;
import io.streamglm.engine.design.DesignMatrix;
import io.streamglm.engine.design.FittedDesign;
import io.streamglm.engine.design.RowBuffer;
import io.streamglm.engine.fit.GlmModel;
import io.streamglm.engine.fit.TrainingSet;
import io.streamglm.engine.model.ModelFile;
import io.streamglm.engine.spec.ModelSpec;
import io.streamglm.engine.spec.SpecParser;
import io.streamglm.job.core.Event;
import io.streamglm.job.core.WindowSpec;
import io.streamglm.job.operators.EventDeserializer;
import io.streamglm.job.state.SerializerTypeInfo;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads one unit of a windowed replay's input per element (its index): a byte-range split of a CSV file by the
 * {@code fit} command's parser and encoder, a whole file (JSON lines) by the stream's record path; and emits the
 * rows as blocks of at most {@link #BLOCK_ROWS} rows per window,
 * keyed like {@link WindowRefit#key}: a block crosses the shuffle as one record, where a row per record costs a
 * serialized {@link Event} each. Rows carry the order keys the record path gives them (the record's index in
 * the file), and the time the record path reads (a number is epoch milliseconds, other text ISO-8601), so the
 * windows and their fits are the record path's, which are the stream's.
 *
 * <p>A split with a record the fit path refuses (a bad value, an unseen level, a time it cannot read) is read
 * again record by record through the stream's {@link EventDeserializer} ({@link UnitReader}): its bad records
 * become dead letters ({@link #DEAD_LETTERS}), its good ones rows.
 */
public final class SplitWindowBlocks extends ProcessFunction<Integer, Tuple2<String, RowBuffer>> {
    private static final long serialVersionUID = 1L;
    /** Records that cannot be used. */
    public static final OutputTag<Event> DEAD_LETTERS = new OutputTag<>("replay-window-dead-letters",
            SerializerTypeInfo.EVENT);
    /** Rows per emitted block. */
    static final int BLOCK_ROWS = 1 << 14;

    private final List<InputUnit> units;
    private final String modelName;
    private final String timeField;
    private final WindowSpec window;
    private final EventDeserializer deserializer;
    private final String specJson;
    private final String designJson;
    private transient ModelSpec spec;
    private transient FittedDesign design;
    private transient GlmModel model;

    public SplitWindowBlocks(List<InputUnit> units, String modelName, String timeField, WindowSpec window,
                             EventDeserializer deserializer, String specJson, String designJson) {
        this.units = List.copyOf(units);
        this.modelName = modelName;
        this.timeField = timeField;
        this.window = window;
        this.deserializer = deserializer;
        this.specJson = specJson;
        this.designJson = designJson;
    }

    @Override public void open(OpenContext openContext) {
        spec = SpecParser.parse(specJson, "spec");
        design = ModelFile.designFromJson(designJson);
        model = GlmModel.of(spec, design);
    }

    @Override public void processElement(Integer index, Context ctx, Collector<Tuple2<String, RowBuffer>> out)
            throws IOException {
        InputUnit unit = units.get(index);
        if (!unit.csvSplit()) {
            recordByRecord(unit, ctx, out);
            return;
        }
        CsvSplits.Split split = unit.split();
        DesignMatrix matrix;
        long[] times;
        try {
            Map<String, String> text = new LinkedHashMap<>(spec.categoricalColumnUsage());
            text.putIfAbsent(timeField, "the time column (--time-column)");
            DataTable table = CsvTableReader.readSplit(Path.of(unit.file()), unit.plan(), split,
                    spec.numericColumnUsage(), text);
            times = times(table.categorical(timeField));
            matrix = TrainingSet.build(spec, model, design, table, new ArrayList<>());
        } catch (RuntimeException refused) {
            recordByRecord(unit, ctx, out);
            return;
        }
        UnitReader.FIT_PATH.incrementAndGet();
        Blocks blocks = new Blocks(out);
        int[] dense = matrix.denseColumns();
        double[] denseValues = matrix.denseValues();
        int stride = matrix.stride();
        int[] sparseIdx = matrix.indices();
        double[] sparseVal = matrix.values();
        int[] nnz = matrix.nonZeros();
        int n = matrix.rows();
        int[] idx = new int[dense.length + stride];
        double[] val = new double[dense.length + stride];
        for (int i = 0; i < n; i++) {
            int k = 0;
            for (int a = 0; a < dense.length; a++) {
                idx[k] = dense[a];
                val[k++] = denseValues[a * n + i];
            }
            for (int e = 0; e < nnz[i]; e++) {
                idx[k] = sparseIdx[i * stride + e];
                val[k++] = sparseVal[i * stride + e];
            }
            int row = i;
            int count = k;
            // the record path's order key: the file's index, the record's index in the file
            long order = ((long) unit.fileIndex() << 40) | (split.firstRecord() + i);
            WindowRefit.Assign.starts(window, times[i], s -> blocks.add(s, b -> b.append(times[row], order,
                    matrix.y(row), matrix.weight(row), matrix.offset(row), idx, val, count)));
        }
        blocks.flushAll();
        ReplayProgress.RECORDS.addAndGet(n);
    }

    /**
     * Each distinct text of the time column read once, by the record path's own reading ({@link
     * CsvToJson#timeMillis}); a text it refuses refuses the split, which is then read record by record, where the
     * record path reports it.
     */
    private static long[] times(CategoricalColumn column) {
        List<String> dictionary = column.dictionary();
        long[] byCode = new long[dictionary.size()];
        for (int c = 0; c < byCode.length; c++) {
            byCode[c] = CsvToJson.timeMillis(dictionary.get(c));
        }
        int[] codes = column.codes();
        long[] times = new long[codes.length];
        for (int i = 0; i < codes.length; i++) {
            times[i] = byCode[codes[i]];
        }
        return times;
    }

    /**
     * A whole file, or a split the fit path refused, through the record path: its rows assigned to windows, its bad
     * records dead letters.
     */
    private void recordByRecord(InputUnit unit, Context ctx, Collector<Tuple2<String, RowBuffer>> out)
            throws IOException {
        UnitReader reader = new UnitReader(spec, design, timeField, deserializer);
        Blocks blocks = new Blocks(out);
        UnitReader.RECORD_BY_RECORD.incrementAndGet();
        reader.events(unit, true, e -> {
            if (!e.isRow()) {
                ctx.output(DEAD_LETTERS, e);
                return;
            }
            WindowRefit.Assign.starts(window, e.row().eventTime(), s ->
                    blocks.add(s, b -> e.row().appendTo(b, ((long) e.partition() << 40) | e.offset())));
        });
        blocks.flushAll();
    }

    /** The open block of every window, emitted when full and at the end of the split. */
    private final class Blocks {
        private final Collector<Tuple2<String, RowBuffer>> out;
        private final Map<Long, RowBuffer> open = new HashMap<>();

        Blocks(Collector<Tuple2<String, RowBuffer>> out) {
            this.out = out;
        }

        /** Appends a row to the block of the window starting at {@code start}, and emits the block when full. */
        void add(long start, java.util.function.Consumer<RowBuffer> append) {
            RowBuffer block = open.computeIfAbsent(start, s -> RowBuffer.forModel(spec, design));
            append.accept(block);
            if (block.size() >= BLOCK_ROWS) {
                out.collect(Tuple2.of(key(start), block));
                open.remove(start);
            }
        }

        void flushAll() {
            open.forEach((s, rows) -> out.collect(Tuple2.of(key(s), rows)));
            open.clear();
        }

        private String key(long start) {
            return modelName + "\u0000" + start;
        }
    }
}
