package io.streamglm.job.stream;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamglm.connectors.csv.CsvSplits;
import io.streamglm.connectors.csv.CsvTableReader;
import io.streamglm.engine.accumulate.InMemoryPasses;
import io.streamglm.engine.data.DataTable;
import io.streamglm.engine.design.DesignBuilder;
import io.streamglm.engine.design.FittedDesign;
import io.streamglm.engine.design.RecordValues;
import io.streamglm.engine.diagnostics.WindowSummary;
import io.streamglm.engine.fit.Coefficient;
import io.streamglm.engine.fit.Fitting;
import io.streamglm.engine.fit.GlmResult;
import io.streamglm.engine.model.ModelFile;
import io.streamglm.engine.model.Scorer;
import io.streamglm.engine.spec.ModelSpec;
import io.streamglm.engine.spec.SpecParser;
import io.streamglm.job.cli.StreamGlm;
import io.streamglm.job.operators.RefitFunction;
import io.streamglm.job.refit.Refitter;
import io.streamglm.job.replay.ReplayJob;
import io.streamglm.job.replay.UnitReader;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Replay equals stream equals fit: windows replayed from a file and from a topic range equal the stream job's
 * refits of the same records, and {@code --window all} (a driver loop of distributed passes) equals
 * {@code streamglm fit} on reference cases, statistics included.
 */
class ReplayITCase {
    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    private static final String SPEC = StreamTestData.spec("poisson", ", \"exposure\": \"expo\"");

    @TempDir
    Path tmp;

    @Test
    void replayedWindowsFromAFileAndATopicEqualTheStreamedWindows() throws Exception {
        List<byte[]> records = new ArrayList<>();
        StreamTestData.rows("poisson", 150, 3, 301).forEach(r -> records.add(r.json()));
        records.add(200, "{\"ts\": 1767225600000, \"x1\": \"oops\"}".getBytes(StandardCharsets.UTF_8));
        KafkaTestSupport kafka = KafkaTestSupport.get();
        String in = StreamTestJobs.unique("in");
        String out = StreamTestJobs.unique("out");
        String replayOut = StreamTestJobs.unique("replay-out");
        kafka.topics(in, out, replayOut);
        kafka.send(in, records);
        String window = "sliding:2h/1h";
        StreamTestJobs.run(StreamTestJobs.options(kafka, SPEC, window, in, out, null, null, null,
                RefitFunction.Mode.EXACT, (long) records.size()), s -> s);
        Map<String, JsonNode> streamed = byRefit(kafka.readAll(out, 4, Duration.ofSeconds(30)).stream()
                .map(ConsumerRecord::value).map(v -> new String(v, StandardCharsets.UTF_8)).toList());
        assertThat(streamed).hasSize(4);

        Path spec = Files.writeString(tmp.resolve("spec.json"), SPEC);
        Path data = tmp.resolve("history.jsonl");
        Files.write(data, records.stream().map(b -> new String(b, StandardCharsets.UTF_8)).toList());
        Path fromFile = tmp.resolve("file-fits.jsonl");
        Path dead = tmp.resolve("dead.jsonl");
        assertThat(replay("--data", data.toString(), "--spec", spec.toString(), "--time-column", "ts",
                "--window", window, "--out", fromFile.toString(), "--dead-letters", dead.toString(),
                "--output-topic", replayOut, "--bootstrap-servers", kafka.bootstrap())).isZero();
        Path fromTopic = tmp.resolve("topic-fits.jsonl");
        assertThat(replay("--input-topic", in, "--bootstrap-servers", kafka.bootstrap(), "--from", "offset:0",
                "--to", "offset:" + records.size(), "--spec", spec.toString(), "--time-column", "ts",
                "--window", window, "--out", fromTopic.toString())).isZero();

        for (Path replayed : List.of(fromFile, fromTopic)) {
            Map<String, JsonNode> fits = byRefit(Files.readAllLines(replayed));
            assertThat(fits.keySet()).as("%s", replayed).isEqualTo(streamed.keySet());
            for (String label : fits.keySet()) {
                assertSameFit(fits.get(label), streamed.get(label));
            }
        }
        List<String> deadLetters = Files.readAllLines(dead);
        assertThat(deadLetters).hasSize(1);
        assertThat(deadLetters.get(0)).contains("\"reason\":\"wrong_type\"").contains("oops")
                .contains("history.jsonl#0/200");
        assertThat(kafka.readAll(replayOut, 4, Duration.ofSeconds(30))).hasSize(4);
    }

