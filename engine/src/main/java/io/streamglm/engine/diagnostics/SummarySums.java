package io.streamglm.engine.diagnostics;

import io.streamglm.engine.accumulate.CellTable;
import io.streamglm.engine.design.DesignMatrix;
import io.streamglm.engine.design.DesignTerm;
import io.streamglm.engine.design.FactorComponent;
import io.streamglm.engine.design.FittedDesign;
import io.streamglm.engine.fit.GlmModel;
import io.streamglm.engine.fit.GlmResult;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * What a {@link WindowSummary} is computed from, in a form that adds up over disjoint sets of rows: A/E sums by
 * level of each categorical main effect (rows, actual, expected, variance) at the refit's model and at the previous
 * window's, the Gini's Lorenz steps ({@link GiniSteps}: by distinct score, and by distinct actual rate for the
 * normalising Gini) and the totals. A sharded refit's shards each send the sums of their rows, and the coordinator
 * merges them into the summary of the whole window, exactly what one operator holding every row computes (to
 * rounding: the same sums added in another order).
 *
 * <p>A window kept as cells (Poisson log-link rows compressed by design row) has the same sums: a cell's rows
 * share their score x'beta and their means are its exposures times exp(x'beta), so A/E, the Gini's steps and the
 * drift check come from the cell's counts, exposures and rows. Only the normalising Gini, which orders rows by
 * their own actual rate, is out of reach; those sums have no actual-rate steps.
 *
 * <p>Bytes, little-endian, version 1: magic "SGMS" int, version byte, flags byte (1: sums at the refit's model,
 * 2: at the previous model, 4: no actual-rate steps, from cells), factor term count int and each term's level
 * count int; with flag 1, per term and level rows long, actual, expected and variance doubles, then total
 * exposure weight and total actual doubles, the score steps and (without flag 4) the actual-rate steps (count
 * int, then score, exposure weight, actual doubles each); with flag 2, per term and level the same four sums.
 */
public final class SummarySums {
    private static final int MAGIC = 0x53474D53; // "SGMS"
    private static final byte VERSION = 1;
    private static final byte CURRENT = 1;
    private static final byte PREVIOUS = 2;
    private static final byte NO_RATE_STEPS = 4;

    private final List<GroupSums> current;
    private final List<GroupSums> previous;
    private final double totalExposure;
    private final double totalActual;
    private final GiniSteps scoreSteps;
    private final GiniSteps rateSteps;

    private SummarySums(List<GroupSums> current, List<GroupSums> previous, double totalExposure, double totalActual,
                        GiniSteps scoreSteps, GiniSteps rateSteps) {
        this.current = current;
        this.previous = previous;
        this.totalExposure = totalExposure;
        this.totalActual = totalActual;
        this.scoreSteps = scoreSteps;
        this.rateSteps = rateSteps;
    }

    /**
     * What a shard is asked to sum: its rows scored with the refit's model and with the previous window's. Either
     * may be absent: a failed refit has no model, the first window no previous one. Bytes, little-endian, version
     * 1: magic "SGMQ" int, version byte, then for the refit's model and the previous one a length int (-1: none)
     * and the model's {@link WindowSummary.PreviousModel#toBytes} form.
     */
    public record Request(WindowSummary.PreviousModel current, WindowSummary.PreviousModel previous) {
        private static final int REQUEST_MAGIC = 0x53474D51; // "SGMQ"

        public boolean empty() {
            return current == null && previous == null;
        }

        public byte[] toBytes() {
            byte[] c = current == null ? new byte[0] : current.toBytes();
            byte[] p = previous == null ? new byte[0] : previous.toBytes();
            ByteBuffer out = ByteBuffer.allocate(4 + 1 + 8 + c.length + p.length).order(ByteOrder.LITTLE_ENDIAN);
            out.putInt(REQUEST_MAGIC).put(VERSION);
            out.putInt(current == null ? -1 : c.length).put(c);
            out.putInt(previous == null ? -1 : p.length).put(p);
            return out.array();
        }

