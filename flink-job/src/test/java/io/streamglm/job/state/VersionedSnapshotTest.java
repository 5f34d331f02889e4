package io.streamglm.job.state;

import io.streamglm.engine.diagnostics.WindowSummary;
import io.streamglm.job.operators.RefitFunction;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Serializer snapshots carry the format version of their state: written and read back through Flink's versioned
 * snapshot framing; a snapshot of the old layout (Flink's SimpleTypeSerializerSnapshot, version 3) reads as
 * format 1; state of a newer format is incompatible before any record is read.
 */
class VersionedSnapshotTest {
    private static final List<RecordSerializer<?>> SERIALIZERS = List.of(EventSerializer.INSTANCE,
            PartialSerializer.INSTANCE, RowBufferSerializer.INSTANCE, PreviousModelSerializer.INSTANCE);

    @Test
    void everySnapshotRoundTripsWithItsFormatVersionAndIsCompatibleWithItself() throws IOException {
        for (RecordSerializer<?> serializer : SERIALIZERS) {
            roundTrip(serializer);
        }
    }

    private static <T> void roundTrip(RecordSerializer<T> serializer) throws IOException {
        TypeSerializerSnapshot<T> snapshot = serializer.snapshotConfiguration();
        DataOutputSerializer out = new DataOutputSerializer(64);
        TypeSerializerSnapshot.writeVersionedSnapshot(out, snapshot);
        TypeSerializerSnapshot<T> back = TypeSerializerSnapshot.readVersionedSnapshot(
                new DataInputDeserializer(out.getCopyOfBuffer()), VersionedSnapshotTest.class.getClassLoader());
        assertThat(back).isInstanceOf(snapshot.getClass());
        assertThat(((VersionedSnapshot<T>) back).formatVersion()).isEqualTo(serializer.formatVersion());
        assertThat(back.restoreSerializer()).isSameAs(serializer);
        assertThat(snapshot.resolveSchemaCompatibility(back).isCompatibleAsIs()).as("%s", serializer).isTrue();
    }

    @Test
    void theOldSimpleSnapshotLayoutReadsAsFormatOne() throws IOException {
        RowBufferSerializer.Snapshot old = new RowBufferSerializer.Snapshot();
        old.readSnapshot(VersionedSnapshot.SIMPLE_SNAPSHOT_VERSION, new DataInputDeserializer(new byte[0]),
                getClass().getClassLoader());
        assertThat(old.formatVersion()).isEqualTo(1);
        assertThat(new RowBufferSerializer.Snapshot().resolveSchemaCompatibility(old).isCompatibleAsIs()).isTrue();
        // the previous model's snapshot where savepoints of the earlier layout name it restores the moved serializer
        RefitFunction.PreviousModelSerializer.Snapshot moved = new RefitFunction.PreviousModelSerializer.Snapshot();
        moved.readSnapshot(3, new DataInputDeserializer(new byte[0]), getClass().getClassLoader());
        assertThat(moved.restoreSerializer()).isSameAs(PreviousModelSerializer.INSTANCE);
        assertThat(PreviousModelSerializer.INSTANCE.snapshotConfiguration().resolveSchemaCompatibility(moved)
                .isCompatibleAsIs()).isTrue();
    }

    @Test
    void stateOfANewerFormatOrAnotherSerializerIsIncompatible() throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(8);
        out.writeInt(PartialSerializer.INSTANCE.formatVersion() + 1);
        PartialSerializer.Snapshot newer = new PartialSerializer.Snapshot();
        newer.readSnapshot(VersionedSnapshot.SNAPSHOT_VERSION, new DataInputDeserializer(out.getCopyOfBuffer()),
                getClass().getClassLoader());
        TypeSerializerSchemaCompatibility<?> c = new PartialSerializer.Snapshot().resolveSchemaCompatibility(newer);
        assertThat(c.isIncompatible()).isTrue();
        @SuppressWarnings({"unchecked", "rawtypes"})
        TypeSerializerSchemaCompatibility<?> other = ((TypeSerializerSnapshot) new EventSerializer.Snapshot())
                .resolveSchemaCompatibility(new RowBufferSerializer.Snapshot());
        assertThat(other.isIncompatible()).isTrue();
        assertThatThrownBy(() -> new EventSerializer.Snapshot().readSnapshot(9, new DataInputDeserializer(new byte[0]),
                getClass().getClassLoader())).isInstanceOf(IOException.class).hasMessageContaining("snapshot version 9");
        assertThat(WindowSummary.PreviousModel.VERSION).isEqualTo((byte) PreviousModelSerializer.INSTANCE.formatVersion());
    }
}
