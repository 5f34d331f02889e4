package io.streamglm.job.stream;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamglm.connectors.kafka.EmbeddedKafka;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import io.streamglm.connectors.kafka.DeliveryCheck;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/** A real broker for a test class, and helpers to write records and read them back with read_committed. */
final class KafkaTestSupport implements AutoCloseable {
    private static KafkaTestSupport shared;
    final EmbeddedKafka kafka;

    private KafkaTestSupport() {
        kafka = EmbeddedKafka.start();
    }

    /** One broker for all tests in this JVM (started on first use, stopped at exit). */
    static synchronized KafkaTestSupport get() {
        if (shared == null) {
            shared = new KafkaTestSupport();
            Runtime.getRuntime().addShutdownHook(new Thread(shared::close));
        }
        return shared;
    }

    /** A broker of its own, for a test that restarts it; the caller closes it. */
    static KafkaTestSupport dedicated() {
        return new KafkaTestSupport();
    }

    String bootstrap() {
        return kafka.bootstrapServers();
    }

    void topics(String... names) {
        kafka.createTopics(1, names);
    }

    /**
     * Fresh topics for one test: an input holding these rows as JSON records, then one topic per prefix, each
     * named prefix-random and created on the broker. The input is element 0.
     */
    String[] topicsWithRows(List<StreamTestData.Row> rows, String... prefixes) {
        String[] names = new String[prefixes.length + 1];
        names[0] = StreamTestJobs.unique("in");
        for (int i = 0; i < prefixes.length; i++) {
            names[i + 1] = StreamTestJobs.unique(prefixes[i]);
        }
        topics(names);
        send(names[0], rows.stream().map(StreamTestData.Row::json).toList());
        return names;
    }

    /**
     * Sends the values in order and checks that every one arrived. One request in flight and generous timeouts:
     * on a loaded 2-core machine a timed-out batch of an idempotent producer was once rejected by the broker as
     * out of sequence over and over, and the records never arrived.
     */
    void send(String topic, List<byte[]> values) {
        DeliveryCheck delivery = new DeliveryCheck();
        try (var producer = new KafkaProducer<>(Map.<String, Object>of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap(),
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true, ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1,
                ProducerConfig.LINGER_MS_CONFIG, 10, ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 120_000,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 300_000), new ByteArraySerializer(), new ByteArraySerializer())) {
            for (byte[] v : values) {
                producer.send(new ProducerRecord<>(topic, v), delivery);
            }
            producer.flush();
        }
        delivery.throwIfFailed("test topic " + topic);
    }

    /** Every committed record of a topic (read_committed), waiting up to {@code timeout} for at least {@code min}. */
    List<ConsumerRecord<byte[], byte[]>> readAll(String topic, int min, Duration timeout) {
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        try (var consumer = new KafkaConsumer<>(Map.<String, Object>of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed", ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            TopicPartition tp = new TopicPartition(topic, 0);
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            long deadline = System.currentTimeMillis() + timeout.toMillis();
            long end = consumer.endOffsets(List.of(tp)).get(tp);
            while (System.currentTimeMillis() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(out::add);
                end = consumer.endOffsets(List.of(tp)).get(tp);
                if (out.size() >= min && consumer.position(tp) >= end) {
                    break;
                }
            }
        }
        return out;
    }

    /** Output records by model and refit id, as JSON text; fails on a duplicate. */
    Map<String, String> refitOutputs(String topic, int expected) {
        Map<String, String> out = new TreeMap<>();
        for (ConsumerRecord<byte[], byte[]> r : readAll(topic, expected, Duration.ofSeconds(30))) {
            String json = new String(r.value(), StandardCharsets.UTF_8);
            try {
                JsonNode n = StreamTestData.JSON.readTree(json);
                String id = n.get("model").asText() + " " + n.get("refit").asText();
                assertThat(out.put(id, json)).as("duplicate output %s", id).isNull();
            } catch (java.io.IOException e) {
                throw new AssertionError(e);
            }
        }
        return out;
    }

    @Override public void close() {
        kafka.close();
    }
}
