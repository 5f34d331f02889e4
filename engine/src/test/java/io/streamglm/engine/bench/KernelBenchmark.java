package io.streamglm.engine.bench;

import io.streamglm.engine.accumulate.IrlsAccumulator;
import io.streamglm.engine.accumulate.IrlsPass;
import io.streamglm.engine.accumulate.PassKernels;
import io.streamglm.engine.accumulate.Point;
import io.streamglm.engine.design.DesignMatrix;
import io.streamglm.engine.family.Poisson;
import io.streamglm.engine.link.LogLink;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * One IRLS accumulation pass on one thread over the benchmark design (1 + 8 dense columns, categoricals of 20
 * and 50 levels: 77 columns, 11 non-zeros a row), next to a probe of the memory bandwidth the same JVM gets
 * from summing a large array. {@link KernelBenchmarkMain} turns the times into rows/s, GFLOP/s and GB/s.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgs = {"-Xmx3g", "-XX:+UseParallelGC"})
public class KernelBenchmark {
    public static final int ROWS = 1_000_000;
    public static final int DENSE = 9;
    public static final int LEVELS_A = 20;
    public static final int LEVELS_B = 50;
    public static final int P = DENSE + LEVELS_A - 1 + LEVELS_B - 1;
    /** Doubles summed by the bandwidth probe (512 MB, far beyond the caches). */
    public static final int PROBE_DOUBLES = 64 << 20;

    private DesignMatrix matrix;
    private IrlsPass pass;
    private double[] probe;

    @Setup
    public void setUp() {
        matrix = design(ROWS, 1);
        double[] beta = new double[P];
        SplittableRandom r = new SplittableRandom(2);
        for (int j = 0; j < P; j++) {
            beta[j] = r.nextDouble(-0.1, 0.1);
        }
        pass = new IrlsPass(Poisson.INSTANCE, LogLink.INSTANCE, Point.coefficients(beta), false);
        probe = new double[PROBE_DOUBLES];
        for (int i = 0; i < probe.length; i++) {
            probe[i] = i;
        }
    }

    /** The accumulation kernel: eta, mu, deviance, working weights and X'WX / X'Wz for every row. */
    @Benchmark
    public IrlsAccumulator irlsPass() {
        IrlsAccumulator acc = new IrlsAccumulator(P, matrix.denseColumns());
        PassKernels.irls(matrix, 0, ROWS, pass, acc);
        acc.xtwxPacked();
        return acc;
    }

    /** Memory bandwidth probe: a streaming sum with four partial sums. */
    @Benchmark
    public double memoryBandwidth() {
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        double[] a = probe;
        for (int i = 0; i < a.length; i += 4) {
            s0 += a[i];
            s1 += a[i + 1];
            s2 += a[i + 2];
            s3 += a[i + 3];
        }
        return s0 + s1 + s2 + s3;
    }

    static DesignMatrix design(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] dense = new double[n * DENSE];
        int[] idx = new int[n * 2];
        double[] val = new double[n * 2];
        int[] nnz = new int[n];
        double[] y = new double[n];
        double[] off = new double[n];
        for (int i = 0; i < n; i++) {
            dense[i] = 1;
            for (int a = 1; a < DENSE; a++) {
                dense[a * n + i] = r.nextGaussian();
            }
            int k = 0;
            int la = r.nextInt(LEVELS_A);
            if (la > 0) {
                idx[2 * i + k] = DENSE + la - 1;
                val[2 * i + k++] = 1;
            }
            int lb = r.nextInt(LEVELS_B);
            if (lb > 0) {
                idx[2 * i + k] = DENSE + LEVELS_A - 1 + lb - 1;
                val[2 * i + k++] = 1;
            }
            nnz[i] = k;
            y[i] = r.nextInt(3);
            off[i] = Math.log(0.1 + 0.9 * r.nextDouble());
        }
        int[] denseColumns = new int[DENSE];
        List<String> names = new ArrayList<>();
        for (int j = 0; j < P; j++) {
            names.add("c" + j);
            if (j < DENSE) {
                denseColumns[j] = j;
            }
        }
        return new DesignMatrix(names, n, denseColumns, dense, 2, idx, val, nnz, y, null, off);
    }
}
