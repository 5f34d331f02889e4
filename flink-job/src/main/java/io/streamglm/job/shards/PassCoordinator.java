package io.streamglm.job.shards;

import io.streamglm.engine.accumulate.PassCodec;
import io.streamglm.engine.diagnostics.SummarySums;
import io.streamglm.engine.diagnostics.WindowSummary;
import io.streamglm.engine.fit.GlmResult;
import io.streamglm.engine.fit.ResumableFit;
import io.streamglm.job.core.Partial;
import io.streamglm.job.core.WindowSpec;
import io.streamglm.job.operators.RefitFunction;
import io.streamglm.job.refit.RefitOutput;
import io.streamglm.job.refit.Refitter;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The IRLS loop of distributed refits, keyed by model. A window's refit starts when the window has closed on every
 * shard (this operator's watermark passes the window's close, so every shard holding rows has sent its start
 * pass); each time all the refit's shards have answered a pass, their accumulators are merged in shard order and
 * the fitter ({@link ResumableFit}: R's start, steps and stop) either asks for the next pass, sent to the shards
 * through the feedback topic, or gives the result. One more pass then sums the diagnostics summary of the
 * window's rows on the shards ({@link SummarySums}: A/E by level and the Gini's steps at the result, A/E under the
 * previous window's model), merged here into the summary one operator would compute; the result and its summary
 * are written as the refit's output record (the same record as a window-local refit's), after which the shards
 * are told to release the window.
 */
