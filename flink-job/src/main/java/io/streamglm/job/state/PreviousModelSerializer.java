package io.streamglm.job.state;

import io.streamglm.engine.diagnostics.WindowSummary;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;

/**
 * Flink state serializer of the previous window's model (the drift check's): the length-prefixed {@link
 * WindowSummary.PreviousModel#toBytes()} form (magic and serial version inside), no Kryo, no Java serialization.
 */
public final class PreviousModelSerializer extends RecordSerializer.OfBytes<WindowSummary.PreviousModel> {
    private static final long serialVersionUID = 1L;
    public static final PreviousModelSerializer INSTANCE = new PreviousModelSerializer();

    @Override public int formatVersion() {
        return WindowSummary.PreviousModel.VERSION;
    }

    @Override public boolean isImmutableType() {
        return false; // the record holds an array
    }

    @Override public WindowSummary.PreviousModel copy(WindowSummary.PreviousModel from) {
        return from == null ? null : WindowSummary.PreviousModel.fromBytes(from.toBytes());
    }

    @Override protected byte[] toBytes(WindowSummary.PreviousModel value) {
        return value.toBytes();
    }

    @Override protected WindowSummary.PreviousModel fromBytes(byte[] bytes) {
        return WindowSummary.PreviousModel.fromBytes(bytes);
    }

    @Override public TypeSerializerSnapshot<WindowSummary.PreviousModel> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Savepoints name this class: a new name would make old savepoints unreadable. */
    public static final class Snapshot extends VersionedSnapshot<WindowSummary.PreviousModel> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }
}
