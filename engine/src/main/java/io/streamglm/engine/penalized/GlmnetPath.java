package io.streamglm.engine.penalized;

import io.streamglm.engine.family.Family;
import io.streamglm.engine.link.Link;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * glmnet 4.1's path solver. The gaussian family with the identity link is {@code elnet} (covariance updates); the
 * binomial with logit is {@code lognet} and the poisson with log is {@code fishnet} (Newton steps around
 * coordinate descent); every other family and link is {@code glmnet.path} with a family object, the same IRLS
 * around coordinate descent with the family's working weights. Each flavour keeps glmnet's own lambda sequence and
 * early stop, which differ between them.
 *
 * <p>All solving happens on {@link GlmnetProblem}'s standardized columns; lambdas are glmnet's, on the scale of the
 * objective {@code -loglik/n + lambda * ((1 - a) / 2 * ||b||^2 + a * ||b||_1)}.
 */
public final class GlmnetPath {
    /** glmnet.control()'s pmin: lognet's smallest probability. */
    static final double PMIN = 1e-9;
    private static final double BIG = LambdaSchedule.BIG;

    /** Which of glmnet's drivers fits the family. */
    enum Flavour { ELNET, LOGNET, FISHNET, FLEX }

    /**
     * @param alpha          l1 ratio
     * @param lambdas        given lambdas (decreasing), or null for glmnet's sequence
     * @param penaltyFactor  per penalized column, already rescaled to sum to the number of columns
     * @param groups         group of each penalized column for the group lasso (a group's columns adjacent, its
     *                       penalty factor the same), or null for glmnet's elastic net
     */
    record Options(double alpha, double[] lambdas, int nLambda, double lambdaMinRatio, double thresh, int maxPasses,
                   double[] penaltyFactor, int[] groups) {
    }

    private final GlmnetProblem pr;
    private final Family family;
    private final Link link;
    private final Flavour flavour;
    private final Options o;
    private final LambdaSchedule schedule;
    private final int n;
    private final int p;
    private final double[] vp;
    private final boolean[] strong;
    private final double[] ga;
    private final double[] b;
    /** Group lasso: the columns of group g are groupStart[g] until groupStart[g + 1]; null without groups. */
    private final int[] groupStart;
    private double a0;
    private int passes;

    private GlmnetPath(GlmnetProblem pr, Family family, Link link, Options o) {
        this.pr = pr;
        this.family = family;
        this.link = link;
        this.flavour = flavour(family, link);
        this.o = o;
        this.schedule = new LambdaSchedule(flavour, family.name(), o);
        this.n = pr.n;
        this.p = pr.p;
        this.vp = o.penaltyFactor();
        this.strong = new boolean[p];
        this.ga = new double[p];
        this.b = new double[p];
        this.groupStart = o.groups() == null ? null : groupStarts(o.groups());
    }

    /** Start column of each group, plus p at the end. */
    private static int[] groupStarts(int[] groups) {
        int count = groups.length == 0 ? 0 : groups[groups.length - 1] + 1;
        int[] start = new int[count + 1];
        for (int j = groups.length - 1; j >= 0; j--) {
            start[groups[j]] = j;
        }
        start[count] = groups.length;
        return start;
    }

    static Flavour flavour(Family family, Link link) {
        String f = family.name();
        String l = link.name();
        if (f.equals("gaussian") && l.equals("identity")) {
            return Flavour.ELNET;
        }
        if (f.equals("binomial") && l.equals("logit")) {
            return Flavour.LOGNET;
        }
        if (f.equals("poisson") && l.equals("log")) {
            return Flavour.FISHNET;
        }
        return Flavour.FLEX;
    }

    /** The warning when glmnet's maxit stops the path at a lambda (1-based), for both the gaussian and GLM paths. */
    private String notConverged(int lambdaIndex) {
        return "the coordinate descent did not converge at lambda index " + lambdaIndex + " within "
                + o.maxPasses() + " passes (glmnet's maxit); the path stops there";
    }

