package io.streamglm.bench;

import io.streamglm.engine.design.DesignComponent;
import io.streamglm.engine.design.DesignTerm;
import io.streamglm.engine.design.FactorComponent;
import io.streamglm.engine.design.NumericComponent;
import io.streamglm.engine.model.ModelFile;
import io.streamglm.engine.model.Scorer;
import io.streamglm.job.cli.UsageException;
import io.streamglm.job.sql.ModelRegistry;
import io.streamglm.job.sql.SqlSession;
import org.apache.flink.types.Row;
import org.apache.flink.util.CloseableIterator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * {@code Bench sql} (until issue 12 the hidden {@code streamglm bench-sql}): GLM_PREDICT's throughput as a ratio
 * to the same prediction written as a plain SQL expression (the linear predictor as sums of products and one CASE
 * per categorical, then the inverse link), measured in the same run over the same generated rows; a third query
 * that only reads the rows shows what the source costs. Queries alternate and each is timed several times;
 * medians are reported.
 */
@Command(name = "sql", mixinStandardHelpOptions = true,
        description = "Benchmark GLM_PREDICT against the same prediction as a plain SQL expression.")
public final class SqlBench implements java.util.concurrent.Callable<Integer> {
    @Option(names = "--model", required = true, description = "model file (linear and categorical terms, log link)")
    Path modelFile;

    @Option(names = "--rows", defaultValue = "2000000", description = "rows per query (default ${DEFAULT-VALUE})")
    long rows;

    @Option(names = "--repeats", defaultValue = "3", description = "timings per query (default ${DEFAULT-VALUE})")
    int repeats;

    @Override public Integer call() throws Exception {
        ModelFile.Model model = ModelFile.read(Files.readString(modelFile), modelFile.toString());
        if (!"log".equals(io.streamglm.engine.fit.GlmModel.resolveLink(model.spec()).name())) {
            throw new UsageException("--model: the benchmark writes the plain expression for a log link");
        }
        ModelRegistry.register("bench", modelFile.toString());
        List<String> columns = new Scorer(model).positionalColumns();
        try (SqlSession session = new SqlSession()) {
            session.execute("CREATE TEMPORARY TABLE seq_source (seq BIGINT) WITH ('connector' = 'datagen',"
                    + " 'fields.seq.kind' = 'sequence', 'fields.seq.start' = '1', 'fields.seq.end' = '" + rows + "',"
                    + " 'number-of-rows' = '" + rows + "', 'rows-per-second' = '1000000000000')"); // not 10,000/s
            session.execute("CREATE TEMPORARY VIEW v AS SELECT " + generatedColumns(model) + " FROM seq_source");
            String args = columns.stream().map(c -> "`" + c + "`").collect(Collectors.joining(", "));
            String udf = "SELECT SUM(GLM_PREDICT('bench', " + args + ")) FROM v";
            String plain = "SELECT SUM(EXP(" + linearPredictor(model) + ")) FROM v";
            String source = "SELECT SUM(" + columns.stream().map(c -> isCategorical(model, c)
                    ? "CHAR_LENGTH(`" + c + "`)" : "`" + c + "`").collect(Collectors.joining(" + ")) + ") FROM v";
            double[][] seconds = new double[3][repeats];
            double[] sums = new double[3];
            String[] queries = {udf, plain, source};
            run(session, udf); // warm-up: class loading and JIT of the function and the generated code
            for (int r = 0; r < repeats; r++) {
                for (int q = 0; q < 3; q++) {
                    long t0 = System.nanoTime();
                    sums[q] = run(session, queries[q]);
                    seconds[q][r] = (System.nanoTime() - t0) / 1e9;
                }
            }
            double udfS = median(seconds[0]);
            double plainS = median(seconds[1]);
            double sourceS = median(seconds[2]);
            System.out.printf(Locale.ROOT, "rows per query            %,d (%d columns: %s)%n", rows, columns.size(),
                    String.join(", ", columns));
            System.out.printf(Locale.ROOT, "GLM_PREDICT               %.2f s  %,.0f rows/s%n", udfS, rows / udfS);
            System.out.printf(Locale.ROOT, "plain SQL expression      %.2f s  %,.0f rows/s%n", plainS, rows / plainS);
            System.out.printf(Locale.ROOT, "source only               %.2f s  %,.0f rows/s%n", sourceS, rows / sourceS);
            System.out.printf(Locale.ROOT, "throughput ratio GLM_PREDICT / plain: %.2f (target >= 0.8)%n",
                    plainS / udfS);
            System.out.printf(Locale.ROOT, "sums agree: %s (%.10g vs %.10g)%n",
                    Math.abs(sums[0] - sums[1]) <= 1e-9 * Math.abs(sums[1]), sums[0], sums[1]);
        }
        return 0;
    }

