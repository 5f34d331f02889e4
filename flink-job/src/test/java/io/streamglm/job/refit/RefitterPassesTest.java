package io.streamglm.job.refit;

import io.streamglm.connectors.record.RowEncoding;
import io.streamglm.engine.accumulate.InMemoryPasses;
import io.streamglm.engine.design.DesignBuilder;
import io.streamglm.engine.design.DesignMatrix;
import io.streamglm.engine.design.FittedDesign;
import io.streamglm.engine.design.RowBuffer;
import io.streamglm.engine.fit.GlmFitter;
import io.streamglm.engine.fit.GlmResult;
import io.streamglm.engine.spec.ModelSpec;
import io.streamglm.engine.spec.SpecParser;
import io.streamglm.job.synthetic.SyntheticClaims;
import org.junit.jupiter.api.Test;

import java.util.concurrent.ForkJoinPool;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A refit's passes on the shared pool give the bits of the same passes on the calling thread, and a window refitted
 * with its summary from one sorted matrix gives the record of the fit and the summary computed apart.
 */
class RefitterPassesTest {
    private static final ModelSpec SPEC = SpecParser.parse(SyntheticClaims.poissonSpecWithLevels(), "spec");
    private static final FittedDesign DESIGN = DesignBuilder.freeze(SPEC);

    /** Rows of the benchmark data from two interleaved "partitions", so that the canonical order differs. */
    private static RowBuffer rows(Refitter refitter, int n) {
        RowEncoding encoding = new RowEncoding(SPEC, "m", DESIGN);
        SyntheticClaims.Generator g = new SyntheticClaims.Generator(5);
        RowBuffer a = refitter.newBuffer();
        RowBuffer b = refitter.newBuffer();
        for (int i = 0; i < n; i++) {
            encoding.encode(g.next().toRecord(1_000_000L + i)).row().appendTo(i % 2 == 0 ? a : b,
                    ((long) (i % 2) << 40) | (i / 2));
        }
        a.appendFrom(b, 0, b.size());
        return a;
    }

    /** The result as the output record writes it: every estimate, error and statistic, to the last digit. */
    private static String json(Refitter refitter, GlmResult result) {
        return refitter.record("m", "count:1", "count", null, null, result.rows(), "exact", result, 0, null, "none");
    }

    @Test
    void passesOnThePoolGiveTheBitsOfOneThread() {
        Refitter refitter = new Refitter(SPEC, DESIGN, "spec", "in");
        int n = 3 * InMemoryPasses.CHUNK_ROWS + 123; // several chunks, the last one short
        DesignMatrix matrix = refitter.sortedMatrix(rows(refitter, n));
        GlmResult oneThread = GlmFitter.fit(new InMemoryPasses(matrix, null), refitter.model());
        ForkJoinPool four = Refitter.passesPool(4);
        try {
            GlmResult fourThreads = GlmFitter.fit(new InMemoryPasses(matrix, four), refitter.model());
            assertThat(json(refitter, fourThreads)).isEqualTo(json(refitter, oneThread));
        } finally {
            four.shutdown();
        }
        assertThat(json(refitter, refitter.exact(matrix))).isEqualTo(json(refitter, oneThread));
        assertThat(oneThread.deviance()).isFinite();
    }

    @Test
    void oneMatrixForFitAndSummaryGivesTheSameRecord() {
        Refitter refitter = new Refitter(SPEC, DESIGN, "spec", "in");
        RowBuffer rows = rows(refitter, 40_000);
        GlmResult result = refitter.exact(rows.sorted());
        String apart = refitter.record("m", "count:1", "count", null, null, rows.size(), "exact", result, 7,
                refitter.summarize(new WindowContents.Rows(rows), result, null), null);
        Refitter.Refit together = refitter.exactWithSummary(new WindowContents.Rows(rows), null);
        assertThat(refitter.record("m", "count:1", "count", null, null, rows.size(), "exact", together.result(), 7,
                together.summary(), null)).isEqualTo(apart);
    }

    @Test
    void noPoolOnOneCore() {
        assertThat(Refitter.passesPool(1)).isNull();
    }
}
