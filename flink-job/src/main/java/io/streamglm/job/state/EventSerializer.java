package io.streamglm.job.state;

import io.streamglm.connectors.record.BadRecord;
import io.streamglm.connectors.record.EncodedRow;
import io.streamglm.job.core.Event;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

import java.io.IOException;

/**
 * Serializer of {@link Event}s between operators (and in checkpointed buffers of the network stack).
 *
 * <p>Layout, serial version 1: version byte; kind byte (1 row, 2 dead letter); topic UTF, partition int, offset
 * long, timestamp long; original bytes (int length, -1 for none); a row: model UTF, time long, y, weight, offset
 * doubles, count int, count * (int index, double value); a dead letter: reason UTF, detail UTF.
 */
public final class EventSerializer extends RecordSerializer.OfImmutable<Event> {
    private static final long serialVersionUID = 1L;
    public static final EventSerializer INSTANCE = new EventSerializer();
    private static final byte VERSION = 1;
    private final transient RepeatedUtf topics = new RepeatedUtf();
    private final transient RepeatedUtf models = new RepeatedUtf();

    /** The job graph ships serializers Java-serialized; each JVM uses its own instance, with its string caches. */
    private Object readResolve() {
        return INSTANCE;
    }

    @Override public int formatVersion() {
        return VERSION;
    }

    @Override public void serialize(Event e, DataOutputView out) throws IOException {
        out.writeByte(VERSION);
        out.writeByte(e.isRow() ? 1 : 2);
        topics.write(out, e.topic() == null ? "" : e.topic());
        out.writeInt(e.partition());
        out.writeLong(e.offset());
        out.writeLong(e.timestamp());
        byte[] original = e.original();
        out.writeInt(original == null ? -1 : original.length);
        if (original != null) {
            out.write(original);
        }
        if (e.isRow()) {
            EncodedRow r = e.row();
            models.write(out, r.model());
            out.writeLong(r.eventTime());
            out.writeDouble(r.y());
            out.writeDouble(r.weight());
            out.writeDouble(r.offset());
            out.writeInt(r.idx().length);
            for (int k = 0; k < r.idx().length; k++) {
                out.writeInt(r.idx()[k]);
                out.writeDouble(r.val()[k]);
            }
        } else {
            out.writeUTF(e.bad().reason());
            out.writeUTF(truncate(e.bad().detail()));
        }
    }

    private static String truncate(String s) {
        return s.length() > 8000 ? s.substring(0, 8000) : s;
    }

    @Override public Event deserialize(DataInputView in) throws IOException {
        byte version = in.readByte();
        if (version != VERSION) {
            throw new IOException("Event serial version " + version + " is not readable (reads " + VERSION + ")");
        }
        byte kind = in.readByte();
        String topic = topics.read(in);
        int partition = in.readInt();
        long offset = in.readLong();
        long timestamp = in.readLong();
        int n = in.readInt();
        byte[] original = null;
        if (n >= 0) {
            original = new byte[n];
            in.readFully(original);
        }
        if (kind == 1) {
            String model = models.read(in);
            long time = in.readLong();
            double y = in.readDouble();
            double w = in.readDouble();
            double off = in.readDouble();
            int k = in.readInt();
            int[] idx = new int[k];
            double[] val = new double[k];
            for (int i = 0; i < k; i++) {
                idx[i] = in.readInt();
                val[i] = in.readDouble();
            }
            return Event.of(new EncodedRow(model, time, y, w, off, idx, val), original, null, topic, partition, offset,
                    timestamp);
        }
        BadRecord bad = new BadRecord(in.readUTF(), in.readUTF());
        return Event.of(null, original, bad, topic, partition, offset, timestamp);
    }

    @Override public TypeSerializerSnapshot<Event> snapshotConfiguration() {
        return new Snapshot();
    }

    public static final class Snapshot extends VersionedSnapshot<Event> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }
}
