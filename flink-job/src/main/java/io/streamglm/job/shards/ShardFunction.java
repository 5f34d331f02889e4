package io.streamglm.job.shards;

import io.streamglm.connectors.record.BadRecord;
import io.streamglm.engine.accumulate.CellPasses;
import io.streamglm.engine.accumulate.CellTable;
import io.streamglm.engine.accumulate.InMemoryPasses;
import io.streamglm.engine.accumulate.PassCodec;
import io.streamglm.engine.accumulate.RowPasses;
import io.streamglm.engine.design.DesignMatrix;
import io.streamglm.engine.design.RowBuffer;
import io.streamglm.engine.diagnostics.SummarySums;
import io.streamglm.engine.fit.ResumableFit;
import io.streamglm.job.core.Event;
import io.streamglm.job.core.Partial;
import io.streamglm.job.core.WindowSpec;
import io.streamglm.job.operators.BucketStore;
import io.streamglm.job.operators.CellBuffer;
import io.streamglm.job.operators.RefitFunction;
import io.streamglm.job.operators.WindowBuffer;
import io.streamglm.job.refit.Refitter;
import io.streamglm.job.refit.WindowContents;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A shard of a model's window, keyed by (model, shard) ({@link ShardKeys}): buffers its rows in event-time buckets
 * as the window-local refit operator does, and when a window closes freezes the window's rows (the count of each
 * bucket then: rows arriving later are not part of this refit) and sends the start pass's accumulator to the
 * model's {@link PassCoordinator}. Each later pass arrives as a {@link Feedback} message from the feedback topic,
 * read as a broadcast stream; the shard answers it with its accumulator at the coordinator's coefficients (or,
 * for the summary pass after the fit, its rows' diagnostics summary sums), once per (window, pass), and drops the
 * window's rows when the coordinator releases the refit.
 */
