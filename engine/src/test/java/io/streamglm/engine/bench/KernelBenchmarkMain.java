package io.streamglm.engine.bench;

import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.OptionsBuilder;

import java.util.Collection;
import java.util.Locale;

/**
 * Runs {@link KernelBenchmark} and reports the kernel's rows/s, GFLOP/s and GB/s beside the probe's bandwidth,
 * both measured in the same run. Run by {@code bench/fit.sh --jmh}.
 */
public final class KernelBenchmarkMain {
    private KernelBenchmarkMain() {
    }

    public static void main(String[] args) throws RunnerException {
        Collection<RunResult> results = new Runner(new OptionsBuilder()
                .include(KernelBenchmark.class.getName()).include(SparsityBenchmark.class.getName()).build()).run();
        double passMs = Double.NaN;
        double probeMs = Double.NaN;
        double denseMs = Double.NaN;
        double sparseMs = Double.NaN;
        for (RunResult r : results) {
            double score = r.getPrimaryResult().getScore();
            String name = r.getParams().getBenchmark();
            if (name.endsWith("irlsPass")) {
                passMs = score;
            } else if (name.endsWith("memoryBandwidth")) {
                probeMs = score;
            } else if ("dense".equals(r.getParams().getParam("design"))) {
                denseMs = score;
            } else {
                sparseMs = score;
            }
        }
        int d = KernelBenchmark.DENSE;
        int k = 2; // non-base categorical entries a row, at most
        // Multiply-adds a row: dense block, cross block, sparse block, X'Wz, and eta; two flops each.
        double flopsPerRow = 2.0 * (d * (d + 1) / 2.0 + d * k + k * (k + 1) / 2.0 + (d + k) + (d + k));
        double bytesPerRow = 8.0 * d + 12.0 * k + 4 + 8 + 8; // dense, sparse (index + value), count, y, offset
        double rowsPerSecond = KernelBenchmark.ROWS / (passMs / 1e3);
        double probeGbPerSecond = KernelBenchmark.PROBE_DOUBLES * 8.0 / (probeMs / 1e3) / 1e9;
        double kernelGbPerSecond = rowsPerSecond * bytesPerRow / 1e9;
        System.out.printf(Locale.ROOT, "%nkernel: one IRLS pass over %d rows x %d columns on one thread: %.1f ms%n",
                KernelBenchmark.ROWS, KernelBenchmark.P, passMs);
        System.out.printf(Locale.ROOT, "  %.1f M rows/s, %.2f GFLOP/s, %.2f GB/s of design data%n",
                rowsPerSecond / 1e6, rowsPerSecond * flopsPerRow / 1e9, kernelGbPerSecond);
        System.out.printf(Locale.ROOT, "memory bandwidth probe (same JVM): %.2f GB/s; the kernel streams its data at"
                + " %.0f%% of it%n", probeGbPerSecond, 100 * kernelGbPerSecond / probeGbPerSecond);
        System.out.printf(Locale.ROOT, "sparsity: %d rows, 8 dense columns %.1f ns/row; with a 100-level categorical and a"
                + " 10-df B-spline (+108 columns) %.1f ns/row: ratio %.2f%n", SparsityBenchmark.ROWS,
                denseMs * 1e6 / SparsityBenchmark.ROWS, sparseMs * 1e6 / SparsityBenchmark.ROWS, sparseMs / denseMs);
    }
}
