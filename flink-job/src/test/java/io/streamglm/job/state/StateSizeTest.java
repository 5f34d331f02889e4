package io.streamglm.job.state;

import io.streamglm.connectors.record.RowEncoding;
import io.streamglm.engine.design.DesignBuilder;
import io.streamglm.engine.design.FittedDesign;
import io.streamglm.engine.design.RowBuffer;
import io.streamglm.engine.spec.ModelSpec;
import io.streamglm.engine.spec.SpecParser;
import io.streamglm.job.synthetic.SyntheticClaims;
import io.streamglm.job.operators.WindowBuffer;
import org.apache.flink.api.common.ExecutionConfig;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a buffered row costs in window state for the benchmark data (8 numbers, categoricals of 20 and 50
 * levels, exposure, claims: 77 design columns), as written by the state serializer: the dense numbers as
 * doubles, a level as one index, never a one-hot vector. Sizes, not times, so a unit test can hold them.
 */
class StateSizeTest {
    private static final int ROWS = 10_000;

    @Test
    void aBufferedRowCostsAtMostOneAndAHalfTimesItsRawNumbers() throws Exception {
        String specJson = SyntheticClaims.poissonSpecWithLevels();
        ModelSpec spec = SpecParser.parse(specJson, "spec");
        FittedDesign design = DesignBuilder.freeze(spec);
        assertThat(design.columns()).isEqualTo(77);
        RowEncoding encoding = new RowEncoding(spec, "m", design);
        SyntheticClaims.Generator generator = new SyntheticClaims.Generator(7);
        DataOutputSerializer out = new DataOutputSerializer(1 << 20);
        var chunks = WindowBuffer.chunksDescriptor();
        chunks.initializeSerializerUnlessSet(new ExecutionConfig());
        var chunkKey = chunks.getKeySerializer();
        // As the refit operator stores them: chunks of CHUNK_ROWS rows, each a map entry with a (bucket, chunk) key.
        for (int first = 0; first < ROWS; first += WindowBuffer.CHUNK_ROWS) {
            RowBuffer chunk = RowBuffer.forModel(spec, design);
            for (int i = first; i < Math.min(ROWS, first + WindowBuffer.CHUNK_ROWS); i++) {
                encoding.encode(generator.next().toRecord(i)).row().appendTo(chunk, i);
            }
            chunkKey.serialize(Tuple2.of(0L, first / WindowBuffer.CHUNK_ROWS), out);
            RowBufferSerializer.INSTANCE.serialize(chunk, out);
        }
        double perRow = (double) out.length() / ROWS;
        double raw = SyntheticClaims.RAW_POISSON_BYTES_PER_ROW;
        System.out.printf("state: %.1f bytes per buffered row, raw numbers %.0f bytes: %.2fx%n", perRow, raw,
                perRow / raw);
        assertThat(perRow).isLessThanOrEqualTo(1.5 * raw);
    }
}
