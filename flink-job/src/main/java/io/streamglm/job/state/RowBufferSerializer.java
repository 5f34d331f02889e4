package io.streamglm.job.state;

import io.streamglm.engine.design.RowBuffer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;

/**
 * Flink state serializer for a window's buffered rows: a length-prefixed {@link RowBuffer} byte form (versioned
 * by its own serial byte), no Kryo, no Java serialization.
 */
public final class RowBufferSerializer extends RecordSerializer.OfBytes<RowBuffer> {
    private static final long serialVersionUID = 1L;
    public static final RowBufferSerializer INSTANCE = new RowBufferSerializer();

    @Override public int formatVersion() {
        return RowBuffer.SERIAL_VERSION;
    }

    @Override public boolean isImmutableType() {
        return false;
    }

    @Override public RowBuffer copy(RowBuffer from) {
        return from == null ? null : from.copy();
    }

    @Override protected byte[] toBytes(RowBuffer value) {
        return value.toByteArray();
    }

    @Override protected RowBuffer fromBytes(byte[] bytes) {
        return RowBuffer.heapify(bytes);
    }

    @Override public TypeSerializerSnapshot<RowBuffer> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Savepoints name this class: a new name would make old savepoints unreadable. */
    public static final class Snapshot extends VersionedSnapshot<RowBuffer> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }
}
