package io.streamglm.engine.accumulate;

import io.streamglm.engine.design.DesignMatrix;
import io.streamglm.engine.family.Poisson;
import io.streamglm.engine.link.LogLink;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Test;

import java.util.concurrent.ForkJoinPool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** merge(a, b) equals accumulating a then b; byte round trips; results independent of thread count. */
class AccumulatorPropertiesTest {
    private static final double RELATIVE = 1e-12;

    private static IrlsPass pass(long seed) {
        return new IrlsPass(Poisson.INSTANCE, LogLink.INSTANCE, Point.coefficients(RandomRows.beta(seed)), false);
    }

    @RepeatedTest(25)
    void mergeOfPartsEqualsAccumulatingInSequence(RepetitionInfo info) {
        long seed = info.getCurrentRepetition();
        DesignMatrix m = RandomRows.poissonRows(seed, 500 + (int) seed * 37);
        int cut = (int) (seed * 13 % m.rows());
        IrlsPass pass = pass(seed);

        IrlsAccumulator sequential = new IrlsAccumulator(m.columns(), m.denseColumns());
        PassKernels.irls(m, 0, m.rows(), pass, sequential);
        IrlsAccumulator a = new IrlsAccumulator(m.columns(), m.denseColumns());
        PassKernels.irls(m, 0, cut, pass, a);
        IrlsAccumulator b = new IrlsAccumulator(m.columns(), m.denseColumns());
        PassKernels.irls(m, cut, m.rows(), pass, b);
        a.merge(b);

        assertClose(a.xtwxPacked(), sequential.xtwxPacked());
        assertClose(a.xtwz(), sequential.xtwz());
        assertThat(a.deviance()).isCloseTo(sequential.deviance(), org.assertj.core.api.Assertions.withinPercentage(RELATIVE * 100));
        assertThat(a.rows()).isEqualTo(sequential.rows());
        assertThat(a.goodRows()).isEqualTo(sequential.goodRows());
        assertThat(a.activeRows()).isEqualTo(sequential.activeRows());
    }

    @RepeatedTest(10)
    void inferenceMergeEqualsSequential(RepetitionInfo info) {
        long seed = 100 + info.getCurrentRepetition();
        DesignMatrix m = RandomRows.poissonRows(seed, 400);
        double[] cov = new double[m.columns() * m.columns()];
        for (int j = 0; j < m.columns(); j++) {
            cov[j * m.columns() + j] = 1e-4; // small enough that every leverage stays below 1
        }
        InferencePass pass = new InferencePass(Poisson.INSTANCE, LogLink.INSTANCE, RandomRows.beta(seed),
                Point.coefficients(RandomRows.beta(seed + 1)), cov, 10, 100, 1.5);
        InferenceAccumulator sequential = new InferenceAccumulator(m.columns(), m.denseColumns());
        PassKernels.inference(m, 0, m.rows(), pass, sequential);
        InferenceAccumulator a = new InferenceAccumulator(m.columns(), m.denseColumns());
        PassKernels.inference(m, 0, 123, pass, a);
        InferenceAccumulator b = new InferenceAccumulator(m.columns(), m.denseColumns());
        PassKernels.inference(m, 123, m.rows(), pass, b);
        a.merge(b);
        assertClose(a.meatHc0Packed(), sequential.meatHc0Packed());
        assertClose(a.meatHc3Packed(), sequential.meatHc3Packed());
        // Accumulators of different layouts (e.g. one read back from bytes) merge to the same value.
        InferenceAccumulator c = InferenceAccumulator.heapify(a.toByteArray());
        InferenceAccumulator e = new InferenceAccumulator(m.columns(), m.denseColumns());
        e.merge(c);
        assertClose(e.meatHc2Packed(), sequential.meatHc2Packed());
        assertClose(new double[]{a.pearson(), a.dispersionSum(), a.aicTerms(), a.nullDeviance()},
                new double[]{sequential.pearson(), sequential.dispersionSum(), sequential.aicTerms(), sequential.nullDeviance()});
    }

    @RepeatedTest(10)
    void bytesRoundTripExactly(RepetitionInfo info) {
        DesignMatrix m = RandomRows.poissonRows(info.getCurrentRepetition(), 300);
        IrlsAccumulator acc = new IrlsAccumulator(m.columns(), m.denseColumns());
        PassKernels.irls(m, 0, m.rows(), pass(info.getCurrentRepetition()), acc);
        assertThat(IrlsAccumulator.heapify(acc.toByteArray())).isEqualTo(acc);
        assertThat(IrlsAccumulator.heapify(acc.toByteArray()).toByteArray()).isEqualTo(acc.toByteArray());

        InferenceAccumulator inf = new InferenceAccumulator(m.columns(), m.denseColumns());
        double[] cov = new double[m.columns() * m.columns()];
        PassKernels.inference(m, 0, m.rows(), new InferencePass(Poisson.INSTANCE, LogLink.INSTANCE,
                RandomRows.beta(3), Point.MU_START, cov, 1, 1, null), inf);
        assertThat(InferenceAccumulator.heapify(inf.toByteArray())).isEqualTo(inf);

        ScalarSums s = new ScalarSums(2);
        s.add(0, 1.25);
        s.add(1, -3.5);
        s.countRow();
        assertThat(ScalarSums.heapify(s.toByteArray())).isEqualTo(s);
    }

    @Test
    void inMemoryPassesAreBitIdenticalWhateverTheThreads() {
        DesignMatrix m = RandomRows.poissonRows(7, 3 * InMemoryPasses.CHUNK_ROWS + 1234);
        IrlsPass pass = pass(7);
        byte[] single = new InMemoryPasses(m, null).irls(pass).toByteArray();
        ForkJoinPool pool = new ForkJoinPool(4);
        try {
            byte[] parallel = new InMemoryPasses(m, pool).irls(pass).toByteArray();
            assertThat(parallel).isEqualTo(single);
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void rejectsBytesOfAnotherKindOrANewerVersion() {
        byte[] bytes = new IrlsAccumulator(2).toByteArray();
        bytes[4] = 9;
        assertThatThrownBy(() -> IrlsAccumulator.heapify(bytes)).hasMessageContaining("serial version 9")
                .hasMessageContaining("upgrade");
        assertThatThrownBy(() -> IrlsAccumulator.heapify(new ScalarSums(1).toByteArray())).hasMessageContaining("magic");
        assertThatThrownBy(() -> new IrlsAccumulator(2).merge(new IrlsAccumulator(3))).hasMessageContaining("merge");
    }

    static void assertClose(double[] actual, double[] expected) {
        assertThat(actual).hasSameSizeAs(expected);
        double scale = 0;
        for (double e : expected) {
            scale = Math.max(scale, Math.abs(e));
        }
        for (int i = 0; i < expected.length; i++) {
            assertThat(Math.abs(actual[i] - expected[i])).as("element %d", i)
                    .isLessThanOrEqualTo(RELATIVE * Math.max(Math.abs(expected[i]), 1e-3 * scale));
        }
    }
}