    /**
     * Windows over one CSV file, read in byte-range splits by the fit path with the rows sent to the refits in
     * blocks, equal the windows of the same records replayed one by one through the stream's record path (which
     * the test above holds equal to the stream); a split with a bad record is read record by record, its record a
     * dead letter.
     */
    @Test
    void windowsOverCsvSplitsEqualTheRecordPathsWindows() throws Exception {
        List<StreamTestData.Row> rows = StreamTestData.rows("poisson", 400, 5, 77);
        List<String> csv = new ArrayList<>(List.of("ts,x1,x2,g,region,y,expo"));
        List<String> jsonl = new ArrayList<>();
        for (StreamTestData.Row r : rows) {
            csv.add(new String(r.csv(), StandardCharsets.UTF_8));
            jsonl.add(new String(r.json(), StandardCharsets.UTF_8));
        }
        csv.add(1500, rows.get(1500).ts() + ",oops,0.5,a,north,1,1");
        jsonl.add(1499, "{\"ts\": " + rows.get(1500).ts() + ", \"x1\": \"oops\", \"x2\": 0.5, \"g\": \"a\","
                + " \"region\": \"north\", \"y\": 1, \"expo\": 1}");
        Path csvFile = Files.write(tmp.resolve("history.csv"), csv);
        Path jsonFile = Files.write(tmp.resolve("history.jsonl"), jsonl);
        Path spec = Files.writeString(tmp.resolve("spec.json"), SPEC);
        for (String window : List.of("tumbling:1h", "sliding:2h/1h")) {
            Path fromCsv = tmp.resolve("csv-fits.jsonl");
            Path fromJson = tmp.resolve("json-fits.jsonl");
            Path deadCsv = tmp.resolve("csv-dead.jsonl");
            long fitPath = UnitReader.FIT_PATH.get();
            long recordByRecord = UnitReader.RECORD_BY_RECORD.get();
            assertThat(replay("--data", csvFile.toString(), "--spec", spec.toString(), "--time-column", "ts",
                    "--window", window, "--out", fromCsv.toString(), "--dead-letters", deadCsv.toString())).isZero();
            // four splits: three by the fit path, the one with the bad record record by record
            assertThat(UnitReader.FIT_PATH.get() - fitPath).as(window).isEqualTo(3);
            assertThat(UnitReader.RECORD_BY_RECORD.get() - recordByRecord).as(window).isEqualTo(1);
            assertThat(replay("--data", jsonFile.toString(), "--spec", spec.toString(), "--time-column", "ts",
                    "--window", window, "--out", fromJson.toString())).isZero();
            Map<String, JsonNode> split = byRefit(Files.readAllLines(fromCsv));
            Map<String, JsonNode> record = byRefit(Files.readAllLines(fromJson));
            assertThat(split.keySet()).as(window).isEqualTo(record.keySet()).hasSize(window.startsWith("tumbling")
                    ? 5 : 6);
            for (String label : split.keySet()) {
                assertSameFit(split.get(label), record.get(label));
            }
            List<String> dead = Files.readAllLines(deadCsv);
            assertThat(dead).hasSize(1);
            assertThat(dead.get(0)).contains("oops").contains("history.csv#0/1499");
        }
    }

