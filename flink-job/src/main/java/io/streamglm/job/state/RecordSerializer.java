package io.streamglm.job.state;

import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

import java.io.IOException;

/**
 * What every streamglm Flink serializer shares: values of variable length with no reusable instances (a
 * deserialize into {@code reuse} reads a new value), and a {@link VersionedSnapshot} that records the format
 * version of the bytes the serializer writes, so a restore can tell state of a newer build from its own.
 * Subclasses give the byte form ({@link #serialize}, {@link #deserialize}), the copy and the format version.
 */
public abstract class RecordSerializer<T> extends TypeSerializerSingleton<T> {
    private static final long serialVersionUID = 1L;

    /** The format version of the records this serializer writes (the version byte inside each of them). */
    public abstract int formatVersion();

    @Override public final T createInstance() {
        return null;
    }

    @Override public final int getLength() {
        return -1;
    }

    @Override public final T copy(T from, T reuse) {
        return copy(from);
    }

    @Override public final T deserialize(T reuse, DataInputView source) throws IOException {
        return deserialize(source);
    }

    /** Copies one record by reading and writing it; length-prefixed forms override this with a byte copy. */
    @Override public void copy(DataInputView source, DataOutputView target) throws IOException {
        serialize(deserialize(source), target);
    }

    @Override public abstract TypeSerializerSnapshot<T> snapshotConfiguration();

    /** A serializer of values never mutated after construction: a copy is the value itself. */
    public abstract static class OfImmutable<T> extends RecordSerializer<T> {
        private static final long serialVersionUID = 1L;

        @Override public final boolean isImmutableType() {
            return true;
        }

        @Override public final T copy(T from) {
            return from;
        }
    }

    /**
     * A serializer of a value that has a length-prefixed byte form of its own ({@code int} length and the bytes,
     * the bytes carrying their own magic and version), copied as bytes without decoding.
     */
    public abstract static class OfBytes<T> extends RecordSerializer<T> {
        private static final long serialVersionUID = 1L;

        protected abstract byte[] toBytes(T value);

        protected abstract T fromBytes(byte[] bytes) throws IOException;

        @Override public final void serialize(T record, DataOutputView target) throws IOException {
            byte[] bytes = toBytes(record);
            target.writeInt(bytes.length);
            target.write(bytes);
        }

        @Override public final T deserialize(DataInputView source) throws IOException {
            byte[] bytes = new byte[source.readInt()];
            source.readFully(bytes);
            return fromBytes(bytes);
        }

        @Override public final void copy(DataInputView source, DataOutputView target) throws IOException {
            int n = source.readInt();
            target.writeInt(n);
            target.write(source, n);
        }
    }
}
