package io.streamglm.job.stream;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streamglm.engine.data.CategoricalColumn;
import io.streamglm.engine.data.DataTable;
import io.streamglm.job.synthetic.SyntheticClaims;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/** Synthetic records for stream tests: ts, x1, x2, g (levels a b c), region (north/south), y of a family. */
final class StreamTestData {
    static final ObjectMapper JSON = new ObjectMapper();
    static final long HOUR = 3_600_000L;
    static final long T0 = 1_767_225_600_000L; // 2026-01-01T00:00:00Z

    record Row(long ts, double x1, double x2, String g, String region, double y, double expo) {
        byte[] json() {
            ObjectNode n = JSON.createObjectNode();
            n.put("ts", ts);
            n.put("x1", x1);
            n.put("x2", x2);
            n.put("g", g);
            n.put("region", region);
            n.put("y", y);
            n.put("expo", expo);
            return n.toString().getBytes(StandardCharsets.UTF_8);
        }

        /** The row as a CSV line of {@link #CSV_HEADER}'s fields. */
        byte[] csv() {
            return (ts + "," + x1 + "," + x2 + "," + g + "," + region + "," + y + "," + expo)
                    .getBytes(StandardCharsets.UTF_8);
        }
    }

    /** The spec's csv_header for {@link Row#csv()} lines. */
    static final String CSV_HEADER = "\"csv_header\": [\"ts\", \"x1\", \"x2\", \"g\", \"region\", \"y\", \"expo\"]";

    static List<Row> rows(String family, int perHour, int hours, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        List<Row> out = new ArrayList<>();
        String[] levels = {"a", "b", "c"};
        for (int h = 0; h < hours; h++) {
            for (int i = 0; i < perHour; i++) {
                long ts = T0 + h * HOUR + (long) ((i + 0.5) * HOUR / perHour);
                double x1 = Math.rint(r.nextDouble(-1, 1) * 1e4) / 1e4;
                double x2 = Math.rint(r.nextDouble(0, 2) * 1e4) / 1e4;
                int gi = i % 3;
                String region = (i / 3) % 2 == 0 ? "north" : "south";
                double expo = Math.rint(r.nextDouble(0.2, 1.0) * 1e3) / 1e3;
                double eta = 0.3 + 0.4 * x1 - 0.2 * x2 + 0.25 * gi;
                double y = switch (family) {
                    case "gaussian" -> Math.rint((1 + eta + r.nextGaussian() * 0.5) * 1e4) / 1e4;
                    case "poisson", "quasipoisson" -> SyntheticClaims.poisson(r, expo * Math.exp(eta));
                    // A gamma(2, 1/2) mixture of Poissons: negative binomial with theta 2. Poisson counts would put
                    // theta near infinity, where the likelihood is flat and theta is ill-determined.
                    case "negbinomial" -> SyntheticClaims.poisson(r, expo * Math.exp(eta)
                            * -(Math.log(1 - r.nextDouble()) + Math.log(1 - r.nextDouble())) / 2);
                    case "binomial", "quasibinomial" -> r.nextDouble() < 1 / (1 + Math.exp(-eta)) ? 1 : 0;
                    case "inverse_gaussian" -> Math.rint(Math.exp(eta + 0.1 * r.nextGaussian()) * 1e4) / 1e4;
                    case "gamma", "tweedie" ->
                            Math.rint(Math.exp(eta) * -Math.log(1 - r.nextDouble()) * 1e4) / 1e4 + 0.01;
                    default -> throw new IllegalArgumentException(family);
                };
                out.add(new Row(ts, x1, x2, levels[gi], region, y, expo));
            }
        }
        return out;
    }

    static String spec(String family, String extra) {
        return "{\"model\": \"m\", \"response\": \"y\", \"family\": \"" + family + "\"" + extra + ", \"terms\": {"
                + "\"x1\": {\"type\": \"linear\"}, \"x2\": {\"type\": \"linear\"},"
                + " \"g\": {\"type\": \"categorical\", \"levels\": [\"a\", \"b\", \"c\"]}}}";
    }

    /** The rows as a table, as {@code streamglm fit} would read them from a CSV. */
    static DataTable table(List<Row> rows) {
        int n = rows.size();
        double[] x1 = new double[n];
        double[] x2 = new double[n];
        double[] y = new double[n];
        double[] expo = new double[n];
        int[] g = new int[n];
        List<String> dict = List.of("a", "b", "c");
        for (int i = 0; i < n; i++) {
            Row row = rows.get(i);
            x1[i] = row.x1();
            x2[i] = row.x2();
            y[i] = row.y();
            expo[i] = row.expo();
            g[i] = dict.indexOf(row.g());
        }
        Map<String, double[]> numeric = new LinkedHashMap<>();
        numeric.put("x1", x1);
        numeric.put("x2", x2);
        numeric.put("y", y);
        numeric.put("expo", expo);
        Map<String, CategoricalColumn> cats = new LinkedHashMap<>();
        cats.put("g", new CategoricalColumn(g, dict));
        return new DataTable("window", n, numeric, cats, List.of("ts", "x1", "x2", "g", "region", "y", "expo"));
    }
}