    /** Fits the whole path. */
    static PathFit fit(GlmnetProblem pr, Family family, Link link, Options o) {
        GlmnetPath path = new GlmnetPath(pr, family, link, o);
        // The group lasso has no glmnet counterpart: every family, the gaussian too, goes through the Newton loop
        // with block coordinate descent, on the objective as documented (no response scaling).
        return path.flavour == Flavour.ELNET && path.groupStart == null ? path.runGaussian() : path.runGlm();
    }

    /** Thrown when glmnet's maxit is reached: the path keeps the fits before. */
    private static final class MaxPassesReached extends RuntimeException {
        private static final long serialVersionUID = 1L;

        MaxPassesReached() {
            super(null, null, false, false);
        }
    }

    /** |gradient| at glmnet.path's starting fit (intercept and unpenalized columns). */
    private double[] nullGradient;

    /**
     * max over penalized columns (groups) of |gradient| / penalty factor (/ sqrt(size)): lambda_max times alpha.
     * glmnet.path takes the gradient at get_start's fit; the native drivers at their first fit.
     */
    private double maxGradient() {
        double[] g = flavour == Flavour.FLEX ? nullGradient : ga;
        double max = 0;
        if (groupStart != null) {
            for (int k = 0; k + 1 < groupStart.length; k++) {
                int j = groupStart[k];
                if (vp[j] > 0 && groupSize(k) > 0) {
                    max = Math.max(max, groupNorm(k, g) / (vp[j] * Math.sqrt(groupSize(k))));
                }
            }
            return max;
        }
        for (int j = 0; j < p; j++) {
            if (pr.ju[j] && vp[j] > 0) {
                max = Math.max(max, g[j] / vp[j]);
            }
        }
        return max;
    }

    /** The sequential strong rule: column j joins when its gradient exceeds alpha * (2 lambda - lambda_prev). */
    private void strongRule(double lambda, double prevLambda) {
        double tlam = o.alpha() * (2 * lambda - prevLambda);
        if (groupStart != null) {
            for (int k = 0; k + 1 < groupStart.length; k++) {
                int j0 = groupStart[k];
                if (!strong[j0] && groupSize(k) > 0 && groupNorm(k, ga) > tlam * vp[j0] * Math.sqrt(groupSize(k))) {
                    setStrong(k);
                }
            }
            return;
        }
        for (int j = 0; j < p; j++) {
            if (!strong[j] && pr.ju[j] && ga[j] > tlam * vp[j]) {
                strong[j] = true;
            }
        }
    }

    private static double softThreshold(double u, double l1, double denominator) {
        double v = Math.abs(u) - l1;
        return v > 0 ? Math.copySign(v, u) / denominator : 0;
    }

    private void countPass() {
        if (++passes > o.maxPasses()) {
            throw new MaxPassesReached();
        }
    }

    private PathFit finish(double[] lam, double[] a0s, double[][] betas, double[] dev, int count, double scale,
                           double nullDev, List<String> warnings) {
        int[] df = new int[count];
        for (int m = 0; m < count; m++) {
            for (double v : betas[m]) {
                df[m] += v != 0 ? 1 : 0;
            }
        }
        return new PathFit(schedule.reported(lam, count, scale), Arrays.copyOf(a0s, count), Arrays.copyOf(betas, count),
                df, Arrays.copyOf(dev, count), nullDev, passes, warnings);
    }

    // ---------------------------------------------------------------------------------------------------------
    // elnet, covariance updates: g[j] = x_j' W r is kept for every column, and each column that turns non-zero
    // brings its inner products with all columns, so a coordinate step costs O(p), not O(n).

