package io.streamglm.engine.accumulate;

import io.streamglm.engine.design.DesignMatrix;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.function.Function;

/**
 * Passes over a {@link DesignMatrix} in memory. Rows are cut into fixed chunks (independent of the number of
 * threads), chunks are accumulated in parallel and merged in chunk order, so results are bit-identical whatever
 * the parallelism.
 */
public final class InMemoryPasses implements RowPasses {
    /** Rows per chunk: large enough to amortise the accumulator, small enough to balance two cores. */
    public static final int CHUNK_ROWS = 1 << 15;

    private final DesignMatrix matrix;
    private final ForkJoinPool pool;

    /** @param pool where chunks run; null to run them on the calling thread */
    public InMemoryPasses(DesignMatrix matrix, ForkJoinPool pool) {
        this.matrix = matrix;
        this.pool = pool;
    }

    public DesignMatrix matrix() {
        return matrix;
    }

    @Override public int columns() {
        return matrix.columns();
    }

    @Override public IrlsAccumulator irls(IrlsPass pass) {
        return run(range -> irls(matrix, range[0], range[1], pass), IrlsAccumulator::merge);
    }

    @Override public InferenceAccumulator inference(InferencePass pass) {
        return run(range -> inference(matrix, range[0], range[1], pass), InferenceAccumulator::merge);
    }

    @Override public ScalarSums theta(ThetaPass pass) {
        return run(range -> theta(matrix, range[0], range[1], pass), ScalarSums::merge);
    }

    /**
     * One chunk's IRLS accumulator over rows [from, to): the unit that in-memory and distributed passes both
     * merge in chunk order, so that they give the same sums.
     */
    public static IrlsAccumulator irls(DesignMatrix matrix, int from, int to, IrlsPass pass) {
        int p = pass.interceptOnly() ? 1 : matrix.columns();
        int[] dense = pass.interceptOnly() ? new int[]{0} : matrix.denseColumns();
        IrlsAccumulator acc = new IrlsAccumulator(p, dense);
        PassKernels.irls(matrix, from, to, pass, acc);
        return acc;
    }

    /** One chunk's inference accumulator over rows [from, to). */
    public static InferenceAccumulator inference(DesignMatrix matrix, int from, int to, InferencePass pass) {
        InferenceAccumulator acc = new InferenceAccumulator(matrix.columns(), matrix.denseColumns());
        PassKernels.inference(matrix, from, to, pass, acc);
        return acc;
    }

    /** One chunk's theta sums over rows [from, to). */
    public static ScalarSums theta(DesignMatrix matrix, int from, int to, ThetaPass pass) {
        ScalarSums acc = new ScalarSums(pass.kind() == ThetaPass.Kind.SCORE_INFO ? 2 : 1);
        PassKernels.theta(matrix, from, to, pass, acc);
        return acc;
    }

    private <A> A run(Function<int[], A> chunkWork, Merger<A> merger) {
        int n = matrix.rows();
        int chunks = Math.max(1, (n + CHUNK_ROWS - 1) / CHUNK_ROWS);
        if (chunks == 1 || pool == null) {
            A total = chunkWork.apply(new int[]{0, Math.min(n, CHUNK_ROWS)});
            for (int c = 1; c < chunks; c++) {
                merger.merge(total, chunkWork.apply(new int[]{c * CHUNK_ROWS, Math.min(n, (c + 1) * CHUNK_ROWS)}));
            }
            return total;
        }
        List<ForkJoinTask<A>> tasks = new ArrayList<>(chunks);
        for (int c = 0; c < chunks; c++) {
            int[] range = {c * CHUNK_ROWS, Math.min(n, (c + 1) * CHUNK_ROWS)};
            tasks.add(pool.submit(() -> chunkWork.apply(range)));
        }
        A total = tasks.get(0).join();
        for (int c = 1; c < chunks; c++) {
            merger.merge(total, tasks.get(c).join());
        }
        return total;
    }

    @FunctionalInterface
    private interface Merger<A> {
        void merge(A into, A other);
    }
}
