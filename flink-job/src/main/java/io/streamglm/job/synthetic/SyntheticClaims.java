package io.streamglm.job.synthetic;

import io.streamglm.connectors.record.ParsedRecord;
import io.streamglm.engine.data.CategoricalColumn;
import io.streamglm.engine.data.DataTable;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.random.RandomGenerator;

/**
 * The benchmark and demo data set: 8 standard-normal columns, categoricals with 20 and 50 levels, an exposure,
 * a Poisson claim count (log link, log(exposure) offset) and a Gamma claim amount (log link, shape 2), drawn
 * from fixed true coefficients and a seed. With an intercept the design has 1 + 8 + 19 + 49 = 77 columns.
 */
public final class SyntheticClaims {
    public static final int NUMERIC = 8;
    public static final int LEVELS_A = 20;
    public static final int LEVELS_B = 50;
    public static final double GAMMA_SHAPE = 2.0;
    /** The Poisson model's raw numbers per row: x1..x8, exposure, claims and the two levels as 8-byte values. */
    public static final int RAW_POISSON_BYTES_PER_ROW = 8 * (NUMERIC + 4);
    static final double POISSON_INTERCEPT = -1.0;
    static final double GAMMA_INTERCEPT = 7.0;
    static final double[] SLOPES = {0.1, -0.2, 0.15, 0.05, -0.1, 0.3, -0.05, 0.2};

    private SyntheticClaims() {
    }

    public static String levelA(int k) {
        return String.format("a%02d", k + 1);
    }

    public static String levelB(int k) {
        return String.format("b%02d", k + 1);
    }

    /** Effect of level k (0-based) of the 20-level categorical; level 0 is the base. */
    static double effectA(int k) {
        return k == 0 ? 0.0 : 0.25 * Math.sin(1.7 * k);
    }

    static double effectB(int k) {
        return k == 0 ? 0.0 : 0.2 * Math.cos(0.9 * k) - 0.2 * Math.cos(0.0);
    }

    /** The true Poisson (claims) coefficients by design column name. */
    public static Map<String, Double> poissonTruth() {
        return truth(POISSON_INTERCEPT, 1.0);
    }

    /** The true Gamma (amount) coefficients by design column name. */
    public static Map<String, Double> gammaTruth() {
        return truth(GAMMA_INTERCEPT, 0.5);
    }

    private static Map<String, Double> truth(double intercept, double scale) {
        Map<String, Double> t = new LinkedHashMap<>();
        t.put("Intercept", intercept);
        for (int j = 0; j < NUMERIC; j++) {
            t.put("x" + (j + 1), SLOPES[j] * scale);
        }
        for (int k = 1; k < LEVELS_A; k++) {
            t.put("cat20[T." + levelA(k) + "]", effectA(k) * scale);
        }
        for (int k = 1; k < LEVELS_B; k++) {
            t.put("cat50[T." + levelB(k) + "]", effectB(k) * scale);
        }
        return t;
    }

    /** Spec JSON for the Poisson claim-frequency model. */
    public static String poissonSpec() {
        return spec("claims", "poisson", "\"exposure\": \"exposure\",");
    }

    /** The Poisson spec with both categoricals' levels declared, so a stream can freeze its design from it. */
    public static String poissonSpecWithLevels() {
        StringBuilder a = new StringBuilder();
        for (int k = 0; k < LEVELS_A; k++) {
            a.append(k == 0 ? "" : ", ").append('"').append(levelA(k)).append('"');
        }
        StringBuilder b = new StringBuilder();
        for (int k = 0; k < LEVELS_B; k++) {
            b.append(k == 0 ? "" : ", ").append('"').append(levelB(k)).append('"');
        }
        return poissonSpec()
                .replace("\"cat20\": {\"type\": \"categorical\"}", "\"cat20\": {\"type\": \"categorical\", \"levels\": [" + a + "]}")
                .replace("\"cat50\": {\"type\": \"categorical\"}", "\"cat50\": {\"type\": \"categorical\", \"levels\": [" + b + "]}");
    }

    /** Spec JSON for the Gamma claim-amount model. */
    public static String gammaSpec() {
        return spec("amount", "gamma", "\"link\": \"log\",");
    }

    private static String spec(String response, String family, String extra) {
        StringBuilder sb = new StringBuilder();
        sb.append("{\n  \"response\": \"").append(response).append("\",\n  \"family\": \"").append(family)
                .append("\",\n  ").append(extra).append("\n  \"terms\": {\n");
        for (int j = 1; j <= NUMERIC; j++) {
            sb.append("    \"x").append(j).append("\": {\"type\": \"linear\"},\n");
        }
        sb.append("    \"cat20\": {\"type\": \"categorical\"},\n    \"cat50\": {\"type\": \"categorical\"}\n  }\n}\n");
        return sb.toString();
    }

    /** One generated row. */
    public record Row(double[] x, int a, int b, double exposure, int claims, double amount) {
        /** The row as a parsed stream record of the Poisson model's fields. */
        public ParsedRecord toRecord(long eventTime) {
            Map<String, Double> numbers = new HashMap<>();
            for (int j = 0; j < x.length; j++) {
                numbers.put("x" + (j + 1), x[j]);
            }
            numbers.put("exposure", exposure);
            numbers.put("claims", (double) claims);
            return new ParsedRecord(eventTime, "", numbers, Map.of("cat20", levelA(a), "cat50", levelB(b)));
        }
    }

    /** Draws rows one by one from a seed. */
    public static final class Generator {
        private final Random random;

        public Generator(long seed) {
            this.random = new Random(seed);
        }

