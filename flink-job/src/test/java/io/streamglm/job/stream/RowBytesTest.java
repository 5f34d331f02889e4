package io.streamglm.job.stream;

import io.streamglm.connectors.record.BadRecord;
import io.streamglm.connectors.record.EncodedRow;
import io.streamglm.job.core.Event;
import io.streamglm.job.core.WindowSpec;
import io.streamglm.job.state.EventSerializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Rows reach the refit operator without their original bytes only where no row can become a late dead letter
 * (count and global windows); the row itself, its source position and every dead letter stay as they were.
 */
class RowBytesTest {
    private static final byte[] BYTES = "{\"y\": 1, \"x\": 2.5}".getBytes(StandardCharsets.UTF_8);

    @Test
    void onlyEventTimeWindowsKeepTheBytesOfRows() {
        assertThat(StreamJob.rowsCanBeLate(WindowSpec.parse("tumbling:1h"))).isTrue();
        assertThat(StreamJob.rowsCanBeLate(WindowSpec.parse("sliding:24h/1h"))).isTrue();
        assertThat(StreamJob.rowsCanBeLate(WindowSpec.parse("count:1000"))).isFalse();
        assertThat(StreamJob.rowsCanBeLate(WindowSpec.parse("global"))).isFalse();
    }

    @Test
    void aRowWithoutItsBytesKeepsTheRowAndItsSourcePositionAndCostsLess() throws Exception {
        EncodedRow row = new EncodedRow("m", 1_000L, 1.0, 1.0, 0.0, new int[]{0, 3}, new double[]{1.0, 2.5});
        Event e = Event.row(row, BYTES, "in", 1, 42L);
        Event lean = e.withoutOriginal();
        assertThat(lean.original()).isNull();
        assertThat(lean.row()).isSameAs(row);
        assertThat(lean.topic()).isEqualTo("in");
        assertThat(lean.partition()).isEqualTo(1);
        assertThat(lean.offset()).isEqualTo(42L);
        assertThat(lean.timestamp()).isEqualTo(e.timestamp());
        assertThat(serialized(lean)).isEqualTo(serialized(e) - BYTES.length);
    }

    @Test
    void deadLettersKeepTheirBytes() {
        Event bad = Event.deadLetter(BYTES, new BadRecord("malformed", "not JSON"), "in", 0, 7L, 5L);
        assertThat(bad.withoutOriginal()).isSameAs(bad);
    }

    private static int serialized(Event e) throws Exception {
        DataOutputSerializer out = new DataOutputSerializer(256);
        EventSerializer.INSTANCE.serialize(e, out);
        return out.length();
    }
}