    /**
     * A glob of CSV files is read in splits of every file by the fit path; the same records as JSON lines are read
     * record by record: both give the same fit over all rows and the same windows, bit for bit.
     */
    @Test
    void severalCsvFilesInSplitsEqualTheSameRecordsAsJsonLines() throws Exception {
        List<StreamTestData.Row> rows = StreamTestData.rows("poisson", 9000, 4, 78); // 36k rows: two chunks
        Path csvDir = Files.createDirectories(tmp.resolve("csv"));
        Path jsonDir = Files.createDirectories(tmp.resolve("json"));
        int[] cuts = {0, 20_000, rows.size()};
        for (int f = 0; f < 2; f++) {
            List<String> csv = new ArrayList<>(List.of("ts,x1,x2,g,region,y,expo"));
            List<String> jsonl = new ArrayList<>();
            for (StreamTestData.Row r : rows.subList(cuts[f], cuts[f + 1])) {
                csv.add(new String(r.csv(), StandardCharsets.UTF_8));
                jsonl.add(new String(r.json(), StandardCharsets.UTF_8));
            }
            Files.write(csvDir.resolve("part-" + f + ".csv"), csv);
            Files.write(jsonDir.resolve("part-" + f + ".jsonl"), jsonl);
        }
        Path spec = Files.writeString(tmp.resolve("spec.json"), SPEC);
        Path design = tmp.resolve("design.csv");
        Files.copy(csvDir.resolve("part-0.csv"), design);
        for (String window : List.of("all", "tumbling:1h")) {
            Path fromCsv = tmp.resolve("csv-" + window.replace(':', '-') + ".jsonl");
            Path fromJson = tmp.resolve("json-" + window.replace(':', '-') + ".jsonl");
            long fitPath = UnitReader.FIT_PATH.get();
            assertThat(replay("--data", csvDir + "/part-*.csv", "--spec", spec.toString(), "--time-column", "ts",
                    "--window", window, "--design-data", design.toString(), "--out", fromCsv.toString())).isZero();
            assertThat(UnitReader.FIT_PATH.get() - fitPath).as(window).isGreaterThanOrEqualTo(2);
            assertThat(replay("--data", jsonDir + "/part-*.jsonl", "--spec", spec.toString(), "--time-column", "ts",
                    "--window", window, "--design-data", design.toString(), "--out", fromJson.toString())).isZero();
            List<String> a = Files.readAllLines(fromCsv);
            List<String> b = Files.readAllLines(fromJson);
            assertThat(a).as(window).hasSize(window.equals("all") ? 1 : 4).hasSameSizeAs(b);
            for (int i = 0; i < a.size(); i++) {
                JsonNode x = StreamTestData.JSON.readTree(a.get(i));
                JsonNode y = StreamTestData.JSON.readTree(b.get(i));
                assertThat(x.get("rows")).as(window).isEqualTo(y.get("rows"));
                for (String field : List.of("coefficients", "deviance", "null_deviance", "aic", "iterations",
                        "covariance_upper")) {
                    assertThat(x.get(field)).as("%s %s", window, field).isEqualTo(y.get(field));
                }
            }
        }
    }