        public static Request fromBytes(byte[] bytes) {
            ByteBuffer in = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
            if (bytes.length < 13 || in.getInt() != REQUEST_MAGIC) {
                throw new IllegalArgumentException("summary request: not a summary request");
            }
            byte v = in.get();
            if (v != VERSION) {
                throw new IllegalArgumentException("summary request: version " + v
                        + " is not readable by this engine (it reads " + VERSION + "); upgrade streamglm");
            }
            return new Request(model(in), model(in));
        }

        private static WindowSummary.PreviousModel model(ByteBuffer in) {
            int length = in.getInt();
            if (length < 0) {
                return null;
            }
            if (length > in.remaining()) {
                throw new IllegalArgumentException("summary request: a model of " + length
                        + " bytes does not fit the bytes left");
            }
            byte[] bytes = new byte[length];
            in.get(bytes);
            return WindowSummary.PreviousModel.fromBytes(bytes);
        }
    }

    /**
     * The sums of these rows.
     *
     * @param exposure each row's exposure, or null to weight the Gini by prior weight alone
     */
    public static SummarySums accumulate(DesignMatrix m, FittedDesign design, GlmModel model, Request request,
                                         double[] exposure) {
        return accumulate(m, 0, m.rows(), design, model, request, exposure);
    }

    /**
     * The sums of rows {@code from} to {@code to} of {@code m} (a chunk of a larger matrix).
     *
     * @param exposure row i's exposure at {@code i - from}, or null to weight the Gini by prior weight alone
     */
    public static SummarySums accumulate(DesignMatrix m, int from, int to, FittedDesign design, GlmModel model,
                                         Request request, double[] exposure) {
        List<GroupSums> current = null;
        double totalE = 0;
        double totalA = 0;
        GiniSteps scoreSteps = null;
        GiniSteps rateSteps = null;
        if (request.current() != null) {
            WindowSummary.PreviousModel at = request.current();
            double[] score = Lift.scores(m, from, to, at.beta());
            double[] mu = means(m, from, model, score);
            current = ActualExpected.sums(m, from, to, design, WindowSummary.family(model, at.theta()), mu);
            Lift.Weights w = Lift.Weights.of(m, from, to, exposure);
            totalE = w.totalExposure();
            totalA = w.totalActual();
            scoreSteps = GiniSteps.of(score, w.exposure(), w.actual());
            rateSteps = GiniSteps.of(w.actualRates(), w.exposure(), w.actual());
        }
        List<GroupSums> previous = null;
        if (request.previous() != null && request.previous().beta().length == design.columns()) {
            WindowSummary.PreviousModel before = request.previous();
            double[] mu = means(m, from, model, Lift.scores(m, from, to, before.beta()));
            previous = ActualExpected.sums(m, from, to, design, WindowSummary.family(model, before.theta()), mu);
        }
        return new SummarySums(current, previous, totalE, totalA, scoreSteps, rateSteps);
    }

    /**
     * The sums of a window kept as cells ({@link CellTable}: a Poisson log-link model without prior weights). A
     * cell of n rows, counts Y and exposures E has actual Y, expected E exp(x'beta) and, the variance of these
     * families being the mean, variance sum E exp(x'beta); its rows tie on x'beta, so it is one piece of one step
     * of the Gini, of exposure weight E (n when the Gini weights by prior weight alone).
     */
    public static SummarySums accumulateCells(CellTable table, FittedDesign design, Request request,
                                              boolean exposureWeighted) {
        DesignMatrix m = table.cells();
        int n = table.size();
        List<GroupSums> current = null;
        double totalE = 0;
        double totalA = 0;
        GiniSteps scoreSteps = null;
        if (request.current() != null) {
            double[] score = Lift.scores(m, 0, n, request.current().beta());
            current = cellSums(table, design, score);
            double[] e = new double[n];
            double[] a = new double[n];
            for (int c = 0; c < n; c++) {
                e[c] = exposureWeighted ? table.stat(c, CellTable.E) : table.stat(c, CellTable.N);
                a[c] = table.stat(c, CellTable.Y);
                totalE += e[c];
                totalA += a[c];
            }
            scoreSteps = GiniSteps.of(score, e, a);
        }
        List<GroupSums> previous = null;
        if (request.previous() != null && request.previous().beta().length == design.columns()) {
            previous = cellSums(table, design, Lift.scores(m, 0, n, request.previous().beta()));
        }
        return new SummarySums(current, previous, totalE, totalA, scoreSteps, null);
    }

