package io.streamglm.job.state;

import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;

/** Type information that hands Flink one of our explicit serializers, so Flink never falls back to Kryo. */
public final class SerializerTypeInfo<T> extends TypeInformation<T> {
    private static final long serialVersionUID = 1L;
    private final Class<T> type;
    private final TypeSerializer<T> serializer;

    public SerializerTypeInfo(Class<T> type, TypeSerializer<T> serializer) {
        this.type = type;
        this.serializer = serializer;
    }

    public static final SerializerTypeInfo<io.streamglm.job.core.Event> EVENT =
            new SerializerTypeInfo<>(io.streamglm.job.core.Event.class, EventSerializer.INSTANCE);
    public static final SerializerTypeInfo<io.streamglm.engine.design.RowBuffer> ROW_BUFFER =
            new SerializerTypeInfo<>(io.streamglm.engine.design.RowBuffer.class, RowBufferSerializer.INSTANCE);
    public static final SerializerTypeInfo<io.streamglm.job.core.Partial> PARTIAL =
            new SerializerTypeInfo<>(io.streamglm.job.core.Partial.class, PartialSerializer.INSTANCE);

    @Override public boolean isBasicType() {
        return false;
    }

    @Override public boolean isTupleType() {
        return false;
    }

    @Override public int getArity() {
        return 1;
    }

    @Override public int getTotalFields() {
        return 1;
    }

    @Override public Class<T> getTypeClass() {
        return type;
    }

    @Override public boolean isKeyType() {
        return false;
    }

    @Override public TypeSerializer<T> createSerializer(SerializerConfig config) {
        return serializer;
    }

    @Override public String toString() {
        return "SerializerTypeInfo(" + type.getSimpleName() + ")";
    }

    @Override public boolean equals(Object o) {
        return o instanceof SerializerTypeInfo<?> s && s.type.equals(type);
    }

    @Override public int hashCode() {
        return type.hashCode();
    }

    @Override public boolean canEqual(Object o) {
        return o instanceof SerializerTypeInfo;
    }
}