    @Test
    void allOverAFileEqualsFitThroughTheCommandLine() throws Exception {
        Path dir = caseDir("poisson_100k_exposure"); // 100k rows: four chunks merged in order
        Path out = tmp.resolve("all.jsonl");
        assertThat(replay("--data", dir.resolve("data.csv").toString(), "--spec", dir.resolve("spec.json").toString(),
                "--out", out.toString())).isZero();
        List<String> lines = Files.readAllLines(out);
        assertThat(lines).hasSize(1);
        JsonNode refit = StreamTestData.JSON.readTree(lines.get(0));
        ModelSpec spec = SpecParser.parse(Files.readString(dir.resolve("spec.json")), "spec");
        DataTable table = CsvTableReader.read(dir.resolve("data.csv"), spec.numericColumnUsage(),
                spec.categoricalColumnUsage());
        Fitting.Detailed detailed = Fitting.fitDetailed(spec, table, null);
        GlmResult fit = detailed.output().result();
        assertEqualsFit(refit, fit);

        // The diagnostics summary, from the workers' sums of their chunks, is the one of all rows in memory.
        WindowSummary want = WindowSummary.compute(detailed.matrix(), detailed.output().design(),
                detailed.output().model(), fit, WindowSummary.exposure(spec, detailed.matrix()), null);
        JsonNode diag = refit.get("diagnostics");
        assertThat(diag.has("summary_unavailable")).isFalse();
        assertThat(diag.get("gini").asDouble()).isCloseTo(want.gini(), within(1e-10));
        assertThat(diag.get("gini_normalised").asDouble()).isCloseTo(want.giniNormalised(), within(1e-10));
        assertThat(diag.get("drift").isNull()).isTrue();
        assertThat(want.actualExpected().terms()).isNotEmpty();
        want.actualExpected().terms().forEach((term, levels) -> {
            JsonNode got = diag.get("actual_expected").get(term);
            assertThat(got).as(term).hasSize(levels.size());
            for (int l = 0; l < levels.size(); l++) {
                assertThat(got.get(l).get("rows").asLong()).isEqualTo(levels.get(l).rows());
                assertThat(got.get(l).get("expected").asDouble()).isCloseTo(levels.get(l).expected(),
                        within(1e-9 * levels.get(l).expected()));
            }
        });

        // The replay's output is a model log: export its refit as a model file and score with it.
        Path modelFile = tmp.resolve("model.json");
        String id = refit.get("model").asText();
        assertThat(StreamGlm.commandLine().execute("model", "export", "--from-file", out.toString(), "--model", id,
                "--out", modelFile.toString())).isZero();
        ModelFile.Model exported = ModelFile.read(Files.readString(modelFile), modelFile.toString());
        Scorer scorer = new Scorer(exported);
        for (int i = 0; i < fit.fittedHead().size(); i++) {
            int row = i;
            Scorer.Prediction p = scorer.predict(new RecordValues() {
                @Override public double number(String column) {
                    return table.numeric(column)[row];
                }

                @Override public String text(String column) {
                    return table.categorical(column).value(row);
                }
            });
            assertThat(p.mean()).as("row %d", row).isCloseTo(fit.fittedHead().get(row),
                    org.assertj.core.api.Assertions.within(1e-12 * fit.fittedHead().get(row)));
        }
        assertThat(StreamGlm.commandLine().execute("model", "export", "--from-file", out.toString(), "--model",
                "no-such-model", "--out", tmp.resolve("none.json").toString())).isEqualTo(StreamGlm.EXIT_BAD_INPUT);
    }

    /**
     * One JSON-lines file is read in byte-range splits at line starts, aligned to the fit's chunks, record by
     * record: the fit over all rows is {@code streamglm fit}'s on the same rows as CSV, bit for bit.
     */
    @Test
    void allOverOneJsonLinesFileReadsItInSplitsWithFitsResult() throws Exception {
        Path dir = caseDir("poisson_100k_exposure");
        List<String> csv = Files.readAllLines(dir.resolve("data.csv"));
        String[] header = csv.get(0).replace("\"", "").split(",");
        List<String> jsonl = new ArrayList<>();
        for (String line : csv.subList(1, csv.size())) {
            String[] v = line.split(",");
            StringBuilder json = new StringBuilder("{");
            for (int c = 0; c < header.length; c++) {
                json.append(c == 0 ? "" : ", ").append('"').append(header[c]).append("\": ").append(v[c]);
            }
            // every other record ends in CRLF, and a blank line now and then: neither is a record
            jsonl.add(json.append('}').append(jsonl.size() % 2 == 0 ? "\r" : "")
                    + (jsonl.size() % 1000 == 7 ? "\n   " : ""));
        }
        Path data = Files.write(tmp.resolve("claims.jsonl"), jsonl);
        Path out = tmp.resolve("all-jsonl.jsonl");
        long recordByRecord = UnitReader.RECORD_BY_RECORD.get();
        assertThat(replay("--data", data.toString(), "--spec", dir.resolve("spec.json").toString(),
                "--out", out.toString())).isZero();
        assertThat(UnitReader.RECORD_BY_RECORD.get() - recordByRecord).as("splits of the one file").isGreaterThan(1);
        ModelSpec spec = SpecParser.parse(Files.readString(dir.resolve("spec.json")), "spec");
        GlmResult fit = Fitting.fit(spec, CsvTableReader.read(dir.resolve("data.csv"), spec.numericColumnUsage(),
                spec.categoricalColumnUsage()), null).result();
        assertEqualsFit(StreamTestData.JSON.readTree(Files.readAllLines(out).get(0)), fit);
    }

