package io.streamglm.job.refit;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streamglm.engine.model.RefitRecord;
import io.streamglm.engine.accumulate.CellPasses;
import io.streamglm.engine.accumulate.CellTable;
import io.streamglm.engine.accumulate.InMemoryPasses;
import io.streamglm.engine.accumulate.IrlsAccumulator;
import io.streamglm.engine.accumulate.IrlsPass;
import io.streamglm.engine.accumulate.PackedUpper;
import io.streamglm.engine.accumulate.Point;
import io.streamglm.engine.design.DesignMatrix;
import io.streamglm.engine.design.FittedDesign;
import io.streamglm.engine.design.RowBuffer;
import io.streamglm.engine.diagnostics.SummarySums;
import io.streamglm.engine.diagnostics.WindowSummary;
import io.streamglm.engine.family.Family;
import io.streamglm.engine.family.NegativeBinomial;
import io.streamglm.engine.fit.Coefficient;
import io.streamglm.engine.fit.FitStatus;
import io.streamglm.engine.fit.GlmFitter;
import io.streamglm.engine.fit.GlmModel;
import io.streamglm.engine.fit.GlmResult;
import io.streamglm.engine.inference.TestStatistics;
import io.streamglm.engine.model.EngineVersion;
import io.streamglm.engine.model.ModelFile;
import io.streamglm.engine.penalized.PenalizedFitting;
import io.streamglm.engine.solve.CholeskySolver;
import io.streamglm.engine.solve.Solution;
import io.streamglm.engine.spec.ModelSpec;
import io.streamglm.engine.spec.SpecParser;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ForkJoinPool;

/**
 * The refits a stream operator runs, in plain engine terms so the operator stays a thin adapter: an exact fit of
 * a window's rows (the same fitter as {@code streamglm fit}), or one Newton step of an online fit on a window's
 * rows from the previous coefficients and accumulated information (renewable estimation, Luo and Song 2020),
 * with an optional forgetting factor.
 */
public final class Refitter {
    /**
     * What an operator needs to make its refitter where it runs: the spec and frozen design as JSON (so the
     * operator serializes plain strings), where the design came from and the input, for the records' provenance.
     * One serializable value in place of the same four fields in every refit operator.
     */
    public record Setup(String specJson, String designJson, String designSource, String input)
            implements java.io.Serializable {
        /** The refitter, parsed from the JSON (once per operator instance, in its open). */
        public Refitter open() {
            return new Refitter(SpecParser.parse(specJson, "spec"), ModelFile.designFromJson(designJson),
                    designSource, input);
        }
    }

    private final ModelSpec spec;
    private final FittedDesign design;
    private final GlmModel model;
    /** The shape every new chunk copies: working it out from the design for each 16 rows cost 5% of a backlog. */
    private final RowBuffer emptyRows;
    private final Map<String, Object> baseProvenance;

    /**
     * Where a refit's passes run: the rows are cut into the same fixed chunks whatever the thread count and merged
     * in chunk order ({@link InMemoryPasses}), so a refit gives the same bits on any number of threads, and a large
     * window's refit uses the cores that reading the stream leaves idle (at the end of a backlog, all of them). One
     * pool for every refit operator in this JVM, of daemon threads that end when idle; null on one core.
     */
    static final ForkJoinPool PASSES = passesPool(Runtime.getRuntime().availableProcessors());

    static ForkJoinPool passesPool(int threads) {
        if (threads < 2) {
            return null;
        }
        return new ForkJoinPool(threads, pool -> {
            var t = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(pool);
            t.setName("streamglm-refit-passes-" + t.getPoolIndex());
            return t;
        }, null, false);
    }

    /** What a refit from cells cannot give. */
    public static final String CELLS_WARNING = "HC2 and HC3 standard errors need each row's leverage and are not"
            + " available from cells";

    public Refitter(ModelSpec spec, FittedDesign design, String designSource, String input) {
        this.spec = spec;
        this.design = design;
        this.model = GlmModel.of(spec, design);
        this.emptyRows = RowBuffer.forModel(spec, design);
        this.baseProvenance = new LinkedHashMap<>();
        baseProvenance.put("spec_sha256", ModelFile.specSha256(spec));
        baseProvenance.put("engine_version", EngineVersion.get());
        baseProvenance.put("design", designSource);
        baseProvenance.put("input", input);
    }

    public RowBuffer newBuffer() {
        return emptyRows.emptyCopy();
    }

    public GlmModel model() {
        return model;
    }

    /** The rows in canonical order as a design matrix: the same rows give the same sums however they arrived. */
    public DesignMatrix sortedMatrix(RowBuffer rows) {
        return rows.toSortedMatrix(design.columnNames());
    }

    /** The refit id of an event-time window, e.g. {@code w:2026-01-01T00:00:00Z/2026-01-01T01:00:00Z}. */
    public static String windowRefitId(long start, long end) {
        return "w:" + Instant.ofEpochMilli(start) + "/" + Instant.ofEpochMilli(end);
    }

