package io.streamglm.engine.bench;

import io.streamglm.engine.accumulate.IrlsAccumulator;
import io.streamglm.engine.accumulate.IrlsPass;
import io.streamglm.engine.accumulate.PassKernels;
import io.streamglm.engine.accumulate.Point;
import io.streamglm.engine.data.CategoricalColumn;
import io.streamglm.engine.data.DataTable;
import io.streamglm.engine.design.DesignBuilder;
import io.streamglm.engine.design.DesignMatrix;
import io.streamglm.engine.design.FittedDesign;
import io.streamglm.engine.family.Poisson;
import io.streamglm.engine.link.LogLink;
import io.streamglm.engine.spec.SpecParser;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * The cost per row of one accumulation pass for 8 dense numeric columns alone, and with a 100-level categorical
 * and a 10-df B-spline added (design built by the real spec and encoder): the categorical and spline stay sparse,
 * so the second should cost close to the first. {@link KernelBenchmarkMain} prints the ratio.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgs = {"-Xmx3g", "-XX:+UseParallelGC"})
public class SparsityBenchmark {
    public static final int ROWS = 500_000;

    @Param({"dense", "dense+categorical100+bs10"})
    public String design;

    private DesignMatrix matrix;
    private IrlsPass pass;

    @Setup
    public void setUp() {
        DataTable data = table(ROWS);
        StringBuilder terms = new StringBuilder();
        for (int j = 1; j <= 8; j++) {
            terms.append(j == 1 ? "" : ", ").append("\"x").append(j).append("\": {\"type\": \"linear\"}");
        }
        if (!design.equals("dense")) {
            terms.append(", \"level\": {\"type\": \"categorical\"}, \"age\": {\"type\": \"bs\", \"df\": 10}");
        }
        var spec = SpecParser.parse("{\"response\": \"y\", \"family\": \"poisson\", \"terms\": {" + terms + "}}", null);
        FittedDesign fitted = DesignBuilder.fit(spec, data, new ArrayList<>());
        matrix = DesignMatrix.encode(fitted, data, data.numeric("y"), null, null);
        double[] beta = new double[fitted.columns()];
        pass = new IrlsPass(Poisson.INSTANCE, LogLink.INSTANCE, Point.coefficients(beta), false);
    }

    @Benchmark
    public IrlsAccumulator pass() {
        IrlsAccumulator acc = new IrlsAccumulator(matrix.columns(), matrix.denseColumns());
        PassKernels.irls(matrix, 0, matrix.rows(), pass, acc);
        acc.xtwxPacked();
        return acc;
    }

    static DataTable table(int n) {
        SplittableRandom r = new SplittableRandom(5);
        Map<String, double[]> numeric = new LinkedHashMap<>();
        for (int j = 1; j <= 8; j++) {
            double[] x = new double[n];
            for (int i = 0; i < n; i++) {
                x[i] = r.nextGaussian();
            }
            numeric.put("x" + j, x);
        }
        double[] age = new double[n];
        double[] y = new double[n];
        int[] level = new int[n];
        for (int i = 0; i < n; i++) {
            age[i] = r.nextDouble(18, 90);
            y[i] = r.nextInt(3);
            level[i] = r.nextInt(100);
        }
        numeric.put("age", age);
        numeric.put("y", y);
        List<String> levels = new ArrayList<>();
        for (int k = 0; k < 100; k++) {
            levels.add(String.format("l%03d", k));
        }
        Map<String, CategoricalColumn> cats = new LinkedHashMap<>();
        cats.put("level", new CategoricalColumn(level, levels));
        List<String> all = new ArrayList<>(numeric.keySet());
        all.add("level");
        return new DataTable("bench", n, numeric, cats, all);
    }
}
