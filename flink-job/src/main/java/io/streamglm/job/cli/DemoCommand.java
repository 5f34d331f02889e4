package io.streamglm.job.cli;

import io.streamglm.engine.data.DataTable;
import io.streamglm.engine.fit.Coefficient;
import io.streamglm.engine.fit.Fitting;
import io.streamglm.engine.spec.ModelSpec;
import io.streamglm.engine.spec.SpecParser;
import io.streamglm.job.synthetic.SyntheticClaims;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ForkJoinPool;

/**
 * {@code streamglm demo}: until the streaming job lands, draws the synthetic claims data with known true
 * coefficients, fits the Poisson frequency model and prints the estimates beside the truth.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Fit synthetic claims with known true coefficients and compare the estimates with the truth.")
public final class DemoCommand implements Callable<Integer> {
    @Option(names = "--max-events", defaultValue = "200000", description = "rows to generate (default ${DEFAULT-VALUE})")
    int rows;

    @Option(names = "--seed", defaultValue = "7", description = "random seed (default ${DEFAULT-VALUE})")
    long seed;

    @Override public Integer call() {
        long start = System.nanoTime();
        DataTable table = SyntheticClaims.table(rows, seed);
        ModelSpec spec = SpecParser.parse(SyntheticClaims.poissonSpec(), "demo spec");
        ForkJoinPool pool = ForkJoinPool.commonPool();
        Fitting.Output out = Fitting.fit(spec, table, pool);
        double seconds = (System.nanoTime() - start) / 1e9;
        Map<String, Double> truth = SyntheticClaims.poissonTruth();
        System.out.printf(Locale.ROOT, "Poisson claim frequency, %d synthetic rows, %d design columns, %.2f s%n%n",
                rows, out.design().columns(), seconds);
        System.out.printf(Locale.ROOT, "%-16s %10s %10s %10s %8s%n", "coefficient", "truth", "estimate", "std.error", "z");
        int within = 0;
        for (Coefficient c : out.result().coefficients()) {
            double t = truth.get(c.name());
            double z = (c.estimate() - t) / c.stdError();
            within += Math.abs(z) < 1.96 ? 1 : 0;
            System.out.printf(Locale.ROOT, "%-16s %10.4f %10.4f %10.4f %8.2f%n", c.name(), t, c.estimate(), c.stdError(), z);
        }
        System.out.printf(Locale.ROOT, "%n%d of %d true coefficients lie inside the 95%% confidence interval;"
                + " deviance %.2f on %d df, status %s%n", within, out.result().coefficients().size(),
                out.result().deviance(), out.result().dfResidual(), out.result().status().specName());
        return 0;
    }
}
