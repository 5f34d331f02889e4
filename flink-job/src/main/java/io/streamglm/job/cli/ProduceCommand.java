package io.streamglm.job.cli;

import io.streamglm.connectors.kafka.CsvToJson;
import io.streamglm.connectors.kafka.DeliveryCheck;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code streamglm produce}: sends a CSV file's rows to a topic as JSON records (or as CSV lines). */
@Command(name = "produce", mixinStandardHelpOptions = true,
        description = "Send a CSV file's rows to Kafka as JSON records (or CSV lines with --format csv).")
public final class ProduceCommand implements Callable<Integer> {
    @Option(names = "--bootstrap-servers", required = true, description = "Kafka bootstrap servers, host:port")
    String bootstrapServers;

    @Option(names = "--topic", required = true, description = "topic to write")
    String topic;

    @Option(names = "--data", required = true, description = "CSV file with a header row")
    Path data;

    @Option(names = "--rate", description = "records per second (default: as fast as possible)")
    Double rate;

    @Option(names = "--time-field", description = "use this column (epoch ms or ISO-8601) as the record timestamp")
    String timeField;

    @Option(names = "--key-field", description = "use this column as the record key")
    String keyField;

    @Option(names = "--format", defaultValue = "json",
            description = "json (one object per row) or csv (the row as a CSV line; the spec needs the file's header as"
                    + " \"csv_header\")")
    String format;

    @Override public Integer call() throws Exception {
        if (rate != null && !(rate > 0)) {
            throw new UsageException("--rate must be > 0");
        }
        if (!format.equals("json") && !format.equals("csv")) {
            throw new UsageException("--format " + format + ": use json or csv");
        }
        Map<String, Object> config = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true, ProducerConfig.LINGER_MS_CONFIG, 5);
        long start = System.nanoTime();
        long[] sent = {0};
        DeliveryCheck delivery = new DeliveryCheck();
        try (var producer = new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer())) {
            CsvToJson.forEach(data, timeField, keyField, format.equals("csv"), (key, timestamp, json) -> {
                producer.send(new ProducerRecord<>(topic, null, timestamp, key, json), delivery);
                sent[0]++;
                if (rate != null) {
                    long due = start + (long) (sent[0] / rate * 1e9);
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        try {
                            Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }
                }
            });
            producer.flush();
        }
        delivery.throwIfFailed("topic " + topic);
        System.err.printf("sent %d records to %s in %.1f s%n", sent[0], topic, (System.nanoTime() - start) / 1e9);
        return 0;
    }
}
