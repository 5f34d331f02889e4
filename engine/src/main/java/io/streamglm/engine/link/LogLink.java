package io.streamglm.engine.link;

/** g(mu) = log(mu); as R, the inverse and its derivative are kept at or above machine epsilon. */
public final class LogLink implements Link {
    public static final LogLink INSTANCE = new LogLink();

    private LogLink() {
    }

    @Override public String name() {
        return "log";
    }

    @Override public double linkfun(double mu) {
        return Math.log(mu);
    }

    @Override public double linkinv(double eta) {
        return Math.max(Math.exp(eta), DOUBLE_EPS);
    }

    @Override public double muEta(double eta) {
        return Math.max(Math.exp(eta), DOUBLE_EPS);
    }

    /** R's log link has mu.eta(eta) = pmax(exp(eta), eps) = linkinv(eta). */
    @Override public double muEta(double eta, double mu) {
        return mu;
    }
}
