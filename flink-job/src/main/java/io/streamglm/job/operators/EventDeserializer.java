package io.streamglm.job.operators;

import io.streamglm.connectors.record.BadRecord;
import io.streamglm.connectors.record.EncodedRow;
import io.streamglm.connectors.record.RecordReader;
import io.streamglm.connectors.record.RecordParser;
import io.streamglm.connectors.record.RowEncoding;
import io.streamglm.engine.design.FittedDesign;
import io.streamglm.engine.model.ModelFile;
import io.streamglm.engine.spec.ModelSpec;
import io.streamglm.engine.spec.SpecParser;
import io.streamglm.job.core.Event;
import io.streamglm.job.state.SerializerTypeInfo;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Reads Kafka records into {@link Event}s at the source: parses the JSON against the spec and encodes it with the
 * frozen design, so bad records become dead letters before anything is keyed and the source can take event times
 * (and watermarks) per partition. A thin adapter over {@link RecordReader} (the bytes straight into a row) and,
 * for the records it leaves, {@link RecordParser} and {@link RowEncoding}, which give their rows or dead letters.
 */
public final class EventDeserializer implements KafkaRecordDeserializationSchema<Event> {
    private static final long serialVersionUID = 1L;
    private final String specJson;
    private final String designJson;
    private final String modelName;
    private final String timeField;
    private final String keyField;
    private final long maxTimeSkewMillis;
    private transient RecordParser parser;
    private transient RowEncoding encoding;
    private transient RecordReader reader;
    private transient org.apache.flink.metrics.Counter recordsIn;

    /**
     * @param maxTimeSkewMillis rows more than this ahead of the wall clock become {@code time_out_of_range} dead
     *                          letters (0: no limit): one such row would move event time past every open window
     */
    public EventDeserializer(String specJson, String designJson, String modelName, String timeField, String keyField,
                             long maxTimeSkewMillis) {
        this.maxTimeSkewMillis = maxTimeSkewMillis;
        this.specJson = specJson;
        this.designJson = designJson;
        this.modelName = modelName;
        this.timeField = timeField;
        this.keyField = keyField;
    }

    @Override public void open(DeserializationSchema.InitializationContext context) {
        init();
        recordsIn = JobMetrics.group(context.getMetricGroup(), modelName).counter("records_in");
    }

    private void init() {
        ModelSpec spec = SpecParser.parse(specJson, "spec");
        parser = new RecordParser(spec, timeField, keyField);
        FittedDesign design = ModelFile.designFromJson(designJson);
        encoding = new RowEncoding(spec, modelName, design);
        reader = new RecordReader(spec, timeField, keyField, design, encoding);
    }

    @Override public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<Event> out) {
        if (parser == null) {
            init();
        }
        if (recordsIn != null) {
            recordsIn.inc();
        }
        out.collect(toEvent(record.value(), record.topic(), record.partition(), record.offset(), record.timestamp()));
    }

    /** The event for one record's bytes. */
    public Event toEvent(byte[] value, String topic, int partition, long offset, long timestamp) {
        if (parser == null) {
            init();
        }
        EncodedRow row = reader.read(value, timestamp);
        if (row == null) { // a bad or unusual record: the full parser gives its row or its reason
            RecordParser.Result parsed = parser.parse(value, timestamp);
            if (parsed.bad() != null) {
                return Event.deadLetter(value, parsed.bad(), topic, partition, offset, timestamp);
            }
            RowEncoding.Result encoded = encoding.encode(parsed.record());
            if (encoded.bad() != null) {
                return Event.deadLetter(value, encoded.bad(), topic, partition, offset, timestamp);
            }
            row = encoded.row();
        }
        long eventTime = row.eventTime();
        if (maxTimeSkewMillis > 0 && eventTime > System.currentTimeMillis() + maxTimeSkewMillis) {
            return Event.deadLetter(value, new BadRecord(BadRecord.TIME_OUT_OF_RANGE, "event time "
                    + java.time.Instant.ofEpochMilli(eventTime) + " is more than " + maxTimeSkewMillis / 1000
                    + " s ahead of this machine's clock: fix the record's time, or raise --max-time-skew"),
                    topic, partition, offset, timestamp);
        }
        return Event.row(row, value, topic, partition, offset);
    }

    @Override public TypeInformation<Event> getProducedType() {
        return SerializerTypeInfo.EVENT;
    }
}
