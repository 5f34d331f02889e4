package io.streamglm.job.state;

import io.streamglm.job.core.Partial;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

import java.io.IOException;

/**
 * Serializer of {@link Partial}s between the shards and the pass coordinator.
 *
 * <p>Layout, serial version 1: version byte, model UTF, window long, iteration int, shard int, rows long,
 * accumulator length int and bytes. Partials are never mutated after construction, the accumulator bytes included.
 */
public final class PartialSerializer extends RecordSerializer.OfImmutable<Partial> {
    private static final long serialVersionUID = 1L;
    public static final PartialSerializer INSTANCE = new PartialSerializer();
    private static final byte VERSION = 1;

    @Override public int formatVersion() {
        return VERSION;
    }

    @Override public void serialize(Partial p, DataOutputView out) throws IOException {
        out.writeByte(VERSION);
        out.writeUTF(p.model());
        out.writeLong(p.window());
        out.writeInt(p.iteration());
        out.writeInt(p.shard());
        out.writeLong(p.rows());
        out.writeInt(p.accumulator().length);
        out.write(p.accumulator());
    }

    @Override public Partial deserialize(DataInputView in) throws IOException {
        byte version = in.readByte();
        if (version != VERSION) {
            throw new IOException("partial accumulator of serial version " + version + " (this build reads "
                    + VERSION + ")");
        }
        String model = in.readUTF();
        long window = in.readLong();
        int iteration = in.readInt();
        int shard = in.readInt();
        long rows = in.readLong();
        byte[] acc = new byte[in.readInt()];
        in.readFully(acc);
        return new Partial(model, window, iteration, shard, rows, acc);
    }

    @Override public TypeSerializerSnapshot<Partial> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Snapshot for savepoint compatibility (partials are in flight only, never in keyed state). */
    public static final class Snapshot extends VersionedSnapshot<Partial> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }
}