    /**
     * Rows that do not fit the workers' row memory are not kept: each pass reads the file's splits again (more
     * splits than workers, so a worker holds one at a time), with the same fit as {@code streamglm fit}.
     */
    @Test
    void allOverAFileLargerThanTheRowMemoryReadsItEachPassWithTheSameFit() throws Exception {
        Path dir = caseDir("poisson_100k_exposure");
        Path out = tmp.resolve("all-reread.jsonl");
        long fitPath = UnitReader.FIT_PATH.get();
        assertThat(replay("--data", dir.resolve("data.csv").toString(), "--spec", dir.resolve("spec.json").toString(),
                "--out", out.toString(), "--row-memory", "256k")).isZero();
        JsonNode refit = StreamTestData.JSON.readTree(Files.readAllLines(out).get(0));
        assertThat(refit.get("diagnostics").get("summary_unavailable").asText())
                .isEqualTo(Refitter.LARGER_THAN_MEMORY_SUMMARY);
        // four splits of a chunk each, read before the first pass and again for each pass
        long reads = UnitReader.FIT_PATH.get() - fitPath;
        assertThat(reads % 4).isZero();
        assertThat(reads).isGreaterThan(4L * (1 + refit.get("iterations").asInt()));
        ModelSpec spec = SpecParser.parse(Files.readString(dir.resolve("spec.json")), "spec");
        GlmResult fit = Fitting.fit(spec, CsvTableReader.read(dir.resolve("data.csv"), spec.numericColumnUsage(),
                spec.categoricalColumnUsage()), null).result();
        assertEqualsFit(refit, fit);
        assertThat(replay("--data", dir.resolve("data.csv").toString(), "--spec", dir.resolve("spec.json").toString(),
                "--out", out.toString(), "--row-memory", "lots")).isEqualTo(StreamGlm.EXIT_BAD_INPUT);
        assertThat(replay("--data", dir.resolve("data.csv").toString(), "--spec", dir.resolve("spec.json").toString(),
                "--out", out.toString(), "--row-memory", "1g", "--window", "tumbling:1h", "--time-column", "x1"))
                .as("--row-memory with windows").isEqualTo(StreamGlm.EXIT_BAD_INPUT);
    }

