package io.streamglm.job.operators;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads control-topic records such as {@code {"model": "freq", "refit": "now"}} or {@code "last:7d"}; a command
 * that cannot be read is logged and skipped (it must never stop the job).
 */
public final class ControlDeserializer implements KafkaRecordDeserializationSchema<ControlCommand> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(ControlDeserializer.class);
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Override public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<ControlCommand> out) {
        String id = record.topic() + "/" + record.partition() + "/" + record.offset();
        try {
            JsonNode node = MAPPER.readTree(record.value());
            String model = node.path("model").asText("");
            String refit = node.path("refit").asText("now");
            if (model.isEmpty() || !(refit.equals("now") || refit.startsWith("last:"))) {
                LOG.warn("control record {} skipped: needs \"model\" and \"refit\": \"now\" or \"last:7d\"", id);
                return;
            }
            if (refit.startsWith("last:")) {
                io.streamglm.job.core.WindowSpec.duration(refit.substring(5));
            }
            out.collect(new ControlCommand(model, refit, id));
        } catch (Exception e) {
            LOG.warn("control record {} skipped: {}", id, e.getMessage());
        }
    }

    @Override public TypeInformation<ControlCommand> getProducedType() {
        return TypeInformation.of(ControlCommand.class);
    }
}
