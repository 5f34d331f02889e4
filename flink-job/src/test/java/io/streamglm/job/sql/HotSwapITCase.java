package io.streamglm.job.sql;

import io.streamglm.connectors.kafka.EmbeddedKafka;
import io.streamglm.engine.model.RefitRecord;
import io.streamglm.engine.data.CategoricalColumn;
import io.streamglm.engine.data.DataTable;
import io.streamglm.engine.fit.Fitting;
import io.streamglm.engine.spec.ModelSpec;
import io.streamglm.engine.spec.SpecParser;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.api.TableResult;
import org.apache.flink.table.api.bridge.java.StreamTableEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.types.Row;
import org.apache.flink.util.CloseableIterator;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With a real broker: a running streaming query scores rows with the newest converged refit of the model log,
 * and switches to a newer refit when it is published, without restarting; the output says which refit scored
 * each row.
 */
class HotSwapITCase {
    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    private static final String SPEC = "{\"model\": \"m\", \"response\": \"y\", \"family\": \"poisson\", \"terms\": {"
            + "\"x1\": {\"type\": \"linear\"}, \"g\": {\"type\": \"categorical\", \"levels\": [\"a\", \"b\"]}}}";

    /** A refit record of a fit to data whose true x1 slope is {@code slope}. */
    private static String refit(String id, double slope) {
        SplittableRandom r = new SplittableRandom(id.hashCode());
        int n = 500;
        double[] x1 = new double[n];
        double[] y = new double[n];
        int[] g = new int[n];
        for (int i = 0; i < n; i++) {
            x1[i] = r.nextDouble(-1, 1);
            g[i] = i % 2;
            double mu = Math.exp(0.5 + slope * x1[i] + 0.2 * g[i]);
            int k = 0;
            double l = Math.exp(-mu);
            double p = r.nextDouble();
            while (p > l) {
                k++;
                p *= r.nextDouble();
            }
            y[i] = k;
        }
        Map<String, double[]> num = new LinkedHashMap<>();
        num.put("x1", x1);
        num.put("y", y);
        DataTable t = new DataTable("t", n, num, Map.of("g", new CategoricalColumn(g, List.of("a", "b"))),
                List.of("x1", "y", "g"));
        ModelSpec spec = SpecParser.parse(SPEC, null);
        Fitting.Output fit = Fitting.fit(spec, t, null);
        var json = RefitRecord.toJson("m", id, "count", null, null, n, "exact", fit.result(),
                Map.of("spec_sha256", "test", "engine_version", "test", "input", "test"));
        RefitRecord.addModel(json, spec, fit.design(), fit.result());
        return json.toString();
    }

    @Test
    void aRunningQuerySwitchesToTheNewestRefit() throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            kafka.createTopics(1, "models", "rows");
            var producer = new KafkaProducer<>(Map.<String, Object>of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                    kafka.bootstrapServers()), new StringSerializer(), new StringSerializer());
            producer.send(new ProducerRecord<>("models", "m", refit("count:1", 0.2))).get();
            ModelRegistry.register("live", "kafka://" + kafka.bootstrapServers() + "/models/m");

            StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
            env.setParallelism(1);
            StreamTableEnvironment tEnv = StreamTableEnvironment.create(env);
            SqlSession.registerFunctions(tEnv);
            tEnv.executeSql("CREATE TABLE rows_in (id BIGINT, x1 DOUBLE, g STRING) WITH ('connector' = 'kafka',"
                    + " 'topic' = 'rows', 'properties.bootstrap.servers' = '" + kafka.bootstrapServers() + "',"
                    + " 'properties.group.id' = 'hot-swap', 'scan.startup.mode' = 'earliest-offset', 'format' = 'json')");
            TableResult result = tEnv.executeSql("SELECT id, GLM_PREDICT('live', x1, g) AS mu,"
                    + " GLM_PREDICT_INTERVAL('live', x1, g).refit AS refit FROM rows_in");
            try (CloseableIterator<Row> it = result.collect()) {
                for (int i = 0; i < 5; i++) {
                    producer.send(new ProducerRecord<>("rows", "{\"id\": " + i + ", \"x1\": 0.5, \"g\": \"b\"}")).get();
                }
                Map<Long, String> refitOf = new LinkedHashMap<>();
                Map<Long, Double> muOf = new LinkedHashMap<>();
                while (refitOf.size() < 5) {
                    Row r = it.next();
                    refitOf.put((Long) r.getField(0), (String) r.getField(2));
                    muOf.put((Long) r.getField(0), (Double) r.getField(1));
                }
                assertThat(refitOf.values()).containsOnly("count:1");

                producer.send(new ProducerRecord<>("models", "m", refit("count:2", 1.5))).get();
                Thread.sleep(3000); // the model log follows the topic in the background
                for (int i = 5; i < 10; i++) {
                    producer.send(new ProducerRecord<>("rows", "{\"id\": " + i + ", \"x1\": 0.5, \"g\": \"b\"}")).get();
                }
                while (refitOf.size() < 10) {
                    Row r = it.next();
                    refitOf.put((Long) r.getField(0), (String) r.getField(2));
                    muOf.put((Long) r.getField(0), (Double) r.getField(1));
                }
                for (long id = 5; id < 10; id++) {
                    assertThat(refitOf.get(id)).as("row %d", id).isEqualTo("count:2");
                    assertThat(muOf.get(id)).isGreaterThan(muOf.get(0L)); // the steeper slope raises the mean at x1 = 0.5
                }
                result.getJobClient().orElseThrow().cancel().get();
            } finally {
                producer.close();
            }
        }
    }
}