public final class ShardFunction extends KeyedBroadcastProcessFunction<String, Event, byte[], Partial>
        implements CheckpointedFunction {
    private static final long serialVersionUID = 1L;
    private static final byte FROZEN_VERSION = 1;

    private final Refitter.Setup setup;
    private final WindowSpec window;
    private final long allowedLateness;
    private final String job;
    private final boolean cells;

    private transient Refitter refitter;
    /** Rows ({@link WindowBuffer}) or cells ({@link CellBuffer}). */
    private transient BucketStore buffer;
    /** Window end -> the frozen window: its buckets' row counts and the last pass answered. */
    private transient MapState<Long, byte[]> frozen;
    /** Window end -> a frozen window's cells (with {@code cells}: later rows change the buffer's sums). */
    private transient MapState<Long, byte[]> frozenCells;
    private transient Object startPass;
    /** Passes over frozen windows (sorted rows, or cells), rebuilt from state when absent (e.g. after a restore). */
    private transient Map<String, RowPasses> passes;
    /** The checkpoint this attempt was restored from (0: a fresh start); see {@link Feedback#validFor}. */
    private transient long restoredFrom;

    /**
     * @param job   the job run's id: feedback of any other run (an older job on the same topic) is ignored
     * @param cells keep cells ({@link CellBuffer}) instead of rows (Poisson log-link models)
     */
    public ShardFunction(Refitter.Setup setup, WindowSpec window, long allowedLateness, String job,
                         boolean cells) {
        if (!window.timeBased()) {
            throw new IllegalArgumentException("shards need an event-time window, not " + window.text());
        }
        this.setup = setup;
        this.window = window;
        this.allowedLateness = allowedLateness;
        this.job = job;
        this.cells = cells;
    }

    public static MapStateDescriptor<Long, byte[]> frozenDescriptor() {
        return new MapStateDescriptor<>("frozen", Types.LONG, PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO);
    }

    /** The (unused) broadcast state of the feedback input: messages are acted on, not kept. */
    public static MapStateDescriptor<String, String> feedbackDescriptor() {
        return new MapStateDescriptor<>("feedback", Types.STRING, Types.STRING);
    }

    @Override public void open(OpenContext openContext) {
        refitter = setup.open();
        buffer = cells ? CellBuffer.open(getRuntimeContext(), refitter.design())
                : WindowBuffer.open(getRuntimeContext(), refitter::newBuffer);
        frozen = getRuntimeContext().getMapState(frozenDescriptor());
        frozenCells = getRuntimeContext().getMapState(new MapStateDescriptor<>("frozen-cells", Types.LONG,
                PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO));
        passes = new HashMap<>();
        // The fit's first pass needs no coefficients: every shard runs it when the window closes, unasked.
        startPass = ((ResumableFit.Pending) ResumableFit.step(refitter.model(), refitter.model().columnNames().size(),
                List.of())).pass();
    }

    @Override public void initializeState(FunctionInitializationContext context) {
        restoredFrom = context.getRestoredCheckpointId().orElse(0);
    }

    @Override public void snapshotState(FunctionSnapshotContext context) {
        // all state is keyed state, snapshotted by Flink
    }

    @Override public void processElement(Event event, ReadOnlyContext ctx, Collector<Partial> out) throws Exception {
        BadRecord late = buffer.appendInWindows(event, window, allowedLateness, ctx.timerService());
        if (late != null) {
            ctx.output(RefitFunction.DEAD_LETTERS, event.asDeadLetter(late));
        }
    }

    @Override public void onTimer(long timestamp, OnTimerContext ctx, Collector<Partial> out) throws Exception {
        long end = timestamp + 1 - allowedLateness;
        long start = end - window.sizeMillis();
        String key = ctx.getCurrentKey();
        Map<Long, Long> counts = Map.of();
        boolean hasRows;
        if (cells) {
            WindowContents contents = buffer.contents(start, end);
            hasRows = contents != null;
            if (hasRows) {
                CellTable table = ((WindowContents.Cells) contents).table();
                frozenCells.put(end, table.toByteArray()); // read back only after a restore
                passes.put(cacheKey(key, end), new CellPasses(table));
            }
        } else {
            counts = ((WindowBuffer) buffer).counts(start, end);
            hasRows = !counts.isEmpty();
        }
        if (hasRows) {
            FrozenWindow frozenWindow = new FrozenWindow(job, counts, 0);
            frozen.put(end, frozenWindow.encode());
            out.collect(answer(key, end, frozenWindow, 0, startPass));
        }
        dropUnneeded(end);
    }

    @Override public void processBroadcastElement(byte[] value, Context ctx, Collector<Partial> out) throws Exception {
        Feedback message = Feedback.decode(value);
        if (message == null || message.kind() == Feedback.Kind.END
                || !message.validFor(restoredFrom, getRuntimeContext().getTaskInfo().getAttemptNumber())) {
            return; // not feedback, the end of a bounded run, or sent by a failed attempt after our checkpoint
        }
        // applyToKeyedState sets each key as the current key, so the buffer's state reads that key's rows.
        ctx.applyToKeyedState(frozenDescriptor(), (key, state) -> {
            if (!ShardKeys.model(key).equals(message.model()) || !message.hasShard(ShardKeys.shard(key))) {
                return;
            }
            byte[] frozenBytes = state.get(message.window());
            if (frozenBytes == null) {
                return; // released already, or a window this run never had
            }
            FrozenWindow frozenWindow = FrozenWindow.decode(frozenBytes);
            if (!message.job().equals(job) && !message.job().equals(frozenWindow.job())) {
                // Another run's message. The run that froze the window is not "another run": after a restore
                // from a savepoint (a new submission, a new run id) its requests still in the topic are awaited.
                return;
            }
            if (message.kind() == Feedback.Kind.RELEASE) {
                state.remove(message.window());
                frozenCells.remove(message.window());
                passes.remove(cacheKey(key, message.window()));
                dropUnneeded(message.window());
                return;
            }
            if (message.iteration() <= frozenWindow.answered()) {
                return; // a message read again: this pass was answered
            }
            if (message.kind() == Feedback.Kind.SUMMARY) {
                out.collect(summary(key, message.window(), frozenWindow, message.iteration(),
                        SummarySums.Request.fromBytes(message.pass())));
            } else {
                Object pass = PassCodec.decode(message.pass(), refitter.model().link());
                out.collect(answer(key, message.window(), frozenWindow, message.iteration(), pass));
            }
            state.put(message.window(), new FrozenWindow(frozenWindow.job(), frozenWindow.counts(), message.iteration())
                    .encode());
        });
    }

    /** This shard's accumulator for a pass over a frozen window. */
    private Partial answer(String key, long end, FrozenWindow frozenWindow, int iteration, Object pass)
            throws Exception {
        RowPasses over = passesOver(key, end, frozenWindow);
        long rows = over instanceof CellPasses c ? c.table().rows() : ((InMemoryPasses) over).matrix().rows();
        return new Partial(ShardKeys.model(key), end, iteration, ShardKeys.shard(key), rows,
                PassCodec.accumulate(pass, over));
    }

    /** This shard's summary sums of a frozen window's rows or cells. */
    private Partial summary(String key, long end, FrozenWindow frozenWindow, int iteration,
                            SummarySums.Request request) throws Exception {
        RowPasses over = passesOver(key, end, frozenWindow);
        if (over instanceof CellPasses c) {
            return new Partial(ShardKeys.model(key), end, iteration, ShardKeys.shard(key), c.table().rows(),
                    refitter.summarySums(c.table(), request).toBytes());
        }
        DesignMatrix matrix = ((InMemoryPasses) over).matrix();
        return new Partial(ShardKeys.model(key), end, iteration, ShardKeys.shard(key), matrix.rows(),
                refitter.summarySums(matrix, request).toBytes());
    }

    /** The passes over a frozen window's rows or cells, rebuilt from state when not cached. */
    private RowPasses passesOver(String key, long end, FrozenWindow frozenWindow) throws Exception {
        String cacheKey = cacheKey(key, end);
        RowPasses over = passes.get(cacheKey);
        if (over == null) {
            if (cells) {
                over = new CellPasses(CellTable.heapify(frozenCells.get(end), refitter.design()));
            } else {
                RowBuffer rows = ((WindowBuffer) buffer).gatherPrefixes(frozenWindow.counts());
                over = new InMemoryPasses(refitter.sortedMatrix(rows == null ? refitter.newBuffer() : rows), null);
            }
            passes.put(cacheKey, over);
        }
        return over;
    }

    private static String cacheKey(String key, long end) {
        return key + '\u0000' + end;
    }

    /**
     * Drops the buckets that neither a later window (they end before the next window's start) nor a frozen window
     * still being refitted needs: state stays bounded by the window plus the refits in progress.
     */
    private void dropUnneeded(long end) throws Exception {
        long keepFrom = end - window.sizeMillis() + window.slideMillis();
        for (Long frozenEnd : frozen.keys()) {
            keepFrom = Math.min(keepFrom, frozenEnd - window.sizeMillis());
        }
        for (Long bucket : buffer.bucketsIn(Long.MIN_VALUE, keepFrom)) {
            buffer.drop(bucket);
        }
    }

    /**
     * A window frozen for its refit: the run that froze it, each bucket's row count then (its rows are a prefix of
     * the bucket), and the last pass answered. Layout, version 1: version byte, job UTF (length short and bytes),
     * bucket count int, (bucket long, rows long) each, answered int.
     */
    record FrozenWindow(String job, Map<Long, Long> counts, int answered) {
        byte[] encode() {
            byte[] jobBytes = job.getBytes(StandardCharsets.UTF_8);
            ByteBuffer out = ByteBuffer.allocate(1 + 2 + jobBytes.length + 4 + 16 * counts.size() + 4);
            out.put(FROZEN_VERSION).putShort((short) jobBytes.length).put(jobBytes).putInt(counts.size());
            counts.forEach((bucket, n) -> out.putLong(bucket).putLong(n));
            return out.putInt(answered).array();
        }

        static FrozenWindow decode(byte[] bytes) {
            ByteBuffer in = ByteBuffer.wrap(bytes);
            if (in.get() != FROZEN_VERSION) {
                throw new IllegalStateException("frozen window state of an unknown version");
            }
            byte[] jobBytes = new byte[in.getShort()];
            in.get(jobBytes);
            Map<Long, Long> counts = new TreeMap<>();
            for (int i = in.getInt(); i > 0; i--) {
                counts.put(in.getLong(), in.getLong());
            }
            return new FrozenWindow(new String(jobBytes, StandardCharsets.UTF_8), counts, in.getInt());
        }
    }
}