    private static List<GroupSums> cellSums(CellTable table, FittedDesign design, double[] score) {
        DesignMatrix m = table.cells();
        List<GroupSums> out = new ArrayList<>();
        for (DesignTerm term : ActualExpected.factorTerms(design)) {
            FactorComponent factor = (FactorComponent) term.components().get(0);
            GroupSums sums = new GroupSums(factor.levels().size());
            for (int c = 0; c < table.size(); c++) {
                int level = ActualExpected.level(m, c, term, factor);
                if (level >= 0) {
                    double expected = table.stat(c, CellTable.E) * Math.exp(score[c]);
                    sums.addAll(level, (long) table.stat(c, CellTable.N), table.stat(c, CellTable.Y), expected,
                            expected);
                }
            }
            out.add(sums);
        }
        return out;
    }

    /** Fitted means linkinv(x'beta + offset) of the rows from {@code from}, given their x'beta. */
    private static double[] means(DesignMatrix m, int from, GlmModel model, double[] score) {
        double[] mu = new double[score.length];
        for (int i = 0; i < mu.length; i++) {
            mu[i] = model.link().linkinv(score[i] + m.offset(from + i));
        }
        return mu;
    }

    /** The sums of both sets of rows (this one's first); both must answer the same request. */
    public SummarySums merge(SummarySums other) {
        if ((current == null) != (other.current == null) || (previous == null) != (other.previous == null)) {
            throw new IllegalArgumentException("summary sums of different requests cannot be merged");
        }
        return new SummarySums(add(current, other.current), add(previous, other.previous),
                totalExposure + other.totalExposure, totalActual + other.totalActual,
                scoreSteps == null ? null : scoreSteps.merge(other.scoreSteps),
                rateSteps == null || other.rateSteps == null ? null : rateSteps.merge(other.rateSteps));
    }

    private static List<GroupSums> add(List<GroupSums> a, List<GroupSums> b) {
        if (a == null) {
            return null;
        }
        if (a.size() != b.size()) {
            throw new IllegalArgumentException("summary sums over different designs cannot be merged");
        }
        List<GroupSums> out = new ArrayList<>(a.size());
        for (int t = 0; t < a.size(); t++) {
            out.add(a.get(t).plus(b.get(t)));
        }
        return out;
    }

    /**
     * The summary of the rows: A/E and Gini at the refit (absent when {@code result} failed), drift against
     * {@code previous} (absent when the request had none).
     */
    public WindowSummary summary(FittedDesign design, GlmResult result, WindowSummary.PreviousModel previous,
                                 boolean exposureWeighted) {
        ActualExpected ae = null;
        double gini = Double.NaN;
        double giniNormalised = Double.NaN;
        if (current != null) {
            ae = ActualExpected.of(design, current, result.dispersion() == null ? Double.NaN : result.dispersion());
            gini = scoreSteps.gini(totalExposure, totalActual);
            giniNormalised = rateSteps == null ? Double.NaN : gini / rateSteps.gini(totalExposure, totalActual);
        }
        WindowSummary.Drift drift = null;
        if (this.previous != null) {
            drift = WindowSummary.drift(previous.refit(), ActualExpected.of(design, this.previous,
                    previous.dispersion()));
        }
        return new WindowSummary(ae, gini, giniNormalised, exposureWeighted, drift);
    }