    public FittedDesign design() {
        return design;
    }

    /** Fits the rows exactly, as {@code streamglm fit} would (glmnet's path and its selected fit when penalized). */
    public GlmResult exact(RowBuffer rows) {
        return exact(rows.toMatrix(design.columnNames()));
    }

    /** Fits the rows of a matrix ({@link #sortedMatrix}) exactly, as {@link #exact(RowBuffer)}. */
    public GlmResult exact(DesignMatrix matrix) {
        if (spec.penalized()) {
            return PenalizedFitting.fit(spec, design, matrix).asGlmResult();
        }
        return GlmFitter.fit(new InMemoryPasses(matrix, PASSES), model);
    }

    /** A window's refit and its diagnostics summary. */
    public record Refit(GlmResult result, WindowSummary summary) {
    }

    /**
     * Fits a window exactly and summarizes it ({@link #exact(WindowContents)}, {@link #summarize(WindowContents,
     * GlmResult, WindowSummary.PreviousModel)}), its rows sorted and made a matrix once for both: for a window of
     * a million rows each copy takes a noticeable part of the refit.
     */
    public Refit exactWithSummary(WindowContents contents, WindowSummary.PreviousModel previous) {
        if (contents instanceof WindowContents.Rows r) {
            DesignMatrix matrix = sortedMatrix(r.buffer());
            GlmResult result = exact(matrix);
            return new Refit(result, summarize(matrix, result, previous));
        }
        GlmResult result = exact(contents);
        return new Refit(result, summarize(contents, result, previous));
    }

    /**
     * Fits a window exactly: its rows in canonical order, or its cells (the same fit to rounding; HC2 and HC3,
     * which need each row's leverage, are not available from cells).
     */
    public GlmResult exact(WindowContents contents) {
        if (contents instanceof WindowContents.Cells cells) {
            if (spec.penalized()) {
                // glmnet standardizes with the rows' prior weights, which cells do not keep
                throw new IllegalStateException("a penalized model needs its window's rows, not cells: run the"
                        + " stream without cells");
            }
            GlmResult r = GlmFitter.fit(new CellPasses(cells.table()), model);
            List<String> warnings = new ArrayList<>(r.warnings());
            warnings.add("fitted from " + cells.table().size() + " cells of " + cells.table().rows() + " rows; "
                    + CELLS_WARNING);
            return r.withWarnings(warnings);
        }
        return exact(((WindowContents.Rows) contents).buffer().sorted());
    }

    /** The online state between windows: coefficients and accumulated information (packed X'WX). */
    public record OnlineState(double[] beta, double[] information) {
    }

    /**
     * One Newton step on a window's rows from the previous state: beta = (l J + H)^-1 (l J beta0 + X'Wz), with H
     * and X'Wz at beta0 and l the forgetting factor; J becomes l J + H. The first window is fitted exactly.
     */
    public OnlineStep online(RowBuffer rows, OnlineState previous, double forgetting) {
        return online(rows.toMatrix(design.columnNames()), previous, forgetting);
    }

    /** {@link #online(RowBuffer, OnlineState, double)} on the rows of a matrix ({@link #sortedMatrix}). */
    public OnlineStep online(DesignMatrix matrix, OnlineState previous, double forgetting) {
        if (spec.penalized()) {
            throw new IllegalStateException("online refits are not defined for a penalized model: use exact refits");
        }
        InMemoryPasses passes = new InMemoryPasses(matrix, PASSES);
        int p = design.columns();
        Family family = model.family() != null ? model.family() : new NegativeBinomial(1.0);
        if (previous == null) {
            GlmResult exact = GlmFitter.fit(passes, model);
            double[] beta = exact.linearPredictorCoefficients();
            IrlsAccumulator at = passes.irls(new IrlsPass(family, model.link(), Point.coefficients(beta), false));
            return new OnlineStep(exact, new OnlineState(beta, at.xtwxPacked().clone()));
        }
        IrlsAccumulator h = passes.irls(new IrlsPass(family, model.link(), Point.coefficients(previous.beta()), false));
        double[] a = new double[PackedUpper.size(p)];
        double[] hp = h.xtwxPacked();
        for (int i = 0; i < a.length; i++) {
            a[i] = forgetting * previous.information()[i] + hp[i];
        }
        double[] full = PackedUpper.toFull(previous.information(), p);
        double[] b = h.xtwz().clone();
        for (int i = 0; i < p; i++) {
            double s = 0;
            for (int j = 0; j < p; j++) {
                s += full[i * p + j] * previous.beta()[j];
            }
            b[i] += forgetting * s;
        }
        Solution sol = CholeskySolver.solve(a, b, p, model.control().rankTolerance());
        double[] beta = sol.beta();
        IrlsAccumulator at = passes.irls(new IrlsPass(family, model.link(), Point.coefficients(beta), false));
        double[] cov = sol.unscaledCovariance();
        boolean fixed = family.dispersionFixed();
        long df = Math.max(1, at.activeRows() - sol.rank());
        double dispersion = fixed ? 1.0 : at.deviance() / df;
        List<Coefficient> coefficients = new ArrayList<>();
        boolean[] aliased = sol.aliased();
        for (int j = 0; j < p; j++) {
            String name = design.columnNames().get(j);
            if (aliased[j]) {
                coefficients.add(new Coefficient(name, true, null, null, null, null, null, null, null, null));
                continue;
            }
            double se = Math.sqrt(dispersion * cov[j * p + j]);
            double z = beta[j] / se;
            double pValue = fixed ? TestStatistics.normalTwoSided(z) : TestStatistics.studentTwoSided(z, df);
            coefficients.add(new Coefficient(name, false, beta[j], se, z, pValue, null, null, null, null));
        }
        GlmResult result = new GlmResult(spec.family(), family.rName(), model.link().name(), at.rows(),
                FitStatus.CONVERGED, List.of("online: one Newton step from the previous window's state"), true, false,
                1, coefficients, sol.rank(), at.deviance(), null, at.activeRows() - sol.rank(),
                at.activeRows() - (design.intercept() ? 1 : 0), dispersion, !fixed, null, null, null,
                fixed ? "z" : "t", null, null, null, List.of());
        return new OnlineStep(result, new OnlineState(beta, a));
    }

