package io.streamglm.job.state;

import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

import java.io.IOException;
import java.util.function.Supplier;

/**
 * The snapshot of a {@link RecordSerializer}: it records the format version of the serializer's records, so that a
 * checkpoint or savepoint says which format its state is in. Restoring state of a format this build reads (its
 * own or an older one: every reader reads every version it ever wrote) is compatible as is; state written by a
 * newer build is refused by Flink before a record is read, instead of failing on the first one.
 *
 * <p>Snapshot layout, snapshot version 4: the format version int. Version 3 is the layout of Flink's {@code
 * SimpleTypeSerializerSnapshot} (nothing), which these snapshots extended before; its state is format version
 * 1, the only format there was. Subclasses keep their class names, which savepoints record.
 */
public abstract class VersionedSnapshot<T> implements TypeSerializerSnapshot<T> {
    /** Flink's SimpleTypeSerializerSnapshot version: a snapshot written before the format version was recorded. */
    static final int SIMPLE_SNAPSHOT_VERSION = 3;
    static final int SNAPSHOT_VERSION = 4;

    private final Supplier<? extends RecordSerializer<T>> serializer;
    private int formatVersion;

    protected VersionedSnapshot(Supplier<? extends RecordSerializer<T>> serializer) {
        this.serializer = serializer;
        this.formatVersion = serializer.get().formatVersion();
    }

    /** The format version of the state this snapshot describes. */
    public int formatVersion() {
        return formatVersion;
    }

    @Override public int getCurrentVersion() {
        return SNAPSHOT_VERSION;
    }

    @Override public void writeSnapshot(DataOutputView out) throws IOException {
        out.writeInt(formatVersion);
    }

    @Override public void readSnapshot(int readVersion, DataInputView in, ClassLoader userCodeClassLoader)
            throws IOException {
        if (readVersion == SIMPLE_SNAPSHOT_VERSION) {
            formatVersion = 1;
        } else if (readVersion == SNAPSHOT_VERSION) {
            formatVersion = in.readInt();
        } else {
            throw new IOException(getClass().getName() + ": snapshot version " + readVersion + " is not readable by"
                    + " this build (it reads " + SIMPLE_SNAPSHOT_VERSION + " and " + SNAPSHOT_VERSION + ")");
        }
    }

    @Override public TypeSerializer<T> restoreSerializer() {
        return serializer.get();
    }

    @Override public TypeSerializerSchemaCompatibility<T> resolveSchemaCompatibility(
            TypeSerializerSnapshot<T> oldSerializerSnapshot) {
        if (!(oldSerializerSnapshot instanceof VersionedSnapshot<T> old)
                || old.restoreSerializer().getClass() != serializer.get().getClass()
                || old.formatVersion() > serializer.get().formatVersion()) {
            return TypeSerializerSchemaCompatibility.incompatible();
        }
        return TypeSerializerSchemaCompatibility.compatibleAsIs();
    }
}
