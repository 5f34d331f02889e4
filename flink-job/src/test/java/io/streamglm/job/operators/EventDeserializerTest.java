package io.streamglm.job.operators;

import io.streamglm.connectors.record.BadRecord;
import io.streamglm.connectors.record.EncodedRow;
import io.streamglm.connectors.record.RecordParser;
import io.streamglm.connectors.record.RowEncoding;
import io.streamglm.engine.design.DesignBuilder;
import io.streamglm.engine.design.FittedDesign;
import io.streamglm.engine.model.ModelFile;
import io.streamglm.engine.spec.ModelSpec;
import io.streamglm.engine.spec.SpecParser;
import io.streamglm.job.core.Event;
import io.streamglm.job.synthetic.SyntheticClaims;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The source's events are those of the full record path (RecordParser, then RowEncoding), whichever path the
 * deserializer takes: the same rows bit for bit, the same dead letters with the same reasons and details, for
 * the benchmark's records, their CSV lines, bad records of every kind and random bytes.
 */
class EventDeserializerTest {
    private static final ModelSpec SPEC = SpecParser.parse(SyntheticClaims.poissonSpecWithLevels()
            .replaceFirst("\\{", "{\"csv_header\": [\"ts\", \"x1\", \"x2\", \"x3\", \"x4\", \"x5\", \"x6\", \"x7\","
                    + " \"x8\", \"cat20\", \"cat50\", \"exposure\", \"claims\"],"), "spec");
    private static final FittedDesign DESIGN = DesignBuilder.freeze(SPEC);

    @Test
    void eventsAreThoseOfTheFullRecordPath() {
        EventDeserializer deserializer = new EventDeserializer(SpecParser.toJson(SPEC).toString(),
                ModelFile.designToJson(DESIGN), "m", "ts", null, 0);
        RecordParser parser = new RecordParser(SPEC, "ts", null);
        RowEncoding encoding = new RowEncoding(SPEC, "m", DESIGN);
        SyntheticClaims.Generator generator = new SyntheticClaims.Generator(3);
        SplittableRandom random = new SplittableRandom(5);
        List<byte[]> records = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            SyntheticClaims.Row row = generator.next();
            StringBuilder json = new StringBuilder("{\"ts\": ").append(1_700_000_000_000L + i);
            StringBuilder csv = new StringBuilder().append(1_700_000_000_000L + i);
            for (int j = 0; j < row.x().length; j++) {
                json.append(", \"x").append(j + 1).append("\": ").append(row.x()[j]);
                csv.append(',').append(row.x()[j]);
            }
            String a = SyntheticClaims.levelA(row.a());
            String b = i % 50 == 0 ? "b99" : SyntheticClaims.levelB(row.b()); // some levels never seen
            json.append(", \"cat20\": \"").append(a).append("\", \"cat50\": \"").append(b).append("\", \"exposure\": ")
                    .append(i % 70 == 0 ? 0 : row.exposure()).append(", \"claims\": ")
                    .append(i % 90 == 0 ? "null" : Integer.toString(row.claims())).append('}');
            csv.append(',').append(a).append(',').append(b).append(',').append(row.exposure()).append(',')
                    .append(i % 80 == 0 ? "NA" : Integer.toString(row.claims()));
            records.add(json.toString().getBytes(StandardCharsets.UTF_8));
            records.add(csv.toString().getBytes(StandardCharsets.UTF_8));
            byte[] junk = new byte[1 + random.nextInt(60)];
            random.nextBytes(junk);
            records.add(junk);
            byte[] cut = records.get(records.size() - 3);
            records.add(Arrays.copyOf(cut, random.nextInt(cut.length)));
        }
        int rows = 0;
        int dead = 0;
        for (int i = 0; i < records.size(); i++) {
            byte[] value = records.get(i);
            Event event = deserializer.toEvent(value, "in", 0, i, 7);
            RecordParser.Result parsed = parser.parse(value, 7);
            BadRecord bad = parsed.bad();
            EncodedRow row = null;
            if (bad == null) {
                RowEncoding.Result encoded = encoding.encode(parsed.record());
                bad = encoded.bad();
                row = encoded.row();
            }
            assertThat(event.original()).isSameAs(value);
            if (row != null) {
                rows++;
                assertThat(event.isRow()).as("record %d", i).isTrue();
                EncodedRow got = event.row();
                assertThat(got.model()).isEqualTo(row.model());
                assertThat(got.eventTime()).isEqualTo(row.eventTime());
                assertThat(new double[]{got.y(), got.weight(), got.offset()})
                        .isEqualTo(new double[]{row.y(), row.weight(), row.offset()});
                assertThat(got.idx()).isEqualTo(row.idx());
                assertThat(Arrays.stream(got.val()).mapToLong(Double::doubleToRawLongBits).toArray())
                        .isEqualTo(Arrays.stream(row.val()).mapToLong(Double::doubleToRawLongBits).toArray());
            } else {
                dead++;
                assertThat(event.isRow()).as("record %d", i).isFalse();
                assertThat(event.bad()).as("record %d", i).isEqualTo(bad);
            }
        }
        assertThat(rows).isGreaterThan(3000);
        assertThat(dead).isGreaterThan(4000);
    }
}