        public Row next() {
            double[] x = new double[NUMERIC];
            double etaP = POISSON_INTERCEPT;
            double etaG = GAMMA_INTERCEPT;
            for (int j = 0; j < NUMERIC; j++) {
                x[j] = Math.rint(random.nextGaussian() * 1e4) / 1e4;
                etaP += SLOPES[j] * x[j];
                etaG += 0.5 * SLOPES[j] * x[j];
            }
            int a = random.nextInt(LEVELS_A);
            int b = random.nextInt(LEVELS_B);
            etaP += effectA(a) + effectB(b);
            etaG += 0.5 * (effectA(a) + effectB(b));
            double exposure = Math.rint((0.1 + 0.9 * random.nextDouble()) * 1e3) / 1e3;
            int claims = poisson(random, exposure * Math.exp(etaP));
            double mean = Math.exp(etaG);
            double amount = -(mean / GAMMA_SHAPE) * (Math.log(1 - random.nextDouble()) + Math.log(1 - random.nextDouble()));
            amount = Math.max(0.01, Math.rint(amount * 100) / 100);
            return new Row(x, a, b, exposure, claims, amount);
        }
    }

    /**
     * A Poisson count of mean lambda by Knuth's product of uniforms: exact and simple for the small means of
     * synthetic data; the stream tests draw their counts with it too.
     */
    public static int poisson(RandomGenerator random, double lambda) {
        double l = Math.exp(-lambda);
        int k = 0;
        double p = random.nextDouble();
        while (p > l) {
            k++;
            p *= random.nextDouble();
        }
        return k;
    }

    public static final List<String> HEADER = header();

    private static List<String> header() {
        List<String> h = new ArrayList<>();
        for (int j = 1; j <= NUMERIC; j++) {
            h.add("x" + j);
        }
        h.add("cat20");
        h.add("cat50");
        h.add("exposure");
        h.add("claims");
        h.add("amount");
        return List.copyOf(h);
    }

    /** Writes {@code rows} rows as CSV with a header. */
    public static void writeCsv(Path file, long rows, long seed) throws IOException {
        writeCsv(file, rows, seed, null);
    }

    /** Record times of generated rows: ascending, whole hours, spread evenly from {@code startMillis} on. */
    public record TimeSpan(long startMillis, long millis) {
        long at(long row, long rows) {
            long hour = 3_600_000L;
            return startMillis + (long) ((double) row / rows * (millis / hour)) * hour;
        }
    }

    /** Writes the rows; with {@code span} each row also has a last column {@code ts} of epoch milliseconds. */
    public static void writeCsv(Path file, long rows, long seed, TimeSpan span) throws IOException {
        Generator g = new Generator(seed);
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write(String.join(",", HEADER));
            w.write(span != null ? ",ts\n" : "\n");
            StringBuilder sb = new StringBuilder(256);
            for (long i = 0; i < rows; i++) {
                Row r = g.next();
                sb.setLength(0);
                for (double v : r.x()) {
                    appendFixed(sb, v, 4);
                    sb.append(',');
                }
                sb.append('"').append(levelA(r.a())).append("\",\"").append(levelB(r.b())).append("\",");
                appendFixed(sb, r.exposure(), 3);
                sb.append(',').append(r.claims()).append(',');
                appendFixed(sb, r.amount(), 2);
                if (span != null) {
                    sb.append(',').append(span.at(i, rows));
                }
                sb.append('\n');
                w.append(sb);
            }
        }
    }

    /** Generates rows straight into a table (no CSV), e.g. for the demo. */
    public static DataTable table(int rows, long seed) {
        Generator g = new Generator(seed);
        double[][] x = new double[NUMERIC][rows];
        int[] a = new int[rows];
        int[] b = new int[rows];
        double[] exposure = new double[rows];
        double[] claims = new double[rows];
        double[] amount = new double[rows];
        for (int i = 0; i < rows; i++) {
            Row r = g.next();
            for (int j = 0; j < NUMERIC; j++) {
                x[j][i] = r.x()[j];
            }
            a[i] = r.a();
            b[i] = r.b();
            exposure[i] = r.exposure();
            claims[i] = r.claims();
            amount[i] = r.amount();
        }
        Map<String, double[]> numeric = new LinkedHashMap<>();
        for (int j = 0; j < NUMERIC; j++) {
            numeric.put("x" + (j + 1), x[j]);
        }
        numeric.put("exposure", exposure);
        numeric.put("claims", claims);
        numeric.put("amount", amount);
        List<String> dictA = new ArrayList<>();
        for (int k = 0; k < LEVELS_A; k++) {
            dictA.add(levelA(k));
        }
        List<String> dictB = new ArrayList<>();
        for (int k = 0; k < LEVELS_B; k++) {
            dictB.add(levelB(k));
        }
        Map<String, CategoricalColumn> cats = new LinkedHashMap<>();
        cats.put("cat20", new CategoricalColumn(a, dictA));
        cats.put("cat50", new CategoricalColumn(b, dictB));
        return new DataTable("synthetic(seed=" + seed + ")", rows, numeric, cats, HEADER);
    }

    /** Appends v rounded to {@code decimals} places without going through Double.toString. */
    static void appendFixed(StringBuilder sb, double v, int decimals) {
        long scale = 1;
        for (int i = 0; i < decimals; i++) {
            scale *= 10;
        }
        long scaled = Math.round(Math.abs(v) * scale);
        if (v < 0 && scaled != 0) {
            sb.append('-');
        }
        sb.append(scaled / scale).append('.');
        String frac = Long.toString(scaled % scale);
        for (int i = frac.length(); i < decimals; i++) {
            sb.append('0');
        }
        sb.append(frac);
    }
}
