package io.streamglm.job.sql;

import org.junit.jupiter.api.Test;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamglm.connectors.csv.CsvTableReader;
import io.streamglm.engine.data.DataTable;
import io.streamglm.engine.fit.Fitting;
import io.streamglm.engine.model.EngineVersion;
import io.streamglm.engine.model.ModelFile;
import io.streamglm.engine.model.Provenance;
import io.streamglm.engine.model.Scorer;
import io.streamglm.engine.spec.ModelSpec;
import io.streamglm.engine.spec.SpecParser;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.types.Row;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * For every reference case: GLM_PREDICT in Flink SQL equals the engine's {@code score} predictions on every row
 * and R's fitted values ({@code fitted_head}) on the first five.
 */
class SqlScoringITCase {
    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    private static SqlSession session;

    @BeforeAll
    static void session() {
        TableEnvironment tEnv = TableEnvironment.create(EnvironmentSettings.inBatchMode());
        tEnv.getConfig().set("table.exec.resource.default-parallelism", "1"); // keeps the file's row order
        session = new SqlSession(tEnv);
    }

    @AfterAll
    static void close() {
        session.close();
    }

    static List<Path> cases() throws Exception {
        List<Path> out = new ArrayList<>();
        Path project = Path.of(System.getProperty("streamglm.project.dir", "..")).resolve("reference/cases");
        Path shared = Path.of(System.getProperty("streamglm.shared.dir", "../../shared")).resolve("reference/cases");
        for (Path root : List.of(shared, project)) {
            try (Stream<Path> dirs = Files.list(root)) {
                dirs.filter(d -> Files.exists(d.resolve("expected.json"))).sorted()
                        .filter(d -> !d.getFileName().toString().contains("100k")) // keep the suite quick
                        .forEach(out::add);
            }
        }
        return out;
    }

    /** One case's model, data, scorer and the positional arguments of its GLM_PREDICT call. */
    record Case(String name, Path dir, DataTable data, Scorer scorer, String arguments) {
    }

    /**
     * All cases are scored by one query (a UNION ALL of one SELECT per case, each tagged with its case name):
     * one Flink job instead of sixty. Within a case rows keep the file's order (parallelism 1).
     */
    @TestFactory
    Stream<DynamicTest> sqlEqualsScoreAndR() throws Exception {
        List<Case> cases = new ArrayList<>();
        for (Path dir : cases()) {
            cases.add(prepare(dir));
        }
        StringBuilder query = new StringBuilder();
        for (Case c : cases) {
            query.append(query.isEmpty() ? "" : " UNION ALL ").append("SELECT '").append(c.name())
                    .append("' AS k, GLM_PREDICT('").append(c.name()).append("'").append(c.arguments())
                    .append(") AS mu FROM `").append(c.name()).append("_data`");
        }
        Map<String, List<Double>> sql = new LinkedHashMap<>();
        try (CloseableIterator<Row> it = session.execute(query.toString()).collect()) {
            it.forEachRemaining(r -> sql.computeIfAbsent((String) r.getField(0), k -> new ArrayList<>())
                    .add((Double) r.getField(1)));
        }
        return cases.stream().map(c -> DynamicTest.dynamicTest(c.dir().getFileName().toString(),
                () -> check(c, sql.getOrDefault(c.name(), List.of()))));
    }

    private static Case prepare(Path dir) throws Exception {
        Case c = load(dir);
        session.registerCsv(c.name() + "_data", dir.resolve("data.csv"));
        return c;
    }

    /** A case's model fitted, written and registered by name, and its scorer. */
    private static Case load(Path dir) throws Exception {
        String name = "m_" + dir.getFileName().toString().replaceAll("[^A-Za-z0-9_]", "_");
        ModelSpec spec = SpecParser.parse(Files.readString(dir.resolve("spec.json")), "spec");
        DataTable data = CsvTableReader.read(dir.resolve("data.csv"), spec.numericColumnUsage(),
                spec.categoricalColumnUsage());
        Fitting.Output fit = Fitting.fit(spec, data, null);
        Path modelFile = Files.createTempFile(name, ".json");
        Files.writeString(modelFile, ModelFile.toJson(spec, fit.design(), fit.result(), new Provenance("fit",
                ModelFile.specSha256(spec), EngineVersion.get(), dir.toString(), fit.rows(), "test")).toString());
        ModelRegistry.register(name, modelFile.toString());
        Scorer scorer = new Scorer(ModelFile.read(Files.readString(modelFile), "model"));
        StringBuilder args = new StringBuilder();
        for (String c : scorer.positionalColumns()) {
            args.append(", `").append(c).append('`');
        }
        return new Case(name, dir, data, scorer, args.toString());
    }

    private static void check(Case c, List<Double> sql) throws Exception {
        DataTable data = c.data();
        assertThat(sql).hasSize(data.rows());
        JsonNode expected = new ObjectMapper().readTree(c.dir().resolve("expected.json").toFile());
        JsonNode head = expected.get("fitted_head");
        for (int i = 0; i < head.size(); i++) {
            assertThat(sql.get(i)).as("row %d against R", i + 1)
                    .isCloseTo(head.get(i).asDouble(), within(1e-6 * Math.abs(head.get(i).asDouble()) + 1e-12));
        }
        for (int i = 0; i < data.rows(); i++) {
            int row = i;
            Scorer.Prediction p = c.scorer().predict(new io.streamglm.engine.design.RecordValues() {
                @Override public double number(String column) {
                    return data.numericColumns().contains(column) ? data.numeric(column)[row] : Double.NaN;
                }

                @Override public String text(String column) {
                    return data.categorical(column).value(row);
                }
            });
            assertThat(sql.get(i)).as("row %d against score", i + 1).isEqualTo(p.mean());
        }
    }

    /** The functions registered by DDL from the job jar's classes, as a user's SQL client would. */
    @Test
    void functionsRegisteredWithCreateFunctionScoreRows() throws Exception {
        Case c = load(cases().stream().filter(d -> d.getFileName().toString().equals("mtcars_gaussian"))
                .findFirst().orElseThrow());
        TableEnvironment tEnv = TableEnvironment.create(EnvironmentSettings.inBatchMode());
        new SqlSession(tEnv).registerCsv("cars", c.dir().resolve("data.csv")); // also registers GLM_PREDICT
        tEnv.executeSql("CREATE TEMPORARY SYSTEM FUNCTION predict_ddl AS 'io.streamglm.job.sql.GlmPredict'");
        tEnv.executeSql("CREATE FUNCTION link_ddl AS 'io.streamglm.job.sql.GlmLink'");
        tEnv.executeSql("CREATE TEMPORARY FUNCTION interval_ddl AS 'io.streamglm.job.sql.GlmPredictInterval'");
        String call = "('" + c.name() + "'" + c.arguments() + ")";
        String sql = "SELECT GLM_PREDICT" + call + ", predict_ddl" + call + ", link_ddl" + call + ", interval_ddl" + call
                + ".upper95 FROM cars";
        List<Row> rows = new ArrayList<>();
        try (var it = tEnv.executeSql(sql).collect()) {
            it.forEachRemaining(rows::add);
        }
        assertThat(rows).hasSize(c.data().rows());
        for (Row r : rows) {
            double mean = (Double) r.getField(0);
            assertThat((Double) r.getField(1)).isEqualTo(mean);
            assertThat((Double) r.getField(2)).isCloseTo(mean, within(1e-12 * Math.abs(mean))); // identity link
            assertThat((Double) r.getField(3)).isGreaterThan(mean);
        }
    }
}