    /**
     * One CSV file read as two byte-range splits whose nominal cut falls inside a quoted field holding line
     * breaks (and commas and doubled quotes): {@code replay --window all} equals {@code streamglm fit} on the
     * file, every number of the result JSON compared exactly.
     */
    @Test
    void allOverByteRangeSplitsCutInsideAQuotedFieldEqualsFit() throws Exception {
        int rows = 70_000; // three 32k-row chunks: the splits' cut moves to the start of record 32768
        int hugeRow = 40_000;
        String huge = "\"" + "a line, with \"\"quotes\"\" and a comma\n".repeat(80_000) + "\"";
        String[] levels = {"plain", "\"with, comma\"", "\"say \"\"hi\"\"\"", "\"two\nlines\""};
        java.util.SplittableRandom r = new java.util.SplittableRandom(15);
        StringBuilder csv = new StringBuilder("y,x,cat,expo,note\n");
        long hugeFrom = -1;
        for (int i = 0; i < rows; i++) {
            double x = Math.rint(r.nextDouble(-1, 1) * 1e4) / 1e4;
            int level = r.nextInt(levels.length);
            double expo = Math.rint(r.nextDouble(0.2, 1.0) * 1e3) / 1e3;
            double mean = expo * Math.exp(0.2 + 0.5 * x + 0.1 * level);
            int y = 0;
            for (double p = Math.exp(-mean), u = r.nextDouble(), c = p; u > c; c += p) { // Poisson by inversion
                y++;
                p *= mean / y;
            }
            csv.append(y).append(',').append(x).append(',').append(levels[level]).append(',').append(expo).append(',');
            if (i == hugeRow) {
                hugeFrom = csv.length();
                csv.append(huge);
            } else {
                csv.append("\"n,\n\"\"").append(i).append("\"\"\"");
            }
            csv.append('\n');
        }
        Path data = tmp.resolve("split.csv");
        Files.writeString(data, csv); // ASCII: chars are bytes
        Path specFile = tmp.resolve("spec.json");
        Files.writeString(specFile, "{\"model\": \"m\", \"response\": \"y\", \"family\": \"poisson\","
                + " \"exposure\": \"expo\", \"terms\": {\"x\": {\"type\": \"linear\"},"
                + " \"cat\": {\"type\": \"categorical\"}}}");

        // the replay's plan at parallelism 2: the nominal cut is inside the huge quoted field
        CsvSplits.Plan plan = CsvSplits.plan(data, 2, InMemoryPasses.CHUNK_ROWS);
        long nominal = plan.bodyStart() + (plan.length() - plan.bodyStart()) / 2;
        assertThat(nominal).isBetween(hugeFrom + 1, hugeFrom + huge.length() - 2);
        assertThat(huge.substring(0, (int) (nominal - hugeFrom))).contains("\n");
        assertThat(plan.splits().get(1).firstRecord()).isEqualTo(InMemoryPasses.CHUNK_ROWS);

        Path fitOut = tmp.resolve("fit.json");
        assertThat(StreamGlm.commandLine().execute("fit", "--data", data.toString(), "--spec", specFile.toString(),
                "--out", fitOut.toString(), "--quiet")).isZero();
        Path out = tmp.resolve("split-all.jsonl");
        long fitPath = UnitReader.FIT_PATH.get();
        long recordByRecord = UnitReader.RECORD_BY_RECORD.get();
        assertThat(replay("--data", data.toString(), "--spec", specFile.toString(), "--out", out.toString()))
                .isZero();
        // both splits were read by the fit path (none fell back to the record parser)
        assertThat(UnitReader.FIT_PATH.get() - fitPath).isEqualTo(2);
        assertThat(UnitReader.RECORD_BY_RECORD.get()).isEqualTo(recordByRecord);
        JsonNode fit = StreamTestData.JSON.readTree(Files.readString(fitOut));
        List<String> lines = Files.readAllLines(out);
        assertThat(lines).hasSize(1);
        JsonNode refit = StreamTestData.JSON.readTree(lines.get(0));
        assertThat(refit.get("rows").asLong()).isEqualTo(rows).isEqualTo(fit.get("n").asLong());
        assertThat(refit.get("iterations").asInt()).isEqualTo(fit.get("iterations").asInt());
        for (String field : List.of("deviance", "null_deviance", "aic", "dispersion")) {
            assertThat(refit.get(field)).as(field).isNotNull();
            assertThat(refit.get(field).asDouble()).as(field).isEqualTo(fit.get(field).asDouble());
        }
        assertThat(fit.get("coefficients").size()).isEqualTo(1 + 1 + levels.length - 1);
        fit.get("coefficients").fields().forEachRemaining(c -> {
            JsonNode mine = refit.get("coefficients").get(c.getKey());
            assertThat(mine).as(c.getKey()).isNotNull();
            for (String field : List.of("estimate", "std_error")) {
                assertThat(mine.get(field).asDouble()).as("%s %s", c.getKey(), field)
                        .isEqualTo(c.getValue().get(field).asDouble());
            }
        });
    }

