package io.streamglm.job.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The demo's synthetic insurance stream: policies with a driver age, a region and a vehicle group, an exposure
 * in years and a Poisson claim count from known true coefficients. Halfway through, the West region gets riskier
 * and the overall frequency rises (a drift the refits should follow).
 */
public final class DemoScenario {
    public static final String SPEC = """
            {"model": "freq", "response": "claims", "family": "poisson", "exposure": "exposure",
             "terms": {"driver_age": {"type": "linear"},
                       "region": {"type": "categorical", "levels": ["North", "East", "South", "West"]},
                       "vehicle": {"type": "categorical", "levels": ["A", "B", "C"]}}}
            """;
    static final String[] REGIONS = {"North", "East", "South", "West"};
    static final String[] VEHICLES = {"A", "B", "C"};
    /** Simulated event time: policies per hour (one refit window). */
    public static final int PER_HOUR = 10_000;
    public static final long T0 = 1_767_225_600_000L; // 2026-01-01T00:00:00Z
    private static final ObjectMapper JSON = new ObjectMapper();

    private final long drift;

    /** @param driftAfter the event count after which the drifted coefficients apply */
    public DemoScenario(long driftAfter) {
        this.drift = driftAfter;
    }

    /** The true coefficients before (or after) the drift, by design column name. */
    public static Map<String, Double> truth(boolean drifted) {
        Map<String, Double> t = new LinkedHashMap<>();
        t.put("Intercept", drifted ? -1.8 : -2.0);
        t.put("driver_age", -0.02);
        t.put("region[T.East]", 0.2);
        t.put("region[T.South]", -0.1);
        t.put("region[T.West]", drifted ? 0.6 : 0.3);
        t.put("vehicle[T.B]", 0.15);
        t.put("vehicle[T.C]", 0.4);
        return t;
    }

    public boolean drifted(long event) {
        return event >= drift;
    }

    /** Event {@code i} as a JSON record, drawn from a generator seeded by i (so a replay is the same stream). */
    public byte[] record(long i) {
        SplittableRandom r = new SplittableRandom(0x5EED ^ i * 0x9E3779B97F4A7C15L);
        Map<String, Double> t = truth(drifted(i));
        double age = 18 + r.nextInt(63);
        String region = REGIONS[r.nextInt(REGIONS.length)];
        String vehicle = VEHICLES[r.nextInt(VEHICLES.length)];
        double exposure = Math.rint((0.1 + 0.9 * r.nextDouble()) * 1000) / 1000;
        double eta = t.get("Intercept") + t.get("driver_age") * (age - 40)
                + t.getOrDefault("region[T." + region + "]", 0.0) + t.getOrDefault("vehicle[T." + vehicle + "]", 0.0);
        // The truth is stated for age centred at 40: shift the intercept so that the model (uncentred) matches.
        double mu = exposure * Math.exp(eta);
        int claims = 0;
        double l = Math.exp(-mu);
        double p = r.nextDouble();
        while (p > l) {
            claims++;
            p *= r.nextDouble();
        }
        ObjectNode n = JSON.createObjectNode();
        n.put("ts", T0 + i * 3_600_000L / PER_HOUR);
        n.put("policy", "P" + i);
        n.put("driver_age", age);
        n.put("region", region);
        n.put("vehicle", vehicle);
        n.put("exposure", exposure);
        n.put("claims", claims);
        return n.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Truth on the model's scale (driver_age uncentred): the intercept absorbs -40 * age slope. */
    public static Map<String, Double> modelTruth(boolean drifted) {
        Map<String, Double> t = truth(drifted);
        t.put("Intercept", t.get("Intercept") - 40 * t.get("driver_age"));
        return t;
    }
}
