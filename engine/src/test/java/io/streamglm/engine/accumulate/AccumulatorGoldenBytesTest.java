package io.streamglm.engine.accumulate;

import io.streamglm.engine.design.DesignMatrix;
import io.streamglm.engine.family.Poisson;
import io.streamglm.engine.link.LogLink;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Golden files of the accumulators' serial version 1, written once by this test
 * ({@code -Dstreamglm.golden.write=true}) and kept: every later engine must read them and produce the same
 * statistics, so state written by an older job survives an upgrade.
 */
class AccumulatorGoldenBytesTest {
    private static final String IRLS = "/golden/irls-accumulator-v1.bin";
    private static final String INFERENCE = "/golden/inference-accumulator-v1.bin";

    private static IrlsAccumulator irls() {
        DesignMatrix m = RandomRows.poissonRows(2026, 200);
        IrlsAccumulator acc = new IrlsAccumulator(m.columns(), m.denseColumns());
        PassKernels.irls(m, 0, m.rows(), new IrlsPass(Poisson.INSTANCE, LogLink.INSTANCE,
                Point.coefficients(RandomRows.beta(2026)), false), acc);
        return acc;
    }

    private static InferenceAccumulator inference() {
        DesignMatrix m = RandomRows.poissonRows(2027, 150);
        int p = m.columns();
        double[] cov = new double[p * p];
        for (int j = 0; j < p; j++) {
            cov[j * p + j] = 1e-4; // every leverage below 1
        }
        InferenceAccumulator acc = new InferenceAccumulator(p, m.denseColumns());
        PassKernels.inference(m, 0, m.rows(), new InferencePass(Poisson.INSTANCE, LogLink.INSTANCE,
                RandomRows.beta(2027), Point.MU_START, cov, 100, 150, 2.0), acc);
        return acc;
    }

    @Test
    void readsTheVersion1IrlsAccumulator() throws IOException {
        byte[] golden = golden(IRLS, irls().toByteArray());
        IrlsAccumulator read = IrlsAccumulator.heapify(golden);
        IrlsAccumulator now = irls();
        // Same statistics as today's kernel (summation order may differ in the last bits) ...
        AccumulatorPropertiesTest.assertClose(read.xtwxPacked(), now.xtwxPacked());
        AccumulatorPropertiesTest.assertClose(read.xtwz(), now.xtwz());
        assertThat(read.deviance()).isCloseTo(now.deviance(), org.assertj.core.api.Assertions.within(1e-9));
        assertThat(read.rows()).isEqualTo(200);
        assertThat(read.activeRows()).isEqualTo(now.activeRows());
        assertThat(read.columns()).isEqualTo(RandomRows.P);
        // ... and the bytes survive a round trip unchanged.
        assertThat(read.toByteArray()).isEqualTo(golden);
    }

    @Test
    void readsTheVersion1InferenceAccumulator() throws IOException {
        byte[] golden = golden(INFERENCE, inference().toByteArray());
        InferenceAccumulator read = InferenceAccumulator.heapify(golden);
        InferenceAccumulator now = inference();
        AccumulatorPropertiesTest.assertClose(read.meatHc0Packed(), now.meatHc0Packed());
        AccumulatorPropertiesTest.assertClose(read.meatHc3Packed(), now.meatHc3Packed());
        AccumulatorPropertiesTest.assertClose(new double[]{read.pearson(), read.nullDeviance(), read.aicTerms()},
                new double[]{now.pearson(), now.nullDeviance(), now.aicTerms()});
        assertThat(read.toByteArray()).isEqualTo(golden);
    }

    private static byte[] golden(String resource, byte[] current) throws IOException {
        if (Boolean.getBoolean("streamglm.golden.write")) {
            Path file = Path.of("src/test/resources" + resource);
            Files.createDirectories(file.getParent());
            Files.write(file, current);
        }
        try (InputStream in = AccumulatorGoldenBytesTest.class.getResourceAsStream(resource)) {
            assertThat(in).as("golden file %s (write it once with -Dstreamglm.golden.write=true)", resource).isNotNull();
            return in.readAllBytes();
        }
    }
}