    public byte[] toBytes() {
        List<GroupSums> shape = current != null ? current : previous;
        int size = 4 + 1 + 1 + 4 + (shape == null ? 0 : 4 * shape.size());
        if (current != null) {
            size += sumsBytes(current) + 16 + scoreSteps.byteSize() + (rateSteps == null ? 0 : rateSteps.byteSize());
        }
        if (previous != null) {
            size += sumsBytes(previous);
        }
        ByteBuffer out = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
        out.putInt(MAGIC).put(VERSION).put((byte) ((current != null ? CURRENT : 0) | (previous != null ? PREVIOUS : 0)
                | (current != null && rateSteps == null ? NO_RATE_STEPS : 0)));
        out.putInt(shape == null ? 0 : shape.size());
        if (shape != null) {
            for (GroupSums g : shape) {
                out.putInt(g.rows.length);
            }
        }
        if (current != null) {
            writeSums(out, current);
            out.putDouble(totalExposure).putDouble(totalActual);
            scoreSteps.write(out);
            if (rateSteps != null) {
                rateSteps.write(out);
            }
        }
        if (previous != null) {
            writeSums(out, previous);
        }
        return out.array();
    }

    public static SummarySums fromBytes(byte[] bytes) {
        ByteBuffer in = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        if (bytes.length < 10 || in.getInt() != MAGIC) {
            throw new IllegalArgumentException("summary sums: not summary sums");
        }
        byte v = in.get();
        if (v != VERSION) {
            throw new IllegalArgumentException("summary sums: version " + v + " is not readable by this engine (it"
                    + " reads " + VERSION + "); upgrade streamglm");
        }
        byte flags = in.get();
        int terms = in.getInt();
        if (terms < 0 || (long) terms * 4 > in.remaining()) {
            throw new IllegalArgumentException("summary sums: " + terms + " terms do not fit the bytes left");
        }
        int[] levels = new int[terms];
        for (int t = 0; t < terms; t++) {
            levels[t] = in.getInt();
        }
        List<GroupSums> current = null;
        double totalE = 0;
        double totalA = 0;
        GiniSteps scoreSteps = null;
        GiniSteps rateSteps = null;
        if ((flags & CURRENT) != 0) {
            current = readSums(in, levels);
            totalE = in.getDouble();
            totalA = in.getDouble();
            scoreSteps = GiniSteps.read(in);
            rateSteps = (flags & NO_RATE_STEPS) != 0 ? null : GiniSteps.read(in);
        }
        List<GroupSums> previous = (flags & PREVIOUS) != 0 ? readSums(in, levels) : null;
        return new SummarySums(current, previous, totalE, totalA, scoreSteps, rateSteps);
    }

    private static int sumsBytes(List<GroupSums> sums) {
        int n = 0;
        for (GroupSums g : sums) {
            n += 32 * g.rows.length;
        }
        return n;
    }

    private static void writeSums(ByteBuffer out, List<GroupSums> sums) {
        for (GroupSums g : sums) {
            for (int l = 0; l < g.rows.length; l++) {
                out.putLong(g.rows[l]).putDouble(g.actual[l]).putDouble(g.expected[l]).putDouble(g.variance[l]);
            }
        }
    }

    private static List<GroupSums> readSums(ByteBuffer in, int[] levels) {
        List<GroupSums> out = new ArrayList<>(levels.length);
        for (int count : levels) {
            if (count < 0 || (long) count * 32 > in.remaining()) {
                throw new IllegalArgumentException("summary sums: " + count + " levels do not fit the bytes left");
            }
            GroupSums g = new GroupSums(count);
            for (int l = 0; l < count; l++) {
                g.rows[l] = in.getLong();
                g.actual[l] = in.getDouble();
                g.expected[l] = in.getDouble();
                g.variance[l] = in.getDouble();
            }
            out.add(g);
        }
        return out;
    }
}
