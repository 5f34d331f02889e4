package io.streamglm.job.stream;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamglm.engine.fit.Coefficient;
import io.streamglm.engine.fit.Fitting;
import io.streamglm.engine.fit.GlmResult;
import io.streamglm.engine.spec.SpecParser;
import io.streamglm.job.operators.RefitFunction;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Sliding, count and global windows, online mode, and the RocksDB state backend. */
class StreamWindowsITCase {
    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    private static final String SPEC = StreamTestData.spec("poisson", ", \"exposure\": \"expo\"");

    private static List<JsonNode> run(String window, RefitFunction.Mode mode, List<StreamTestData.Row> rows,
                                      int expected, String backend) throws Exception {
        KafkaTestSupport kafka = KafkaTestSupport.get();
        String[] topics = kafka.topicsWithRows(rows, "out");
        String in = topics[0], out = topics[1];
        StreamTestJobs.run(StreamTestJobs.options(kafka, SPEC, window, in, out, null, null, null, mode,
                (long) rows.size()), s -> s, backend);
        List<JsonNode> refits = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : kafka.readAll(out, expected, Duration.ofSeconds(30))) {
            refits.add(StreamTestData.JSON.readTree(r.value()));
        }
        assertThat(refits).hasSize(expected);
        return refits;
    }

    private static void assertEqualsFit(JsonNode refit, List<StreamTestData.Row> rows, Predicate<StreamTestData.Row> in) {
        List<StreamTestData.Row> mine = rows.stream().filter(in).toList();
        assertThat(refit.get("rows").asLong()).isEqualTo(mine.size());
        GlmResult expected = Fitting.fit(SpecParser.parse(SPEC, null), StreamTestData.table(mine), null).result();
        for (Coefficient c : expected.coefficients()) {
            assertThat(refit.get("coefficients").get(c.name()).get("estimate").asDouble())
                    .as("%s %s", refit.get("refit").asText(), c.name())
                    .isCloseTo(c.estimate(), within(1e-9 * Math.abs(c.estimate())));
        }
    }

    @Test
    void slidingWindowsRefitEachSlideOverTheWholeSizeWithRocksDb() throws Exception {
        List<StreamTestData.Row> rows = StreamTestData.rows("poisson", 200, 3, 101);
        // sliding:2h/1h over three hours: windows ending at 1h, 2h, 3h and 4h (the edges hold one hour)
        List<JsonNode> refits = run("sliding:2h/1h", RefitFunction.Mode.EXACT, rows, 4, "rocksdb");
        for (JsonNode r : refits) {
            long start = r.get("window").get("start_ms").asLong();
            long end = r.get("window").get("end_ms").asLong();
            assertThat(end - start).isEqualTo(2 * StreamTestData.HOUR);
            assertEqualsFit(r, rows, row -> row.ts() >= start && row.ts() < end);
        }
    }

    @Test
    void countWindowsRefitEveryNRowsInReadingOrder() throws Exception {
        List<StreamTestData.Row> rows = StreamTestData.rows("poisson", 500, 1, 102);
        List<JsonNode> refits = run("count:200", RefitFunction.Mode.EXACT, rows, 2, "hashmap");
        for (JsonNode r : refits) {
            int k = Integer.parseInt(r.get("refit").asText().substring("count:".length()));
            List<StreamTestData.Row> batch = rows.subList((k - 1) * 200, k * 200);
            assertEqualsFit(r, rows, batch::contains);
        }
    }

    @Test
    void aGlobalWindowGrowsAndRefitsEveryNRows() throws Exception {
        List<StreamTestData.Row> rows = StreamTestData.rows("poisson", 600, 1, 103);
        KafkaTestSupport kafka = KafkaTestSupport.get();
        String[] topics = kafka.topicsWithRows(rows, "out");
        String in = topics[0], out = topics[1];
        StreamOptions o = StreamTestJobs.options(kafka, SPEC, "global", in, out, null, null, null,
                RefitFunction.Mode.EXACT, (long) rows.size());
        StreamOptions every250 = o.toBuilder().refitEvery(250).build();
        StreamTestJobs.run(every250, s -> s);
        List<JsonNode> refits = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : kafka.readAll(out, 2, Duration.ofSeconds(30))) {
            refits.add(StreamTestData.JSON.readTree(r.value()));
        }
        assertThat(refits).extracting(r -> r.get("rows").asLong()).containsExactly(250L, 500L);
        assertEqualsFit(refits.get(1), rows, rows.subList(0, 500)::contains);
    }

    @Test
    void onlineModeStaysCloseToTheExactFit() throws Exception {
        List<StreamTestData.Row> rows = StreamTestData.rows("poisson", 400, 4, 104);
        List<JsonNode> online = run("tumbling:1h", RefitFunction.Mode.ONLINE, rows, 4, "hashmap");
        // After four windows the accumulated one-step estimate is close to the exact fit of all rows so far.
        JsonNode last = online.stream().max((a, b) -> Long.compare(a.get("window").get("end_ms").asLong(),
                b.get("window").get("end_ms").asLong())).orElseThrow();
        assertThat(last.get("mode").asText()).isEqualTo("online");
        GlmResult all = Fitting.fit(SpecParser.parse(SPEC, null), StreamTestData.table(rows), null).result();
        for (Coefficient c : all.coefficients()) {
            double est = last.get("coefficients").get(c.name()).get("estimate").asDouble();
            assertThat(Math.abs(est - c.estimate())).as("online %s vs exact over all windows", c.name())
                    .isLessThan(0.2 * c.stdError());
        }
        // The diagnostics summary: A/E of g's three levels and the drift check against the previous window's model.
        JsonNode diagnostics = last.get("diagnostics");
        assertThat(diagnostics.get("actual_expected").get("g").size()).isEqualTo(3);
        assertThat(diagnostics.get("gini").isNumber()).as("%s", diagnostics).isTrue();
        assertThat(diagnostics.get("gini_weight").asText()).isEqualTo("exposure");
        assertThat(diagnostics.get("drift").get("previous_refit").asText()).startsWith("w:");
        assertThat(diagnostics.get("drift").get("actual_expected").get("g").size()).isEqualTo(3);
    }
}
