package io.streamglm.job.operators;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamglm.connectors.record.ParsedRecord;
import io.streamglm.connectors.record.RowEncoding;
import io.streamglm.engine.data.CategoricalColumn;
import io.streamglm.engine.data.DataTable;
import io.streamglm.engine.design.DesignBuilder;
import io.streamglm.engine.design.FittedDesign;
import io.streamglm.engine.design.RowBuffer;
import io.streamglm.engine.diagnostics.ActualExpected;
import io.streamglm.engine.diagnostics.Diagnostics;
import io.streamglm.engine.diagnostics.WindowSummary;
import io.streamglm.engine.fit.Fitting;
import io.streamglm.engine.fit.GlmResult;
import io.streamglm.engine.model.ModelFile;
import io.streamglm.engine.spec.ModelSpec;
import io.streamglm.engine.spec.SpecParser;
import io.streamglm.job.core.Event;
import io.streamglm.job.core.WindowSpec;
import io.streamglm.job.refit.RefitOutput;
import io.streamglm.job.refit.Refitter;
import io.streamglm.job.refit.WindowContents;
import io.streamglm.job.synthetic.SyntheticClaims;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * The diagnostics summary of a stream refit: A/E by level and Gini equal the batch diagnostics of the same rows,
 * and a second window whose one level's rate shifted raises the drift flag naming that level.
 */
class RefitSummaryTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> REGIONS = List.of("N", "S", "E");
    private static final ModelSpec SPEC = SpecParser.parse("""
            {"response": "y", "family": "poisson", "exposure": "expo",
             "terms": {"x": {"type": "linear"},
                       "region": {"type": "categorical", "levels": ["N", "S", "E"]}}}
            """, "spec");
    private static final long HOUR = 3_600_000L;

    private record Window(DataTable table, List<ParsedRecord> records) {
    }

    /**
     * Rows at rate exp(-1 + 0.4 x + effect(region)) x expo from {@code seed}; with {@code shiftS} != 1 the rows of
     * level S draw their response again (from another generator) at the rate times {@code shiftS}, so the other
     * levels' rows are those of the unshifted window of the same seed.
     */
    private static Window window(int n, long seed, long startMillis, double shiftS) {
        Random rnd = new Random(seed);
        Random shifted = new Random(seed * 31 + 7);
        double[] x = new double[n];
        double[] expo = new double[n];
        double[] y = new double[n];
        int[] region = new int[n];
        List<ParsedRecord> records = new ArrayList<>();
        double[] effect = {0.0, 0.3, -0.2};
        for (int i = 0; i < n; i++) {
            x[i] = Math.rint(rnd.nextGaussian() * 1e4) / 1e4;
            expo[i] = Math.rint((0.2 + rnd.nextDouble()) * 1e3) / 1e3;
            region[i] = rnd.nextInt(3);
            double mu = expo[i] * Math.exp(-1 + 0.4 * x[i] + effect[region[i]]);
            y[i] = SyntheticClaims.poisson(rnd, mu);
            if (region[i] == 1 && shiftS != 1.0) {
                y[i] = SyntheticClaims.poisson(shifted, mu * shiftS);
            }
            records.add(new ParsedRecord(startMillis + i * (HOUR / n), "", Map.of("x", x[i], "expo", expo[i], "y", y[i]),
                    Map.of("region", REGIONS.get(region[i]))));
        }
        Map<String, double[]> numeric = new LinkedHashMap<>();
        numeric.put("y", y);
        numeric.put("x", x);
        numeric.put("expo", expo);
        DataTable table = new DataTable("window", n, numeric,
                Map.of("region", new CategoricalColumn(region, REGIONS)), List.of("y", "x", "expo", "region"));
        return new Window(table, records);
    }

    private static RowBuffer buffer(Refitter refitter, RowEncoding encoding, List<ParsedRecord> records) {
        RowBuffer buffer = refitter.newBuffer();
        long order = 0;
        for (ParsedRecord r : records) {
            encoding.encode(r).row().appendTo(buffer, order++);
        }
        return buffer;
    }

    @Test
    void summaryEqualsTheBatchDiagnosticsOfTheSameRows() throws Exception {
        Window w = window(5_000, 31, 0, 1.0);
        Fitting.Detailed batch = Fitting.fitDetailed(SPEC, w.table(), null);
        Diagnostics d = Diagnostics.compute(batch, w.table(), 1, null);

        FittedDesign design = DesignBuilder.freeze(SPEC);
        assertThat(design.columnNames()).isEqualTo(batch.output().design().columnNames());
        Refitter refitter = new Refitter(SPEC, design, "spec", "in");
        RowBuffer rows = buffer(refitter, new RowEncoding(SPEC, "m", design), w.records());
        GlmResult result = refitter.exact(rows.sorted());
        WindowSummary summary = refitter.summarize(new WindowContents.Rows(rows), result, null);
        JsonNode diag = JSON.readTree(refitter.record("m", "w:1", "tumbling", 0L, HOUR, rows.size(), "exact", result,
                HOUR - 1, summary, null)).path("diagnostics");

        List<ActualExpected.Level> expected = d.actualExpected().terms().get("region");
        JsonNode levels = diag.path("actual_expected").path("region");
        assertThat(levels.size()).isEqualTo(3);
        for (int l = 0; l < 3; l++) {
            ActualExpected.Level e = expected.get(l);
            JsonNode a = levels.get(l);
            assertThat(a.path("level").asText()).isEqualTo(e.level());
            assertThat(a.path("rows").asLong()).isEqualTo(e.rows());
            assertThat(a.path("actual").asDouble()).isCloseTo(e.actual(), within(1e-9 * e.actual()));
            assertThat(a.path("expected").asDouble()).isCloseTo(e.expected(), within(1e-8 * e.expected()));
            assertThat(a.path("ratio").asDouble()).isCloseTo(e.ratio(), within(1e-8));
            assertThat(a.path("ratio_ci_lower").asDouble()).isCloseTo(e.ciLower(), within(1e-8));
            assertThat(a.path("ratio_ci_upper").asDouble()).isCloseTo(e.ciUpper(), within(1e-8));
        }
        assertThat(diag.path("gini").asDouble()).isCloseTo(d.lift().gini(), within(1e-9));
        assertThat(diag.path("gini_normalised").asDouble()).isCloseTo(d.lift().giniNormalised(), within(1e-9));
        assertThat(d.lift().gini()).isGreaterThan(0.05);
        assertThat(diag.path("gini_weight").asText()).isEqualTo("exposure");
        assertThat(diag.path("deviance_per_df").asDouble()).isCloseTo(
                batch.output().result().deviance() / batch.output().result().dfResidual(), within(1e-9));
        assertThat(diag.get("drift").isNull()).as("no previous window").isTrue();
        assertThat(diag.has("summary_unavailable")).isFalse();
    }

    @Test
    void aShiftedSecondWindowRaisesTheDriftFlagNamingTheShiftedLevel() throws Exception {
        FittedDesign design = DesignBuilder.freeze(SPEC);
        RefitFunction function = new RefitFunction(new Refitter.Setup(SpecParser.toJson(SPEC).toString(),
                ModelFile.designToJson(design), "spec", "in"), WindowSpec.parse("tumbling:1h"), 0, 0, 1, RefitFunction.Mode.EXACT, 1.0, false);
        RowEncoding encoding = new RowEncoding(SPEC, "m", design);
        List<JsonNode> records = new ArrayList<>();
        try (KeyedBroadcastOperatorTestHarness<String, Event, ControlCommand, RefitOutput> harness =
                     ProcessFunctionTestHarnesses.forKeyedBroadcastProcessFunction(function, e -> e.row().model(),
                             Types.STRING, RefitFunction.controlDescriptor())) {
            harness.processBroadcastWatermark(Long.MAX_VALUE);
            long offset = 0;
            // the same rows in the first two hours (no drift), then level S's claims at 1.4 times the rate
            double[] shifts = {1.0, 1.0, 1.4};
            for (int h = 0; h < shifts.length; h++) {
                for (ParsedRecord r : window(8_000, 41, h * HOUR, shifts[h]).records()) {
                    harness.processElement(Event.row(encoding.encode(r).row(), new byte[0], "in", 0, offset++),
                            r.eventTime());
                }
                harness.processWatermark(new Watermark((h + 1) * HOUR - 1));
            }
            for (RefitOutput out : harness.extractOutputValues()) {
                records.add(JSON.readTree(out.json()));
            }
        }
        assertThat(records).hasSize(3);
        JsonNode first = records.get(0).path("diagnostics");
        assertThat(first.get("drift").isNull()).isTrue();
        assertThat(first.path("actual_expected").path("region").size()).isEqualTo(3);

        JsonNode same = records.get(1).path("diagnostics").path("drift");
        assertThat(same.path("previous_refit").asText()).isEqualTo(records.get(0).path("refit").asText());
        assertThat(same.path("flag").asBoolean()).as("the same rows: %s", same).isFalse();
        assertThat(same.path("levels").size()).isZero();

        JsonNode drift = records.get(2).path("diagnostics").path("drift");
        assertThat(drift.path("previous_refit").asText()).isEqualTo(records.get(1).path("refit").asText());
        assertThat(drift.path("flag").asBoolean()).as("%s", drift).isTrue();
        assertThat(drift.path("levels").size()).as("%s", drift).isEqualTo(1);
        JsonNode level = drift.path("levels").get(0);
        assertThat(level.path("term").asText()).isEqualTo("region");
        assertThat(level.path("level").asText()).isEqualTo("S");
        assertThat(level.path("ratio").asDouble()).isCloseTo(1.4, within(0.1));
        assertThat(level.path("lower").asDouble()).isGreaterThan(1.0);
        assertThat(level.path("upper").asDouble()).isGreaterThan(level.path("ratio").asDouble());
        // N and E: the rows of the previous window, so its model's A/E on them is 1
        for (JsonNode l : drift.path("actual_expected").path("region")) {
            if (!l.path("level").asText().equals("S")) {
                assertThat(l.path("ratio").asDouble()).as("%s", l).isCloseTo(1.0, within(1e-6));
            }
        }
        // The window's own fit absorbs the shift: its A/E by level is 1 (the score equations of a canonical link).
        for (JsonNode l : records.get(2).path("diagnostics").path("actual_expected").path("region")) {
            assertThat(l.path("ratio").asDouble()).isCloseTo(1.0, within(1e-6));
        }
    }

    @Test
    void aRecordWithoutASummarySaysWhyAndHasNoNumbers() throws Exception {
        Window w = window(500, 3, 0, 1.0);
        FittedDesign design = DesignBuilder.freeze(SPEC);
        Refitter refitter = new Refitter(SPEC, design, "spec", "in");
        RowBuffer rows = buffer(refitter, new RowEncoding(SPEC, "m", design), w.records());
        GlmResult result = refitter.exact(rows.sorted());
        JsonNode diag = JSON.readTree(refitter.record("m", "w:1", "tumbling", 0L, HOUR, rows.size(), "exact", result,
                HOUR - 1, null, Refitter.LARGER_THAN_MEMORY_SUMMARY)).path("diagnostics");
        assertThat(diag.path("summary_unavailable").asText()).isEqualTo(Refitter.LARGER_THAN_MEMORY_SUMMARY);
        for (String key : List.of("actual_expected", "gini", "gini_normalised", "drift")) {
            assertThat(diag.get(key).isNull()).as(key).isTrue();
        }
        assertThat(diag.path("deviance_per_df").isNumber()).isTrue();
    }

    @Test
    void thePreviousModelStateRoundTripsThroughItsSerializerAndRefusesAnotherVersion() throws Exception {
        WindowSummary.PreviousModel m = new WindowSummary.PreviousModel("w:2026-01-01T00:00:00Z/2026-01-01T01:00:00Z",
                new double[]{-1.0, 0.4, 0.3, Double.MIN_VALUE}, Double.NaN, 2.5);
        DataOutputSerializer out = new DataOutputSerializer(64);
        io.streamglm.job.state.PreviousModelSerializer.INSTANCE.serialize(m, out);
        WindowSummary.PreviousModel back = io.streamglm.job.state.PreviousModelSerializer.INSTANCE.deserialize(
                new DataInputDeserializer(out.getCopyOfBuffer()));
        assertThat(back.refit()).isEqualTo(m.refit());
        assertThat(back.beta()).containsExactly(m.beta());
        assertThat(back.dispersion()).isNaN();
        assertThat(back.theta()).isEqualTo(2.5);

        byte[] bytes = m.toBytes();
        bytes[4] = 9;
        assertThatThrownBy(() -> WindowSummary.PreviousModel.fromBytes(bytes)).hasMessageContaining("serial version 9");
    }
}
