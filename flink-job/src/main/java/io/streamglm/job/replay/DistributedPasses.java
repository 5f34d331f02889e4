package io.streamglm.job.replay;

import io.streamglm.engine.accumulate.InMemoryPasses;
import io.streamglm.engine.accumulate.InferenceAccumulator;
import io.streamglm.engine.accumulate.InferencePass;
import io.streamglm.engine.accumulate.IrlsAccumulator;
import io.streamglm.engine.accumulate.IrlsPass;
import io.streamglm.engine.accumulate.PassCodec;
import io.streamglm.engine.accumulate.RowPasses;
import io.streamglm.engine.accumulate.ScalarSums;
import io.streamglm.engine.accumulate.ThetaPass;
import io.streamglm.engine.design.DesignMatrix;
import io.streamglm.engine.design.FittedDesign;
import io.streamglm.engine.design.RowBuffer;
import io.streamglm.engine.fit.GlmModel;
import io.streamglm.engine.model.ModelFile;
import io.streamglm.engine.spec.ModelSpec;
import io.streamglm.engine.spec.SpecParser;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.util.CloseableIterator;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;
import java.util.function.IntConsumer;

/**
 * Passes of the engine's fitter as bounded Flink jobs: the driver runs {@code GlmFitter} unchanged (R's start,
 * steps and stop) and each pass it asks for becomes one job over the cached row chunks, which accumulates each
 * chunk at the driver's coefficients in parallel and hands the chunk accumulators back; the driver merges them in
 * chunk order, so the sums (and the fit) are those of {@link InMemoryPasses} over the same rows. The first job
 * reads and encodes the files and caches the chunks on the task managers; later jobs read the cache.
 */
public final class DistributedPasses implements RowPasses {
    private static final TypeInformation<Tuple2<Long, byte[]>> PARTIAL =
            Types.TUPLE(Types.LONG, Types.PRIMITIVE_ARRAY(Types.BYTE));

    private final DataStream<Tuple2<Long, RowBuffer>> chunks;
    private final String specJson;
    private final String designJson;
    private final DesignMatrix empty;
    private final IntConsumer onPass;
    private DataStream<Tuple2<Long, byte[]>> firstPassExtra;
    private final List<String> deadLetters = new ArrayList<>();
    private int passes;

    /**
     * @param chunks      the row chunks (cached), keyed by their order
     * @param deadLetters the readers' dead letters as JSON, part of the first job only (they are read once)
     * @param onPass      told the number of each pass when it has finished
     */
    public DistributedPasses(DataStream<Tuple2<Long, RowBuffer>> chunks, DataStream<String> deadLetters,
                             ModelSpec spec, FittedDesign design, IntConsumer onPass) {
        this.chunks = chunks;
        this.specJson = SpecParser.toJson(spec).toString();
        this.designJson = ModelFile.designToJson(design);
        this.empty = RowBuffer.forModel(spec, design).toMatrix(design.columnNames());
        this.onPass = onPass;
        this.firstPassExtra = deadLetters
                .map(json -> Tuple2.of(-1L, json.getBytes(StandardCharsets.UTF_8))).returns(PARTIAL)
                .name("dead-letters");
    }

    public int passes() {
        return passes;
    }

    /** Dead letters the first pass found, as JSON lines. */
    public List<String> deadLetters() {
        return deadLetters;
    }

    @Override public int columns() {
        return empty.columns();
    }

    @Override public IrlsAccumulator irls(IrlsPass pass) {
        return merge(run(PassCodec.encode(pass)), IrlsAccumulator::heapify,
                InMemoryPasses.irls(empty, 0, 0, pass), IrlsAccumulator::merge);
    }

    @Override public InferenceAccumulator inference(InferencePass pass) {
        return merge(run(PassCodec.encode(pass)), InferenceAccumulator::heapify,
                InMemoryPasses.inference(empty, 0, 0, pass), InferenceAccumulator::merge);
    }

    @Override public ScalarSums theta(ThetaPass pass) {
        return merge(run(PassCodec.encode(pass)), ScalarSums::heapify,
                InMemoryPasses.theta(empty, 0, 0, pass), ScalarSums::merge);
    }

    /** The chunk accumulators of one pass, in chunk order. */
    private List<byte[]> run(byte[] pass) {
        DataStream<Tuple2<Long, byte[]>> partials = chunks.map(new ChunkPass(specJson, designJson, pass))
                .returns(PARTIAL).name("pass").setParallelism(chunks.getParallelism());
        if (firstPassExtra != null) {
            partials = partials.union(firstPassExtra);
            firstPassExtra = null;
        }
        List<Tuple2<Long, byte[]>> collected = new ArrayList<>();
        try (CloseableIterator<Tuple2<Long, byte[]>> it = partials.executeAndCollect("streamglm replay pass "
                + (passes + 1))) {
            it.forEachRemaining(collected::add);
        } catch (Exception e) {
            throw new IllegalStateException("replay pass " + (passes + 1) + " failed: " + e.getMessage(), e);
        }
        collected.sort(Comparator.comparingLong(t -> t.f0));
        List<byte[]> out = new ArrayList<>(collected.size());
        for (Tuple2<Long, byte[]> t : collected) {
            if (t.f0 < 0) {
                deadLetters.add(new String(t.f1, StandardCharsets.UTF_8));
            } else {
                out.add(t.f1);
            }
        }
        onPass.accept(++passes);
        return out;
    }

    @FunctionalInterface
    private interface Merger<A> {
        void merge(A into, A other);
    }

    /** Merges in order; {@code none} is the accumulator when there are no chunks at all. */
    private static <A> A merge(List<byte[]> parts, Function<byte[], A> read, A none, Merger<A> merger) {
        if (parts.isEmpty()) {
            return none;
        }
        A total = read.apply(parts.get(0));
        for (int i = 1; i < parts.size(); i++) {
            merger.merge(total, read.apply(parts.get(i)));
        }
        return total;
    }

    /** One chunk's accumulator at the pass the driver shipped. */
    static final class ChunkPass extends RichMapFunction<Tuple2<Long, RowBuffer>, Tuple2<Long, byte[]>> {
        private static final long serialVersionUID = 1L;
        private final String specJson;
        private final String designJson;
        private final byte[] pass;
        private transient Object decoded;
        private transient List<String> columnNames;

        ChunkPass(String specJson, String designJson, byte[] pass) {
            this.specJson = specJson;
            this.designJson = designJson;
            this.pass = pass;
        }

        @Override public void open(OpenContext openContext) {
            ModelSpec spec = SpecParser.parse(specJson, "spec");
            FittedDesign design = ModelFile.designFromJson(designJson);
            columnNames = design.columnNames();
            decoded = PassCodec.decode(pass, GlmModel.of(spec, design).link());
        }

        @Override public Tuple2<Long, byte[]> map(Tuple2<Long, RowBuffer> chunk) {
            return Tuple2.of(chunk.f0, PassCodec.accumulate(decoded,
                    new InMemoryPasses(chunk.f1.toMatrix(columnNames), null)));
        }
    }
}