    /**
     * A split with a record the fit path refuses is read record by record: the bad record is a dead letter and
     * the fit is {@code fit} on the file without it.
     */
    @Test
    void aSplitWithABadRecordGivesADeadLetterAndFitsTheRest() throws Exception {
        java.util.SplittableRandom r = new java.util.SplittableRandom(16);
        StringBuilder good = new StringBuilder("y,x,cat,expo\n");
        StringBuilder withBad = new StringBuilder(good);
        for (int i = 0; i < 2000; i++) {
            String line = r.nextInt(4) + "," + (Math.rint(r.nextDouble(-1, 1) * 1e4) / 1e4) + ","
                    + (i % 3 == 0 ? "\"a, b\"" : "plain") + "," + (0.5 + r.nextInt(5) / 10.0) + "\n";
            good.append(line);
            withBad.append(line);
            if (i == 1234) {
                withBad.append("1,oops,plain,0.5\n");
            }
        }
        Path goodFile = tmp.resolve("good.csv");
        Path badFile = tmp.resolve("bad.csv");
        Files.writeString(goodFile, good);
        Files.writeString(badFile, withBad);
        Path specFile = tmp.resolve("spec.json");
        Files.writeString(specFile, "{\"model\": \"m\", \"response\": \"y\", \"family\": \"poisson\","
                + " \"exposure\": \"expo\", \"terms\": {\"x\": {\"type\": \"linear\"},"
                + " \"cat\": {\"type\": \"categorical\", \"levels\": [\"a, b\", \"plain\"]}}}");
        // the spec declares the levels: the design is not fitted on the (bad) data
        Path out = tmp.resolve("bad-all.jsonl");
        Path dead = tmp.resolve("dead.jsonl");
        long recordByRecord = UnitReader.RECORD_BY_RECORD.get();
        assertThat(replay("--data", badFile.toString(), "--spec", specFile.toString(), "--out", out.toString(),
                "--dead-letters", dead.toString())).isZero();
        assertThat(UnitReader.RECORD_BY_RECORD.get() - recordByRecord).isEqualTo(1);
        List<String> deadLetters = Files.readAllLines(dead);
        assertThat(deadLetters).hasSize(1);
        assertThat(deadLetters.get(0)).contains("oops").contains("#0/1235");
        ModelSpec spec = SpecParser.parse(Files.readString(specFile), "spec");
        GlmResult fit = Fitting.fit(spec, CsvTableReader.read(goodFile, spec.numericColumnUsage(),
                spec.categoricalColumnUsage()), null).result();
        JsonNode refit = StreamTestData.JSON.readTree(Files.readAllLines(out).get(0));
        assertThat(refit.get("rows").asLong()).isEqualTo(2000);
        assertThat(refit.get("deviance").asDouble()).isEqualTo(fit.deviance());
        for (Coefficient c : fit.coefficients()) {
            assertThat(refit.get("coefficients").get(c.name()).get("estimate").asDouble()).as(c.name())
                    .isEqualTo(c.estimate());
        }
    }