public final class PassCoordinator extends KeyedProcessFunction<String, Partial, RefitOutput>
        implements CheckpointedFunction {
    private static final long serialVersionUID = 1L;
    /** Messages to the shards, written to the feedback topic. */
    public static final OutputTag<byte[]> FEEDBACK = new OutputTag<>("feedback",
            PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO);

    private final Refitter.Setup setup;
    private final WindowSpec window;
    private final long allowedLateness;
    private final String job;
    private final boolean cells;

    private transient Refitter refitter;
    private transient PendingRefits pending;
    /** The last window refit's model, for the next window's drift check (as the one-operator refit keeps it). */
    private transient ValueState<WindowSummary.PreviousModel> previousModel;
    private transient long restoredFrom;
    private transient long lastSnapshot;

    /** @param cells the shards keep cells: HC2 and HC3 are not available, and the result says so */
    public PassCoordinator(Refitter.Setup setup, WindowSpec window, long allowedLateness, String job,
                           boolean cells) {
        this.setup = setup;
        this.window = window;
        this.allowedLateness = allowedLateness;
        this.job = job;
        this.cells = cells;
    }

    /** A window has a refit in progress exactly when this state has an entry for it. */
    public static MapStateDescriptor<Long, byte[]> pendingDescriptor() {
        return PendingRefits.headersDescriptor();
    }

    String job() {
        return job;
    }

    @Override public void open(OpenContext openContext) {
        refitter = setup.open();
        pending = new PendingRefits(getRuntimeContext());
        previousModel = getRuntimeContext().getState(new ValueStateDescriptor<>("previous-model",
                RefitFunction.PREVIOUS_MODEL));
    }

    @Override public void initializeState(FunctionInitializationContext context) {
        restoredFrom = context.getRestoredCheckpointId().orElse(0);
        lastSnapshot = restoredFrom;
    }

    @Override public void snapshotState(FunctionSnapshotContext context) {
        lastSnapshot = context.getCheckpointId(); // messages sent from now on come after this checkpoint
    }

    private Feedback.Sender sender() {
        return new Feedback.Sender(restoredFrom, getRuntimeContext().getTaskInfo().getAttemptNumber(), lastSnapshot);
    }

    @Override public void processElement(Partial partial, Context ctx, Collector<RefitOutput> out) throws Exception {
        String model = ctx.getCurrentKey();
        PendingRefit refit = pending.get(model, partial.window());
        if (refit == null) {
            if (partial.iteration() != 0) {
                return; // a duplicate answer for a refit that has finished
            }
            refit = pending.start(model, partial.window());
            ctx.timerService().registerEventTimeTimer(closeTime(partial.window()));
        }
        if (!refit.receive(partial)) {
            return; // an answer read twice
        }
        pending.received(partial.window(), refit, partial);
        if (refit.complete()) {
            advance(ctx, partial.window(), refit, out);
        }
    }

    @Override public void onTimer(long timestamp, OnTimerContext ctx, Collector<RefitOutput> out) throws Exception {
        long end = timestamp + 1 - allowedLateness;
        PendingRefit refit = pending.get(ctx.getCurrentKey(), end);
        if (refit != null) {
            refit.start(System.currentTimeMillis());
            advance(ctx, end, refit, out);
        }
    }

    private long closeTime(long windowEnd) {
        return windowEnd - 1 + allowedLateness;
    }

    /**
     * The current pass is complete: ask for the next one; once the fit has converged, ask for the summary pass (in
     * window order: a window's drift check scores with the previous window's model); once that is in, write the
     * result and release the window.
     */
    private void advance(Context ctx, long end, PendingRefit refit, Collector<RefitOutput> out) throws Exception {
        refit.closePass();
        if (refit.summaryPass() >= 0) {
            List<byte[]> parts = refit.answers().get(refit.summaryPass());
            SummarySums sums = SummarySums.fromBytes(parts.get(0));
            for (int i = 1; i < parts.size(); i++) {
                sums = sums.merge(SummarySums.fromBytes(parts.get(i)));
            }
            GlmResult result = fitted(refit);
            finish(ctx, end, refit, result, sums.summary(refitter.design(), result, previousModel.value(),
                    refitter.exposureWeighted()), out);
            return;
        }
        ResumableFit.Step step = ResumableFit.step(refitter.model(), refitter.model().columnNames().size(),
                refit.fitAnswers());
        if (step instanceof ResumableFit.Pending next) {
            ctx.output(FEEDBACK, Feedback.pass(job, sender(), ctx.getCurrentKey(), end, refit.iteration(),
                    refit.shards(), PassCodec.encodeAny(next.pass())).encode());
            pending.update(end, refit);
            return;
        }
        if (pending.hasEarlier(end)) {
            refit.awaitSummary();
            pending.update(end, refit);
        } else {
            askSummary(ctx, end, refit, withCellsWarning(((ResumableFit.Done) step).result()), out);
        }
    }

    /**
     * The refit's converged fit, replayed from its answered passes (the fitter is a function of them): for a step
     * after the fit's own, when the result is no longer at hand.
     */
    private GlmResult fitted(PendingRefit refit) {
        return withCellsWarning(((ResumableFit.Done) ResumableFit.step(refitter.model(),
                refitter.model().columnNames().size(), refit.fitAnswers())).result());
    }

    /** A fit from the shards' cells says so, and that it has no HC2 or HC3. */
    private GlmResult withCellsWarning(GlmResult result) {
        if (cells) {
            List<String> warnings = new ArrayList<>(result.warnings());
            warnings.add("fitted from the shards' cells; " + Refitter.CELLS_WARNING);
            result = result.withWarnings(warnings);
        }
        return result;
    }

    /**
     * Asks the shards for the summary sums of a fitted window: its rows scored with the refit's model and with the
     * previous window's. A failed fit of a model's first window has neither, and its summary is empty at once.
     */
    private void askSummary(Context ctx, long end, PendingRefit refit, GlmResult result, Collector<RefitOutput> out)
            throws Exception {
        SummarySums.Request request = new SummarySums.Request(WindowSummary.PreviousModel.of("", result),
                previousModel.value());
        if (request.empty()) {
            finish(ctx, end, refit, result, new WindowSummary(null, Double.NaN, Double.NaN,
                    refitter.exposureWeighted(), null), out);
            return;
        }
        refit.askSummary();
        ctx.output(FEEDBACK, Feedback.summary(job, sender(), ctx.getCurrentKey(), end, refit.iteration(),
                refit.shards(), request.toBytes()).encode());
        pending.update(end, refit);
    }

    /**
     * Writes the refit's record, keeps its model for the next window's drift check (a failed fit keeps the one
     * before), releases the window, and starts the summary pass of the next window if it was waiting for this one.
     */
    private void finish(Context ctx, long end, PendingRefit refit, GlmResult result, WindowSummary summary,
                        Collector<RefitOutput> out) throws Exception {
        String model = ctx.getCurrentKey();
        long start = end - window.sizeMillis();
        String refitId = Refitter.windowRefitId(start, end);
        String json = refitter.record(model, refitId, window.kind().name().toLowerCase(Locale.ROOT), start, end,
                refit.rows(), "exact", result, closeTime(end), summary, null);
        out.collect(new RefitOutput(model, json, refit.triggeredAt()));
        WindowSummary.PreviousModel current = WindowSummary.PreviousModel.of(refitId, result);
        if (current != null) {
            previousModel.update(current);
        }
        ctx.output(FEEDBACK, Feedback.release(job, sender(), model, end, refit.shards()).encode());
        pending.remove(model, end, refit);
        Long next = pending.first();
        if (next != null) {
            PendingRefit waiting = pending.get(model, next);
            if (waiting.awaitingSummary()) {
                askSummary(ctx, next, waiting, fitted(waiting), out);
            }
        }
    }
}
