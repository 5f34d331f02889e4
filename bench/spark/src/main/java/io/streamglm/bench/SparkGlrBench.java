package io.streamglm.bench;

import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.feature.OneHotEncoder;
import org.apache.spark.ml.feature.StringIndexer;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.ml.regression.GeneralizedLinearRegression;
import org.apache.spark.ml.regression.GeneralizedLinearRegressionModel;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import java.util.Arrays;
import java.util.Locale;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.log;

/**
 * The Spark baseline of bench/fit.sh: IRLS GeneralizedLinearRegression (Poisson, log link, log(exposure) offset)
 * on local[2], features assembled once and cached; prints the median fit time of three fits.
 */
public final class SparkGlrBench {
    public static void main(String[] args) {
        String path = args[0];
        int repeats = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        SparkSession spark = SparkSession.builder().master("local[2]").appName("glr-bench")
                .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "2")
                .config("spark.driver.memory", "4g").getOrCreate();
        spark.sparkContext().setLogLevel("ERROR");
        long t0 = System.nanoTime();
        Dataset<Row> raw = spark.read().option("header", "true").option("inferSchema", "true").csv(path)
                .withColumn("offset", log(col("exposure")));
        String[] numeric = {"x1", "x2", "x3", "x4", "x5", "x6", "x7", "x8"};
        PipelineStage[] stages = {
                new StringIndexer().setInputCols(new String[]{"cat20", "cat50"})
                        .setOutputCols(new String[]{"cat20_i", "cat50_i"}).setStringOrderType("alphabetAsc"),
                new OneHotEncoder().setInputCols(new String[]{"cat20_i", "cat50_i"})
                        .setOutputCols(new String[]{"cat20_v", "cat50_v"}).setDropLast(true),
                new VectorAssembler().setInputCols(concat(numeric, "cat20_v", "cat50_v")).setOutputCol("features")};
        PipelineModel prep = new Pipeline().setStages(stages).fit(raw);
        Dataset<Row> data = prep.transform(raw).select("features", "claims", "offset").cache();
        long rows = data.count();
        double loadSeconds = (System.nanoTime() - t0) / 1e9;
        double[] fits = new double[repeats];
        GeneralizedLinearRegressionModel model = null;
        for (int r = 0; r < repeats; r++) {
            long s = System.nanoTime();
            model = new GeneralizedLinearRegression().setFamily("poisson").setLink("log").setLabelCol("claims")
                    .setOffsetCol("offset").setMaxIter(25).setTol(1e-8).setRegParam(0.0).fit(data);
            fits[r] = (System.nanoTime() - s) / 1e9;
        }
        Arrays.sort(fits);
        System.out.printf(Locale.ROOT, "spark rows=%d load=%.3f fit_median=%.3f iterations=%d intercept=%.6f deviance=%.4f%n",
                rows, loadSeconds, fits[repeats / 2], model.summary().numIterations(), model.intercept(),
                model.summary().deviance());
        spark.stop();
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
