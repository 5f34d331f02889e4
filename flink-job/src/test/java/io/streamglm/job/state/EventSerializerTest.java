package io.streamglm.job.state;

import io.streamglm.connectors.record.BadRecord;
import io.streamglm.connectors.record.EncodedRow;
import io.streamglm.job.core.Event;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class EventSerializerTest {

    private static Event row(String topic, String model, long offset) {
        return Event.row(new EncodedRow(model, 1000 + offset, 1.5, 2.0, -0.5, new int[] {0, 3}, new double[] {1, 7.25}),
                null, topic, 1, offset);
    }

    @Test
    void rowsAndDeadLettersRoundTripWithRepeatedAndChangingNames() throws Exception {
        List<Event> events = List.of(row("in", "", 0), row("in", "", 1), row("in", "région-ü", 2),
                row("in", "région-ü", 3), row("autre", "m\u0000x", 4), row("", "𝛽-model", 5),
                Event.deadLetter("{\"x\":1}".getBytes(), new BadRecord("bad_json", "détail"), "in", 0, 9, 77L),
                row("in", "", 6), row("in", "ab", 7), row("in", "ac", 8), row("in", "bc", 9), row("in", "bc", 10),
                row("in", "b", 11), row("on", "ab", 12));
        DataOutputSerializer out = new DataOutputSerializer(256);
        for (Event e : events) {
            EventSerializer.INSTANCE.serialize(e, out);
        }
        DataInputDeserializer in = new DataInputDeserializer(out.getCopyOfBuffer());
        List<Event> read = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            read.add(EventSerializer.INSTANCE.deserialize(in));
        }
        for (int i = 0; i < events.size(); i++) {
            Event a = events.get(i);
            Event b = read.get(i);
            assertThat(b.topic()).isEqualTo(a.topic());
            assertThat(b.offset()).isEqualTo(a.offset());
            assertThat(b.timestamp()).isEqualTo(a.timestamp());
            if (a.isRow()) {
                assertThat(b.row().model()).isEqualTo(a.row().model());
                assertThat(b.row().idx()).containsExactly(a.row().idx());
                assertThat(b.row().val()).containsExactly(a.row().val());
                assertThat(b.row().y()).isEqualTo(a.row().y());
            } else {
                assertThat(b.bad()).isEqualTo(a.bad());
                assertThat(b.original()).containsExactly(a.original());
            }
        }
        // Repeated names come back as the same String, not a new decode each.
        assertThat(read.get(1).row().model()).isSameAs(read.get(0).row().model());
        assertThat(read.get(3).row().model()).isSameAs(read.get(2).row().model());
        // Names of one length that differ at their first or a later byte are told apart.
        assertThat(read.subList(8, 14).stream().map(e -> e.row().model()).toList())
                .containsExactly("ab", "ac", "bc", "bc", "b", "ab");
        assertThat(read.get(11).row().model()).isSameAs(read.get(10).row().model());
    }

    @Test
    void theNamesAreWrittenAsDataOutputWriteUtf() throws Exception {
        DataOutputSerializer out = new DataOutputSerializer(64);
        EventSerializer.INSTANCE.serialize(row("tö", "m", 3), out);
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        DataOutputStream data = new DataOutputStream(expected);
        data.writeByte(1);
        data.writeByte(1);
        data.writeUTF("tö");
        assertThat(out.getCopyOfBuffer()).startsWith(expected.toByteArray());
    }

    @Test
    void repeatedAndChangingNamesAreWrittenAsWriteUtfWritesThem() throws Exception {
        String[][] names = {{"in", "m"}, {"in", "m"}, {new String("in"), new String("m")}, {"tö", "région-ü"},
                {"tö", "région-ü"}, {"in", "m\u0000x"}, {"", "𝛽-model"}, {"in", ""}, {"in", "m"}};
        for (String[] n : names) {
            DataOutputSerializer out = new DataOutputSerializer(64);
            EventSerializer.INSTANCE.serialize(row(n[0], n[1], 3), out);
            ByteArrayOutputStream expected = new ByteArrayOutputStream();
            DataOutputStream data = new DataOutputStream(expected);
            data.writeByte(1);
            data.writeByte(1);
            data.writeUTF(n[0]);
            data.writeInt(1);
            data.writeLong(3);
            data.writeLong(row(n[0], n[1], 3).timestamp());
            data.writeInt(-1);
            data.writeUTF(n[1]);
            assertThat(out.getCopyOfBuffer()).as("%s / %s", n[0], n[1]).startsWith(expected.toByteArray());
        }
    }

    @Test
    void aJavaSerializedCopyIsTheSingleton() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream o = new ObjectOutputStream(bytes)) {
            o.writeObject(EventSerializer.INSTANCE);
        }
        try (ObjectInputStream i = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            assertThat(i.readObject()).isSameAs(EventSerializer.INSTANCE);
        }
    }
}
