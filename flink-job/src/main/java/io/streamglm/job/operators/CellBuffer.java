package io.streamglm.job.operators;

import io.streamglm.connectors.record.EncodedRow;
import io.streamglm.engine.accumulate.CellTable;
import io.streamglm.engine.design.FittedDesign;
import io.streamglm.job.core.Event;
import io.streamglm.job.refit.WindowContents;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.api.java.typeutils.TupleTypeInfo;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * One key's window contents as cells ({@link CellTable}): per bucket and distinct design row, the
 * {@link CellTable#STATS} sums of its rows' counts and exposures, so state grows with the distinct cells of a
 * bucket, not its rows. Exact for Poisson log-link models without prior weights. The sums are added as rows
 * arrive: a refit equals the rows' fit to rounding, and is bit-for-bit repeatable when a model's rows arrive in
 * one order (one input partition).
 */
public final class CellBuffer implements BucketStore {
    private final MapState<Long, Long> bucketRows;
    private final MapState<Tuple2<Long, String>, double[]> cells;
    private final FittedDesign design;

    private CellBuffer(MapState<Long, Long> bucketRows, MapState<Tuple2<Long, String>, double[]> cells,
                       FittedDesign design) {
        this.bucketRows = bucketRows;
        this.cells = cells;
        this.design = design;
    }

    public static CellBuffer open(RuntimeContext context, FittedDesign design) {
        return new CellBuffer(context.getMapState(WindowBuffer.bucketRowsDescriptor()),
                context.getMapState(cellsDescriptor()), design);
    }

    /** (bucket, design row as {@link #cellKey}) to the cell's sums. */
    public static MapStateDescriptor<Tuple2<Long, String>, double[]> cellsDescriptor() {
        return new MapStateDescriptor<>("cells", new TupleTypeInfo<>(Types.LONG, Types.STRING),
                PrimitiveArrayTypeInfo.DOUBLE_PRIMITIVE_ARRAY_TYPE_INFO);
    }

    /**
     * A design row's non-zeros as a string key, exactly: each (column int, value bits long) in 12 bytes, one char
     * per byte. Part of the state layout.
     */
    public static String cellKey(int[] idx, double[] val, int k) {
        ByteBuffer b = ByteBuffer.allocate(12 * k);
        for (int i = 0; i < k; i++) {
            b.putInt(idx[i]).putLong(Double.doubleToRawLongBits(val[i]));
        }
        return new String(b.array(), StandardCharsets.ISO_8859_1);
    }

    @Override public long append(long bucket, Event event) throws Exception {
        EncodedRow row = event.row();
        Tuple2<Long, String> key = Tuple2.of(bucket, cellKey(row.idx(), row.val(), row.idx().length));
        double[] stats = CellTable.rowStats(row.y(), row.offset());
        double[] cell = cells.get(key);
        if (cell != null) {
            CellTable.merge(cell, 0, stats, 0);
            stats = cell;
        }
        cells.put(key, stats);
        Long before = bucketRows.get(bucket);
        long n = before == null ? 1 : before + 1;
        bucketRows.put(bucket, n);
        return n;
    }

    @Override public void drop(long bucket) throws Exception {
        List<Tuple2<Long, String>> keys = new ArrayList<>();
        for (Tuple2<Long, String> key : cells.keys()) {
            if (key.f0 == bucket) {
                keys.add(key);
            }
        }
        for (Tuple2<Long, String> key : keys) {
            cells.remove(key);
        }
        bucketRows.remove(bucket);
    }

    @Override public List<Long> bucketsIn(long start, long end) throws Exception {
        return WindowBuffer.bucketsIn(bucketRows, start, end);
    }

    /** The cells of the buckets in [start, end), a design row's sums over those buckets added in bucket order. */
    @Override public WindowContents contents(long start, long end) throws Exception {
        List<Map.Entry<Tuple2<Long, String>, double[]>> entries = new ArrayList<>();
        for (Map.Entry<Tuple2<Long, String>, double[]> e : cells.entries()) {
            if (e.getKey().f0 >= start && e.getKey().f0 < end) {
                entries.add(Map.entry(e.getKey(), e.getValue()));
            }
        }
        if (entries.isEmpty()) {
            return null;
        }
        // a fixed order, whatever the state backend's iteration order: the sums are added in it
        entries.sort(Comparator.<Map.Entry<Tuple2<Long, String>, double[]>>comparingLong(e -> e.getKey().f0)
                .thenComparing(e -> e.getKey().f1));
        CellTable.Builder table = new CellTable.Builder(design);
        for (Map.Entry<Tuple2<Long, String>, double[]> e : entries) {
            ByteBuffer b = ByteBuffer.wrap(e.getKey().f1.getBytes(StandardCharsets.ISO_8859_1));
            int k = b.remaining() / 12;
            int[] idx = new int[k];
            double[] val = new double[k];
            for (int i = 0; i < k; i++) {
                idx[i] = b.getInt();
                val[i] = Double.longBitsToDouble(b.getLong());
            }
            table.add(idx, val, k, e.getValue(), 0);
        }
        return new WindowContents.Cells(table.build());
    }
}
