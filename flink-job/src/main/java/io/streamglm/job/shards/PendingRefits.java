package io.streamglm.job.shards;

import io.streamglm.job.core.Partial;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple3;
import org.apache.flink.api.java.typeutils.TupleTypeInfo;

import java.util.HashMap;
import java.util.Map;

/**
 * The coordinator's refits in progress, in keyed state: a small header per window and each shard's accumulator for
 * each pass as an entry of its own, written once when it arrives. Keeping a refit's accumulators in one value
 * rewrote all of them with every partial (hundreds of kilobytes per write on RocksDB, where every write
 * serializes the value). Decoded refits are kept in memory too, so a pass reads nothing back from state; after a
 * restore they are rebuilt from it.
 */
final class PendingRefits {
    private final MapState<Long, byte[]> headers;
    private final MapState<Tuple3<Long, Integer, Integer>, byte[]> accumulators;
    private final Map<String, PendingRefit> decoded = new HashMap<>();

    PendingRefits(RuntimeContext context) {
        this.headers = context.getMapState(headersDescriptor());
        this.accumulators = context.getMapState(new MapStateDescriptor<>("pass-accumulators",
                new TupleTypeInfo<>(Types.LONG, Types.INT, Types.INT),
                PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO));
    }

    /** Window end -> the refit's header; a window has a refit in progress exactly when it has a header. */
    static MapStateDescriptor<Long, byte[]> headersDescriptor() {
        return new MapStateDescriptor<>("pending", Types.LONG, PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO);
    }

    /** The model's refit of a window, or null when none is in progress. */
    PendingRefit get(String model, long window) throws Exception {
        String id = id(model, window);
        PendingRefit refit = decoded.get(id);
        if (refit == null) {
            byte[] header = headers.get(window);
            if (header == null) {
                return null;
            }
            refit = PendingRefit.decode(header, (pass, shard) -> accumulators.get(Tuple3.of(window, pass, shard)));
            decoded.put(id, refit);
        }
        return refit;
    }

    /** A new refit of a window, collecting its start pass. */
    PendingRefit start(String model, long window) throws Exception {
        PendingRefit refit = PendingRefit.collecting();
        decoded.put(id(model, window), refit);
        headers.put(window, refit.encodeHeader());
        return refit;
    }

    /** Stores a partial the refit has just taken. */
    void received(long window, PendingRefit refit, Partial partial) throws Exception {
        accumulators.put(Tuple3.of(window, partial.iteration(), partial.shard()), partial.accumulator());
        headers.put(window, refit.encodeHeader());
    }

    /** Stores the refit's header after it changed (started, a pass closed). */
    void update(long window, PendingRefit refit) throws Exception {
        headers.put(window, refit.encodeHeader());
    }

    /** Whether the current model has a refit in progress of a window that ends before {@code window}. */
    boolean hasEarlier(long window) throws Exception {
        Long first = first();
        return first != null && first < window;
    }

    /** The earliest window end with a refit in progress for the current model, or null. */
    Long first() throws Exception {
        Long first = null;
        for (Long end : headers.keys()) {
            first = first == null || end < first ? end : first;
        }
        return first;
    }

    void remove(String model, long window, PendingRefit refit) throws Exception {
        for (int[] key : refit.accumulatorKeys()) {
            accumulators.remove(Tuple3.of(window, key[0], key[1]));
        }
        headers.remove(window);
        decoded.remove(id(model, window));
    }

    private static String id(String model, long window) {
        return model + '\u0000' + window;
    }
}