    /** Families, links, weights, offsets, aliasing, splines and glm.nb's theta: replay all == fit, bit for bit. */
    @TestFactory
    Stream<DynamicTest> allEqualsFitOnReferenceCases() throws Exception {
        List<String> names = List.of("mtcars_gaussian", "quine_negbin", "birthwt_splines", "clotting_gamma_inverse",
                "tweedie_synthetic", "insurance_quasipoisson", "binomial_proportions_weights",
                "gaussian_aliased_linear", "negbinomial_ml_exposure", "inverse_gaussian_log", "poisson_offset");
        MiniCluster cluster = ReplayJob.startMiniCluster(2);
        StreamExecutionEnvironment env = ReplayJob.environment(cluster.getRestAddress().get(), 2);
        return names.stream().map(name -> DynamicTest.dynamicTest(name, () -> {
            Path dir = caseDir(name);
            ModelSpec spec = SpecParser.parse(Files.readString(dir.resolve("spec.json")), "spec");
            DataTable table = CsvTableReader.read(dir.resolve("data.csv"), spec.numericColumnUsage(),
                    spec.categoricalColumnUsage());
            GlmResult fit = Fitting.fit(spec, table, null).result();
            FittedDesign design = DesignBuilder.fit(spec, table, new ArrayList<>());
            ReplayJob.AllResult all = ReplayJob.all(env, new ReplayJob.Model(spec, design, "data", "m", null, null,
                    null), List.of(dir.resolve("data.csv").toString()), ReplayJob.Driver.local(0), n -> { });
            GlmResult r = all.result();
            assertThat(all.deadLetters()).isEmpty();
            assertThat(r.status()).isEqualTo(fit.status());
            assertThat(r.iterations()).isEqualTo(fit.iterations());
            assertThat(r.coefficients()).isEqualTo(fit.coefficients());
            assertThat(r.deviance()).isEqualTo(fit.deviance());
            assertThat(r.nullDeviance()).isEqualTo(fit.nullDeviance());
            assertThat(r.aic()).isEqualTo(fit.aic());
            assertThat(r.dispersion()).isEqualTo(fit.dispersion());
            assertThat(r.theta()).isEqualTo(fit.theta());
            assertThat(r.thetaSe()).isEqualTo(fit.thetaSe());
            assertThat(r.covariance()).isEqualTo(fit.covariance());
        })).onClose(() -> {
            try {
                cluster.close();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private static int replay(String... args) {
        List<String> all = new ArrayList<>(List.of("replay", "--no-progress", "--parallelism", "2"));
        all.addAll(List.of(args));
        return StreamGlm.commandLine().execute(all.toArray(String[]::new));
    }

    private static Path caseDir(String name) {
        Path project = Path.of(System.getProperty("streamglm.project.dir", "..")).resolve("reference/cases/" + name);
        return Files.isDirectory(project) ? project
                : Path.of(System.getProperty("streamglm.shared.dir", "../../shared")).resolve("reference/cases/" + name);
    }

    private static Map<String, JsonNode> byRefit(List<String> jsonLines) throws Exception {
        Map<String, JsonNode> out = new TreeMap<>();
        for (String line : jsonLines) {
            JsonNode n = StreamTestData.JSON.readTree(line);
            out.put(n.get("refit").asText(), n);
        }
        return out;
    }

    /** A refit record equal to {@code fit}'s result: rows, iterations, deviance, every estimate and error. */
    private static void assertEqualsFit(JsonNode refit, GlmResult fit) {
        assertThat(refit.get("rows").asLong()).isEqualTo(fit.rows());
        assertThat(refit.get("iterations").asInt()).isEqualTo(fit.iterations());
        assertThat(refit.get("deviance").asDouble()).isEqualTo(fit.deviance());
        for (Coefficient c : fit.coefficients()) {
            JsonNode mine = refit.get("coefficients").get(c.name());
            assertThat(mine.get("estimate").asDouble()).as(c.name()).isEqualTo(c.estimate());
            assertThat(mine.get("std_error").asDouble()).as(c.name()).isEqualTo(c.stdError());
        }
    }

    private static void assertSameFit(JsonNode replayed, JsonNode streamed) {
        String label = streamed.get("refit").asText();
        assertThat(replayed.get("rows")).as(label).isEqualTo(streamed.get("rows"));
        assertThat(replayed.get("window")).as(label).isEqualTo(streamed.get("window"));
        for (String field : List.of("coefficients", "deviance", "null_deviance", "aic", "iterations", "dispersion",
                "covariance_upper", "robust_se_HC0", "status")) {
            assertThat(replayed.get(field)).as("%s %s", label, field).isEqualTo(streamed.get(field));
        }
    }
}