    private PathFit runGaussian() {
        double[] w = pr.w;
        double[] y = new double[n];
        double ym = 0;
        for (int i = 0; i < n; i++) {
            y[i] = pr.y[i] - pr.offset[i];
            ym += w[i] * y[i];
        }
        double center = pr.intercept ? ym : 0;
        double ss = 0;
        for (int i = 0; i < n; i++) {
            ss += w[i] * (y[i] - center) * (y[i] - center);
        }
        // elnet scales the response too (by its 1/n standard deviation, about 0 without an intercept), and
        // reports lambda on the response's scale.
        double ys = Math.sqrt(ss);
        if (!(ys > 0)) {
            throw new IllegalArgumentException("y is constant; gaussian glmnet fails at standardization step");
        }
        double[] wy = new double[n];
        double sumWy = 0;
        for (int i = 0; i < n; i++) {
            wy[i] = w[i] * (y[i] - center) / ys;
            sumWy += wy[i];
        }
        Elnet elnet = new Elnet(wy, sumWy);
        int nlam = schedule.size();
        double[] lam = new double[nlam];
        double[] a0s = new double[nlam];
        double[][] betas = new double[nlam][];
        double[] dev = new double[nlam];
        double thr = o.thresh();
        double prev = 0;
        int count = 0;
        List<String> warnings = new ArrayList<>();
        try {
            for (int m = 0; m < nlam; m++) {
                for (int j = 0; j < p; j++) {
                    ga[j] = Math.abs(elnet.g[j]);
                }
                double[] lp = schedule.at(m, prev, ys, this::maxGradient);
                double alm = lp[0];
                strongRule(alm, lp[1]);
                prev = alm;
                double ab = alm * o.alpha();
                double dem = alm * (1 - o.alpha());
                while (true) {
                    countPass();
                    double dlx = 0;
                    for (int k = 0; k < p; k++) {
                        if (strong[k]) {
                            dlx = Math.max(dlx, elnet.step(k, ab, dem));
                        }
                    }
                    if (dlx < thr) {
                        boolean added = false;
                        for (int k = 0; k < p; k++) {
                            if (!strong[k] && pr.ju[k] && Math.abs(elnet.g[k]) > ab * vp[k]) {
                                strong[k] = true;
                                added = true;
                            }
                        }
                        if (!added) {
                            break;
                        }
                        continue;
                    }
                    // Sweep the active set alone until it settles, then check everything again.
                    do {
                        countPass();
                        dlx = 0;
                        for (int a = 0; a < elnet.nActive; a++) {
                            dlx = Math.max(dlx, elnet.step(elnet.activeList[a], ab, dem));
                        }
                    } while (dlx >= thr);
                }
                double[] beta = new double[p];
                a0s[m] = pr.toOriginal(0, b, ys, ym, beta);
                if (!pr.intercept) {
                    a0s[m] = 0;
                }
                betas[m] = beta;
                lam[m] = alm;
                dev[m] = elnet.rsq;
                count = m + 1;
                if (schedule.stopAfter(m, dev)) {
                    break;
                }
            }
        } catch (MaxPassesReached e) {
            warnings.add(notConverged(count + 1));
        }
        return finish(lam, a0s, betas, dev, count, ys, 1.0, warnings);
    }

    /**
     * elnet's covariance-update state: {@code g[j] = x~_j' W r} for every column, each active column's inner
     * products with all columns, and the fraction of variance explained.
     */
    private final class Elnet {
        final double[] g = new double[p];
        final double[] xv = new double[p];
        final double[] wx = new double[p];
        final double[][] cov = new double[p][];
        final int[] activeList = new int[p];
        final double[] work = new double[n];
        int nActive;
        double rsq;

        Elnet(double[] wy, double sumWy) {
            for (int j = 0; j < p; j++) {
                if (pr.ju[j]) {
                    g[j] = pr.dot(j, wy, sumWy);
                    xv[j] = pr.xv(j, pr.w, 1.0);
                    wx[j] = pr.rawDot(j, pr.w);
                }
            }
        }