    /** An online refit's result and the state to carry to the next window. */
    public record OnlineStep(GlmResult result, OnlineState state) {
    }

    /** Why a replay of rows larger than its workers' memory has no diagnostics summary. */
    public static final String LARGER_THAN_MEMORY_SUMMARY = "the rows were larger than --row-memory, so the workers"
            + " read them again for each pass; the summary's Gini needs memory for each distinct score: replay with"
            + " a larger heap (STREAMGLM_HEAP) or --row-memory for A/E by level and the Gini";

    /**
     * The diagnostics summary of a refit of these rows: A/E by level and Gini at the refit (as the batch
     * diagnostics of the same rows), and the drift check against the previous window's model (none when null).
     *
     * @param rows the window's rows (any order: A/E and Gini do not depend on it)
     */
    public WindowSummary summarize(RowBuffer rows, GlmResult result, WindowSummary.PreviousModel previous) {
        return summarize(rows.toMatrix(design.columnNames()), result, previous);
    }

    /** {@link #summarize(RowBuffer, GlmResult, WindowSummary.PreviousModel)} of the rows of a matrix. */
    public WindowSummary summarize(DesignMatrix matrix, GlmResult result, WindowSummary.PreviousModel previous) {
        return WindowSummary.compute(matrix, design, model, result, WindowSummary.exposure(spec, matrix), previous);
    }

    /** The summary sums of these rows (a shard's part of a sharded refit's summary). */
    public SummarySums summarySums(DesignMatrix matrix, SummarySums.Request request) {
        return summarySums(matrix, 0, matrix.rows(), request);
    }

    /** The summary sums of rows {@code from} to {@code to} of the matrix (a replay worker's chunk). */
    public SummarySums summarySums(DesignMatrix matrix, int from, int to, SummarySums.Request request) {
        return SummarySums.accumulate(matrix, from, to, design, model, request,
                WindowSummary.exposure(spec, matrix, from, to));
    }

    /** Whether summaries weight the Gini by exposure ({@link WindowSummary#exposure}). */
    public boolean exposureWeighted() {
        return spec.exposure() != null && spec.offset() == null;
    }

    /**
     * The summary of a window's contents. From cells it has everything but the normalising Gini, which orders
     * rows by their own actual rate ({@link SummarySums#accumulateCells}).
     */
    public WindowSummary summarize(WindowContents contents, GlmResult result, WindowSummary.PreviousModel previous) {
        if (contents instanceof WindowContents.Rows r) {
            // canonical order: the same rows give the same sums (to the last bit) however they arrived
            return summarize(r.buffer().sorted(), result, previous);
        }
        CellTable table = ((WindowContents.Cells) contents).table();
        return summarySums(table, new SummarySums.Request(WindowSummary.PreviousModel.of("", result), previous))
                .summary(design, result, previous, exposureWeighted());
    }

    /** The summary sums of a window kept as cells (a shard's part of a sharded refit's summary). */
    public SummarySums summarySums(CellTable table, SummarySums.Request request) {
        return SummarySums.accumulateCells(table, design, request, exposureWeighted());
    }

    /**
     * The output record JSON with its diagnostics summary.
     *
     * @param summary     null when there is none: its keys are then null and {@code unavailable} says why
     */
    public String record(String modelId, String refit, String windowKind, Long start, Long end, long rows, String mode,
                         GlmResult result, long watermark, WindowSummary summary, String unavailable) {
        Map<String, Object> provenance = new LinkedHashMap<>(baseProvenance);
        provenance.put("watermark", watermark);
        ObjectNode json = RefitRecord.toJson(modelId, refit, windowKind, start, end, rows, mode, result, provenance);
        RefitRecord.addSummary(json, summary, unavailable);
        RefitRecord.addModel(json, spec, design, result);
        return json.toString();
    }
}
