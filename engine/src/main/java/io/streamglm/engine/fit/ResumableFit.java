package io.streamglm.engine.fit;

import io.streamglm.engine.accumulate.InferenceAccumulator;
import io.streamglm.engine.accumulate.InferencePass;
import io.streamglm.engine.accumulate.IrlsAccumulator;
import io.streamglm.engine.accumulate.IrlsPass;
import io.streamglm.engine.accumulate.RowPasses;
import io.streamglm.engine.accumulate.ScalarSums;
import io.streamglm.engine.accumulate.ThetaPass;

import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * {@link GlmFitter} as a resumable computation, for a fit whose passes run elsewhere and answer later (shards that
 * receive the coefficients through a feedback topic): given the answers to the passes asked so far, {@link #step}
 * returns either the next pass to run or the finished result.
 *
 * <p>It re-runs the fitter from the start against the recorded answers, and stops at the first pass that has no
 * answer yet. The fitter is deterministic, so a re-run asks the same passes in the same order, and the fit keeps
 * R's exact start, steps and stop without being rewritten as a state machine. The cost is re-doing the small
 * p-by-p solves of the earlier steps at each step, which is negligible next to a pass over the rows.
 */
public final class ResumableFit {
    private ResumableFit() {
    }

    /** What to do next: run {@link Pending#pass} (an {@link IrlsPass}, {@link InferencePass} or {@link ThetaPass}), or done. */
    public sealed interface Step permits Pending, Done {
    }

    /** The pass with number {@code answers.size()} in the fit. */
    public record Pending(Object pass) implements Step {
    }

    public record Done(GlmResult result) implements Step {
    }

    /**
     * @param columns the design's column count p
     * @param answers one entry per pass answered so far, in order; each entry is the shards' partial accumulators
     *                as bytes ({@code toByteArray} of the pass's accumulator kind), merged here in list order
     */
    public static Step step(GlmModel model, int columns, List<List<byte[]>> answers) {
        try {
            return new Done(GlmFitter.fit(new RecordedPasses(columns, answers), model));
        } catch (PassNeeded needed) {
            return new Pending(needed.pass);
        }
    }

    /** Answers the fitter from the record; the first pass beyond it stops the fit. */
    private static final class RecordedPasses implements RowPasses {
        private final int columns;
        private final List<List<byte[]>> answers;
        private int next;

        RecordedPasses(int columns, List<List<byte[]>> answers) {
            this.columns = columns;
            this.answers = answers;
        }

        @Override public int columns() {
            return columns;
        }

        @Override public IrlsAccumulator irls(IrlsPass pass) {
            return answer(pass, IrlsAccumulator::heapify, IrlsAccumulator::merge);
        }

        @Override public InferenceAccumulator inference(InferencePass pass) {
            return answer(pass, InferenceAccumulator::heapify, InferenceAccumulator::merge);
        }

        @Override public ScalarSums theta(ThetaPass pass) {
            return answer(pass, ScalarSums::heapify, ScalarSums::merge);
        }

        private <A> A answer(Object pass, Function<byte[], A> read, BiConsumer<A, A> merge) {
            if (next == answers.size()) {
                throw new PassNeeded(pass);
            }
            List<byte[]> parts = answers.get(next++);
            if (parts.isEmpty()) {
                throw new IllegalArgumentException("pass " + next + " has no partial accumulators");
            }
            A total = read.apply(parts.get(0));
            for (int i = 1; i < parts.size(); i++) {
                merge.accept(total, read.apply(parts.get(i)));
            }
            return total;
        }
    }

    /** Unwinds the fitter at a pass without an answer; no stack trace, it is control flow, not an error. */
    private static final class PassNeeded extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final transient Object pass;

        PassNeeded(Object pass) {
            super(null, null, false, false);
            this.pass = pass;
        }
    }
}
