package io.streamglm.job.state;

import io.streamglm.engine.design.RowBuffer;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

import java.io.IOException;

/**
 * Flink state serializer for a window's buffered rows: a length-prefixed {@link RowBuffer} byte form (versioned
 * by its own serial byte), no Kryo, no Java serialization.
 */
public final class RowBufferSerializer extends TypeSerializerSingleton<RowBuffer> {
    private static final long serialVersionUID = 1L;
    public static final RowBufferSerializer INSTANCE = new RowBufferSerializer();

    @Override public boolean isImmutableType() {
        return false;
    }

    @Override public RowBuffer createInstance() {
        return null;
    }

    @Override public RowBuffer copy(RowBuffer from) {
        return from == null ? null : from.copy();
    }

    @Override public RowBuffer copy(RowBuffer from, RowBuffer reuse) {
        return copy(from);
    }

    @Override public int getLength() {
        return -1;
    }

    @Override public void serialize(RowBuffer record, DataOutputView target) throws IOException {
        byte[] bytes = record.toByteArray();
        target.writeInt(bytes.length);
        target.write(bytes);
    }

    @Override public RowBuffer deserialize(DataInputView source) throws IOException {
        byte[] bytes = new byte[source.readInt()];
        source.readFully(bytes);
        return RowBuffer.heapify(bytes);
    }

    @Override public RowBuffer deserialize(RowBuffer reuse, DataInputView source) throws IOException {
        return deserialize(source);
    }

    @Override public void copy(DataInputView source, DataOutputView target) throws IOException {
        int n = source.readInt();
        target.writeInt(n);
        target.write(source, n);
    }

    @Override public TypeSerializerSnapshot<RowBuffer> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Snapshot for savepoint compatibility; the byte form carries its own version. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<RowBuffer> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }
}
