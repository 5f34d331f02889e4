package io.streamglm.job.operators;

import io.streamglm.connectors.record.RecordParser;
import io.streamglm.connectors.record.RowEncoding;
import io.streamglm.engine.model.ModelFile;
import io.streamglm.engine.spec.ModelSpec;
import io.streamglm.engine.spec.SpecParser;
import io.streamglm.job.state.SerializerTypeInfo;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Reads Kafka records into {@link Event}s at the source: parses the JSON against the spec and encodes it with the
 * frozen design, so bad records become dead letters before anything is keyed and the source can take event times
 * (and watermarks) per partition. A thin adapter over {@link RecordParser} and {@link RowEncoding}.
 */
public final class EventDeserializer implements KafkaRecordDeserializationSchema<Event> {
    private static final long serialVersionUID = 1L;
    private final String specJson;
    private final String designJson;
    private final String modelName;
    private final String timeField;
    private final String keyField;
    private transient RecordParser parser;
    private transient RowEncoding encoding;

    public EventDeserializer(String specJson, String designJson, String modelName, String timeField, String keyField) {
        this.specJson = specJson;
        this.designJson = designJson;
        this.modelName = modelName;
        this.timeField = timeField;
        this.keyField = keyField;
    }

    @Override public void open(DeserializationSchema.InitializationContext context) {
        init();
    }

    private void init() {
        ModelSpec spec = SpecParser.parse(specJson, "spec");
        parser = new RecordParser(spec, timeField, keyField);
        encoding = new RowEncoding(spec, modelName, ModelFile.designFromJson(designJson));
    }

    @Override public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<Event> out) {
        if (parser == null) {
            init();
        }
        out.collect(toEvent(record.value(), record.topic(), record.partition(), record.offset(), record.timestamp()));
    }

    /** The event for one record's bytes. */
    public Event toEvent(byte[] value, String topic, int partition, long offset, long timestamp) {
        if (parser == null) {
            init();
        }
        RecordParser.Result parsed = parser.parse(value, timestamp);
        if (parsed.bad() != null) {
            return Event.deadLetter(value, parsed.bad(), topic, partition, offset, timestamp);
        }
        RowEncoding.Result encoded = encoding.encode(parsed.record());
        if (encoded.bad() != null) {
            return Event.deadLetter(value, encoded.bad(), topic, partition, offset, timestamp);
        }
        return Event.row(encoded.row(), value, topic, partition, offset);
    }

    @Override public TypeInformation<Event> getProducedType() {
        return SerializerTypeInfo.EVENT;
    }
}