        /** One coordinate step of column k; returns xv * change^2, glmnet's convergence measure. */
        double step(int k, double ab, double dem) {
            double gk = g[k];
            double ak = b[k];
            double bk = softThreshold(gk + ak * xv[k], vp[k] * ab, xv[k] + vp[k] * dem);
            if (bk == ak) {
                return 0;
            }
            if (cov[k] == null) {
                activeList[nActive++] = k;
                cov[k] = pr.inner(k, pr.w, wx, 1.0, work);
            }
            double del = bk - ak;
            b[k] = bk;
            rsq += del * (2 * gk - del * xv[k]);
            double[] ck = cov[k];
            for (int j = 0; j < p; j++) {
                g[j] -= ck[j] * del;
            }
            return xv[k] * del * del;
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // lognet / fishnet / glmnet.path: at each lambda, Newton (IRLS) steps; each step's weighted least squares is
    // solved by coordinate descent on the residuals v * (z - eta), the strong set first, then a KKT check of the
    // rest once the step has converged.

    private double[] eta;
    private double[] mu;
    private double[] v;
    /**
     * The working residuals v * (z - eta) are {@code r[i] + kappa * v[i]}: a step of a centred column changes every
     * row by a multiple of v, which kappa carries, so a step costs the column's own rows only.
     */
    private double[] r;
    private double kappa;
    private double sumR;
    private double v0;
    /** sum_i v_i x_ij (raw) of each column at the current weights. */
    private double[] vx;
    /** sum_i v_i x_ij^2 (raw) of each column at the current weights. */
    private double[] vxx;
    /** sum_i r_i x_ij (raw) of each column at the last {@link #working}; valid while {@link #fresh}. */
    private double[] rx;
    /** Whether r is still as {@link #working} left it (no column step since), so that rx holds its sums. */
    private boolean fresh;
    private double[] work;

    /** n zeros, for inner products. */
    private double[] work() {
        if (work == null) {
            work = new double[n];
        }
        return work;
    }

    private static final double FMAX = Math.log(1.0 / PMIN - 1.0);

    /** {@link #working}'s per-row part: means, working weights and residuals of rows from until to. */
    private void working(int from, int to) {
        double[] w = pr.w;
        for (int i = from; i < to; i++) {
            double e = eta[i];
            switch (flavour) {
                case LOGNET -> {
                    // lognet clamps the probability at pmin (fitted 0 or 1 leave the fit).
                    double q = e < -FMAX ? 0 : e > FMAX ? 1 : 1 / (1 + Math.exp(-e));
                    mu[i] = q;
                    v[i] = w[i] * q * (1 - q);
                    r[i] = w[i] * (pr.y[i] - q);
                }
                case FISHNET -> {
                    double m = Math.exp(e);
                    mu[i] = m;
                    v[i] = w[i] * m;
                    r[i] = w[i] * (pr.y[i] - m);
                }
                default -> {
                    double m = link.linkinv(e);
                    double me = link.muEta(e, m);
                    double var = family.variance(m);
                    mu[i] = m;
                    v[i] = w[i] * me * me / var;
                    r[i] = w[i] * (pr.y[i] - m) * me / var;
                }
            }
        }
    }

    /** Means, working weights v and working residuals r = v * (z - eta) at the current eta. */
    private void working() {
        GlmnetProblem.forRows(n, this::working);
        kappa = 0;
        sumR = 0;
        v0 = 0;
        for (int i = 0; i < n; i++) {
            sumR += r[i];
            v0 += v[i];
        }
        pr.sums(v, r, vx, vxx, rx);
        for (int j = 0; j < p; j++) {
            if (!pr.ju[j]) {
                vx[j] = 0;
            }
        }
        fresh = true;
    }

    /** The curvature xv of column j at the current weights. */
    private double xv(int j) {
        return pr.xv(j, vx[j], vxx[j], v0);
    }

    private double deviance() {
        double d = 0;
        for (int i = 0; i < n; i++) {
            if (pr.w[i] > 0) {
                d += family.devResid(pr.y[i], mu[i], pr.w[i]);
            }
        }
        return d;
    }

    private void linearPredictor() {
        double base = a0;
        for (int j = 0; j < p; j++) {
            base -= b[j] * pr.xm[j] / pr.xs[j];
        }
        double b0 = base;
        GlmnetProblem.forRows(n, (from, to) -> {
            for (int i = from; i < to; i++) {
                eta[i] = b0 + pr.offset[i];
            }
        });
        for (int j = 0; j < p; j++) {
            if (b[j] != 0) {
                pr.addRaw(j, b[j] / pr.xs[j], eta);
            }
        }
    }

    /** sum_i x~_ij (r_i + kappa v_i): the working residuals' gradient for column j. */
    private double gradient(int j) {
        double rawR = fresh ? rx[j] : pr.rawDot(j, r);
        return (rawR - pr.xm[j] * sumR) / pr.xs[j] + kappa * (vx[j] - pr.xm[j] * v0) / pr.xs[j];
    }

    /** The working residuals after standardized coefficient j moved by d. */
    private void stepResiduals(int j, double d) {
        pr.subtractRaw(j, d, v, r);
        fresh = false;
        sumR -= d * vx[j] / pr.xs[j];
        kappa += d * pr.xm[j] / pr.xs[j];
    }

    /** The intercept's coordinate step. */
    private double stepIntercept() {
        double d = (sumR + kappa * v0) / v0;
        a0 += d;
        kappa -= d;
        return v0 * d * d;
    }

    /** The intercept-only fit (with the offset): glmnet's starting point and null deviance. */
    private void nullModel() {
        a0 = 0;
        if (pr.intercept) {
            double ybar = 0;
            for (int i = 0; i < n; i++) {
                ybar += pr.w[i] * pr.y[i];
            }
            a0 = flavour == Flavour.LOGNET ? Math.log(ybar / (1 - ybar)) : link.linkfun(ybar);
            boolean anyOffset = false;
            for (int i = 0; i < n; i++) {
                anyOffset |= pr.offset[i] != 0;
            }
            if (anyOffset && flavour == Flavour.FLEX) {
                // glmnet.path's get_start: glm(y ~ 1, offset) at R's stop, not the exact intercept
                double start = GlmStart.intercept(pr.y, pr.priorWeights, pr.offset, family, link);
                if (!Double.isNaN(start)) {
                    a0 = start;
                    anyOffset = false;
                }
            }
            for (int it = 0; anyOffset && it < 100; it++) {
                linearPredictor();
                working();
                double sr = 0;
                double sv = 0;
                for (int i = 0; i < n; i++) {
                    sr += r[i];
                    sv += v[i];
                }
                double d = sr / sv;
                a0 += d;
                if (Math.abs(d) < 1e-13 * Math.max(1, Math.abs(a0))) {
                    break;
                }
            }
        }
        linearPredictor();
        working();
    }

    private PathFit runGlm() {
        eta = new double[n];
        mu = new double[n];
        v = new double[n];
        r = new double[n];
        vx = new double[p];
        vxx = new double[p];
        rx = new double[p];
        nullModel();
        double nullDev = deviance();
        if (!(nullDev > 0) || !Double.isFinite(nullDev)) {
            throw new IllegalArgumentException("the intercept-only fit leaves no deviance to explain (null deviance "
                    + nullDev + "): the response is constant or at the edge of the family's range");
        }
        double thr = o.thresh() * nullDev / 2;
        double[] xv = new double[p];
        double[] bs = new double[p];
        int nlam = schedule.size();
        double[] lam = new double[nlam];
        double[] a0s = new double[nlam];
        double[][] betas = new double[nlam][];
        double[] dev = new double[nlam];
        double prev = 0;
        int count = 0;
        List<String> warnings = new ArrayList<>();
        boolean unpenalized = false;
        for (int j = 0; j < p; j++) {
            unpenalized |= pr.ju[j] && vp[j] <= 0;
        }
        try {
            if (flavour == Flavour.FLEX && unpenalized) {
                // glmnet.path's get_start: the unpenalized columns fitted to convergence (glm.fit) give the
                // starting means and lambda_max; its first fit (at "big") stops short of that at epsnr.
                for (int j = 0; j < p; j++) {
                    ga[j] = pr.ju[j] ? Math.abs(gradient(j)) : 0;
                }
                strongRule(BIG, 0);
                solveNative(BIG * o.alpha(), BIG * (1 - o.alpha()), xv, bs, thr);
            }
            nullGradient = new double[p];
            for (int j = 0; j < p; j++) {
                nullGradient[j] = pr.ju[j] ? Math.abs(gradient(j)) : 0;
            }
            for (int m = 0; m < nlam; m++) {
                for (int j = 0; j < p; j++) {
                    ga[j] = pr.ju[j] ? Math.abs(gradient(j)) : 0;
                }
                double[] lp = schedule.at(m, prev, 1, this::maxGradient);
                double alm = lp[0];
                strongRule(alm, lp[1]);
                prev = alm;
                double ab = alm * o.alpha();
                double dem = alm * (1 - o.alpha());
                if (flavour == Flavour.FLEX && groupStart == null) {
                    solveFlex(alm, ab, dem, xv);
                } else {
                    solveNative(ab, dem, xv, bs, thr);
                }
                double[] beta = new double[p];
                a0s[m] = pr.intercept ? pr.toOriginal(a0, b, 1, 0, beta) : pr.toOriginal(0, b, 1, 0, beta);
                betas[m] = beta;
                lam[m] = alm;
                dev[m] = 1 - deviance() / nullDev;
                count = m + 1;
                if (schedule.stopAfter(m, dev)) {
                    break;
                }
            }
        } catch (MaxPassesReached e) {
            warnings.add(notConverged(count + 1));
        }
        return finish(lam, a0s, betas, dev, count, 1, nullDev, warnings);
    }

    /**
     * lognet / fishnet at one lambda: Newton steps, each solved by coordinate descent over the strong set, until
     * no coefficient moves by more than the threshold; then the KKT check of the other columns.
     */
    private void solveNative(double ab, double dem, double[] xv, double[] bs, double thr) {
        while (true) {
            // One Newton step: weights at the current fit, then coordinate descent to convergence.
            for (int j = 0; j < p; j++) {
                if (strong[j]) {
                    xv[j] = xv(j);
                }
            }
            System.arraycopy(b, 0, bs, 0, p);
            double a0Start = a0;
            if (groupStart != null) {
                descendGroups(ab, dem, xv, thr);
            } else {
                descend(ab, dem, xv, thr);
            }
            double dlx = v0 * (a0 - a0Start) * (a0 - a0Start);
            for (int j = 0; j < p; j++) {
                double d = b[j] - bs[j];
                dlx = Math.max(dlx, xv[j] * d * d);
            }
            linearPredictor();
            working();
            if (dlx >= thr) {
                continue;
            }
            if (!kktAdds(ab)) {
                break;
            }
        }
    }

    /** The KKT check of the columns (groups) outside the strong set; violators join it. */
    private boolean kktAdds(double ab) {
        boolean added = false;
        if (groupStart != null) {
            double[] g = new double[p];
            for (int j = 0; j < p; j++) {
                g[j] = !strong[j] && pr.ju[j] ? gradient(j) : 0;
            }
            for (int k = 0; k + 1 < groupStart.length; k++) {
                int j0 = groupStart[k];
                if (!strong[j0] && groupSize(k) > 0 && groupNorm(k, g) > ab * vp[j0] * Math.sqrt(groupSize(k))) {
                    setStrong(k);
                    added = true;
                }
            }
            return added;
        }
        for (int j = 0; j < p; j++) {
            if (!strong[j] && pr.ju[j] && Math.abs(gradient(j)) > ab * vp[j]) {
                strong[j] = true;
                added = true;
            }
        }
        return added;
    }

    private void setStrong(int k) {
        for (int j = groupStart[k]; j < groupStart[k + 1]; j++) {
            strong[j] = pr.ju[j];
        }
    }

    /** Columns of group k that glmnet would keep (not constant). */
    private int groupSize(int k) {
        int c = 0;
        for (int j = groupStart[k]; j < groupStart[k + 1]; j++) {
            c += pr.ju[j] ? 1 : 0;
        }
        return c;
    }

    private double groupNorm(int k, double[] values) {
        double s = 0;
        for (int j = groupStart[k]; j < groupStart[k + 1]; j++) {
            if (pr.ju[j]) {
                s += values[j] * values[j];
            }
        }
        return Math.sqrt(s);
    }

    /** glmnet.control()'s epsnr and mxitnr: glmnet.fit's convergence of the IRLS on the objective. */
    private static final double EPSNR = 1e-6;
    private static final int MXITNR = 25;

    /**
     * glmnet.fit at one lambda (family objects): from the warm start, IRLS steps whose weighted least squares is
     * solved in full (strong set and KKT check each time), the step halved while the objective rises by more than
     * 1e-7 or leaves the family's domain, until the objective changes by less than epsnr relative. glmnet stops
     * there, short of full convergence, so the fits are glmnet's only when the steps and the stop are its own.
     */
    private void solveFlex(double lambda, double ab, double dem, double[] xv) {
        double[] coefOld = b.clone();
        double intOld = a0;
        double objOld = objective(lambda);
        for (int iter = 0; iter < MXITNR; iter++) {
            for (int j = 0; j < p; j++) {
                xv[j] = pr.ju[j] ? xv(j) : 0;
            }
            do {
                descend(ab, dem, xv, o.thresh());
            } while (kktAdds(ab));
            linearPredictor();
            working();
            double obj = objective(lambda);
            for (int h = 0; h < MXITNR && (!valid() || !Double.isFinite(obj) || obj > objOld + 1e-7); h++) {
                for (int j = 0; j < p; j++) {
                    b[j] = (b[j] + coefOld[j]) / 2;
                }
                a0 = (a0 + intOld) / 2;
                linearPredictor();
                working();
                obj = objective(lambda);
            }
            if (Math.abs(obj - objOld) / (0.1 + Math.abs(obj)) < EPSNR) {
                return;
            }
            System.arraycopy(b, 0, coefOld, 0, p);
            intOld = a0;
            objOld = obj;
        }
    }

    /** glmnet.fit's obj_function: half the deviance (weights summing to 1) plus the penalty. */
    private double objective(double lambda) {
        double pen = 0;
        for (int j = 0; j < p; j++) {
            pen += vp[j] * (o.alpha() * Math.abs(b[j]) + (1 - o.alpha()) / 2 * b[j] * b[j]);
        }
        return deviance() / 2 + lambda * pen;
    }

    private boolean valid() {
        for (int i = 0; i < n; i++) {
            if (!link.validEta(eta[i]) || !family.validMu(mu[i])) {
                return false;
            }
        }
        return true;
    }

    /**
     * Block coordinate descent for the group lasso, penalty {@code vp * (a * sqrt(size) * ||b_g|| + (1 - a) / 2 *
     * ||b_g||^2)} per group: each block takes a majorized step (the largest eigenvalue of its weighted Gram matrix
     * bounds the curvature), which shrinks the whole block to zero together, so a term enters or leaves whole. On
     * return {@code xv[j]} holds the block's bound for each of its columns, for the convergence measure.
     */
    private void descendGroups(double ab, double dem, double[] xv, double thr) {
        int groups = groupStart.length - 1;
        double[] bound = new double[groups];
        for (int k = 0; k < groups; k++) {
            if (strong[groupStart[k]]) {
                bound[k] = curvatureBound(k);
                for (int j = groupStart[k]; j < groupStart[k + 1]; j++) {
                    xv[j] = bound[k];
                }
            }
        }
        double[] u = new double[p];
        while (true) {
            countPass();
            double dlx = 0;
            for (int k = 0; k < groups; k++) {
                int from = groupStart[k];
                int to = groupStart[k + 1];
                if (!strong[from] || bound[k] <= 0) {
                    continue;
                }
                double l = bound[k];
                double norm = 0;
                for (int j = from; j < to; j++) {
                    u[j] = pr.ju[j] ? gradient(j) + l * b[j] : 0;
                    norm += u[j] * u[j];
                }
                norm = Math.sqrt(norm);
                double shrink = norm > 0 ? Math.max(0, 1 - vp[from] * ab * Math.sqrt(groupSize(k)) / norm) : 0;
                double scale = shrink / (l + vp[from] * dem);
                double change = 0;
                for (int j = from; j < to; j++) {
                    double bj = u[j] * scale;
                    double d = bj - b[j];
                    if (d != 0) {
                        b[j] = bj;
                        stepResiduals(j, d);
                        change += d * d;
                    }
                }
                dlx = Math.max(dlx, l * change);
            }
            if (pr.intercept && v0 > 0) {
                dlx = Math.max(dlx, stepIntercept());
            }
            if (dlx < thr) {
                return;
            }
        }
    }

    /** A bound of the largest eigenvalue of group k's weighted Gram matrix X_g' V X_g. */
    private double curvatureBound(int k) {
        int from = groupStart[k];
        int size = groupStart[k + 1] - from;
        double[] gram = new double[size * size];
        for (int a = 0; a < size; a++) {
            if (pr.ju[from + a]) {
                double[] inner = pr.inner(from + a, v, vx, v0, work());
                for (int c = 0; c < size; c++) {
                    gram[a * size + c] = inner[from + c];
                }
            }
        }
        // An upper bound of the largest eigenvalue is all a majorized step needs: the smaller of the trace and
        // the largest absolute row sum (Gershgorin) of the positive semi-definite Gram matrix.
        double trace = 0;
        double rows = 0;
        for (int a = 0; a < size; a++) {
            trace += gram[a * size + a];
            double row = 0;
            for (int c = 0; c < size; c++) {
                row += Math.abs(gram[a * size + c]);
            }
            rows = Math.max(rows, row);
        }
        return Math.min(trace, rows);
    }

    /**
     * Whether the columns of the run [from, end) that this pass visits reach enough of the rows that one ordered
     * pass over all rows beats reaching theirs by index.
     */
    private boolean blockWorthIt(int from, int end, boolean activeOnly) {
        long reach = 0;
        for (int k = from; k < end; k++) {
            if (strong[k] && !(activeOnly && b[k] == 0)) {
                reach += pr.nonZeros(k);
            }
        }
        return reach * 4 >= n;
    }

    private double[] blockRaw;
    private double[] blockStep;

    /**
     * descend's steps over a run of sparse columns that share no row (a categorical's levels), in the same order and
     * with the same arithmetic: a step of one column changes the residuals on its own rows only, so the others'
     * raw gradients can be summed before the run in one pass and the residuals stepped after it in one pass.
     */
    private double descendBlock(int from, int end, double ab, double dem, double[] xv, boolean activeOnly) {
        if (blockRaw == null) {
            blockRaw = new double[p];
            blockStep = new double[p];
        }
        if (fresh) {
            System.arraycopy(rx, from, blockRaw, 0, end - from);
        } else {
            pr.blockRows(from, r, blockRaw);
        }
        double dlx = 0;
        boolean moved = false;
        for (int k = from; k < end; k++) {
            blockStep[k - from] = 0;
            if (!strong[k] || (activeOnly && b[k] == 0)) {
                continue;
            }
            double ak = b[k];
            double gk = (blockRaw[k - from] - pr.xm[k] * sumR) / pr.xs[k]
                    + kappa * (vx[k] - pr.xm[k] * v0) / pr.xs[k];
            double bk = softThreshold(gk + ak * xv[k], vp[k] * ab, xv[k] + vp[k] * dem);
            if (bk == ak) {
                continue;
            }
            double d = bk - ak;
            b[k] = bk;
            blockStep[k - from] = d;
            sumR -= d * vx[k] / pr.xs[k];
            kappa += d * pr.xm[k] / pr.xs[k];
            moved = true;
            dlx = Math.max(dlx, xv[k] * d * d);
        }
        if (moved) {
            pr.blockSubtract(from, blockStep, v, r);
            fresh = false;
        }
        return dlx;
    }

    /** Coordinate descent on the weighted least squares of one Newton step; r is kept equal to v * (z - eta). */
    private void descend(double ab, double dem, double[] xv, double thr) {
        boolean activeOnly = false;
        while (true) {
            countPass();
            double dlx = 0;
            for (int k = 0; k < p; k++) {
                int end = pr.blockEnd(k);
                if (end - k > 1 && blockWorthIt(k, end, activeOnly)) {
                    dlx = Math.max(dlx, descendBlock(k, end, ab, dem, xv, activeOnly));
                    k = end - 1;
                    continue;
                }
                if (!strong[k] || (activeOnly && b[k] == 0)) {
                    continue;
                }
                double ak = b[k];
                double gk = gradient(k);
                double bk = softThreshold(gk + ak * xv[k], vp[k] * ab, xv[k] + vp[k] * dem);
                if (bk == ak) {
                    continue;
                }
                double d = bk - ak;
                b[k] = bk;
                stepResiduals(k, d);
                dlx = Math.max(dlx, xv[k] * d * d);
            }
            if (pr.intercept && v0 > 0) {
                dlx = Math.max(dlx, stepIntercept());
            }
            if (dlx < thr) {
                if (!activeOnly) {
                    return;
                }
                activeOnly = false; // the active set has settled: one more sweep over the whole strong set
            } else {
                activeOnly = true;
            }
        }
    }
}