    private static double run(SqlSession session, String sql) throws Exception {
        try (CloseableIterator<Row> it = session.execute(sql).collect()) {
            Object v = it.next().getField(0);
            return v == null ? Double.NaN : ((Number) v).doubleValue();
        }
    }

    /** Deterministic columns from the sequence: numbers in [-1, 1], exposures in (0.2, 1], levels in turn. */
    private static String generatedColumns(ModelFile.Model model) {
        List<String> out = new ArrayList<>();
        int prime = 0;
        int[] primes = {7919, 104729, 1299709, 15485863, 179424673, 2038074743, 3571, 7907, 6163, 5839, 4993, 3217};
        Set<String> exposureLike = Set.of(String.valueOf(model.spec().exposure()), String.valueOf(model.spec().offset()));
        for (String c : new Scorer(model).positionalColumns()) {
            long p = primes[prime++ % primes.length];
            FactorComponent f = factor(model, c);
            if (f != null) {
                String levels = f.levels().stream().map(l -> "'" + l.replace("'", "''") + "'")
                        .collect(Collectors.joining(", "));
                out.add("ELT(CAST(MOD(seq * " + p + ", " + f.levels().size() + ") AS INT) + 1, " + levels + ") AS `" + c
                        + "`");
            } else if (exposureLike.contains(c)) {
                out.add("CAST(MOD(seq * " + p + ", 800) + 201 AS DOUBLE) / 1000.0 AS `" + c + "`");
            } else {
                out.add("CAST(MOD(seq * " + p + ", 2001) - 1000 AS DOUBLE) / 1000.0 AS `" + c + "`");
            }
        }
        return String.join(", ", out);
    }

    /** The linear predictor as SQL: intercept, b * x per numeric column, one CASE per categorical, the offset. */
    private static String linearPredictor(ModelFile.Model model) {
        double[] beta = model.coefficients();
        List<String> parts = new ArrayList<>();
        if (model.design().intercept()) {
            parts.add(literal(beta[0]));
        }
        for (DesignTerm t : model.design().terms()) {
            if (t.components().size() != 1) {
                throw new UsageException("--model: the benchmark writes linear and categorical terms only");
            }
            DesignComponent c = t.components().get(0);
            if (c instanceof NumericComponent n) {
                parts.add(literal(beta[t.firstColumn()]) + " * `" + n.column() + "`");
            } else if (c instanceof FactorComponent f) {
                StringBuilder s = new StringBuilder("CASE `" + f.column() + "`");
                for (int level = 0; level < f.levels().size(); level++) {
                    int local = f.localIndex(level);
                    if (local >= 0) {
                        s.append(" WHEN '").append(f.levels().get(level).replace("'", "''")).append("' THEN ")
                                .append(literal(beta[t.firstColumn() + local]));
                    }
                }
                parts.add(s.append(" ELSE 0 END").toString());
            } else {
                throw new UsageException("--model: the benchmark writes linear and categorical terms only");
            }
        }
        if (model.spec().exposure() != null) {
            parts.add("LN(`" + model.spec().exposure() + "`)");
        }
        if (model.spec().offset() != null) {
            parts.add("`" + model.spec().offset() + "`");
        }
        return String.join(" + ", parts);
    }

    private static String literal(double v) {
        return "CAST(" + v + " AS DOUBLE)";
    }

    private static FactorComponent factor(ModelFile.Model model, String column) {
        for (DesignTerm t : model.design().terms()) {
            for (DesignComponent c : t.components()) {
                if (c instanceof FactorComponent f && f.column().equals(column)) {
                    return f;
                }
            }
        }
        return null;
    }

    private static boolean isCategorical(ModelFile.Model model, String column) {
        return factor(model, column) != null;
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }
}
