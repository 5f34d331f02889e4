package io.streamglm.engine.link;

/** g(mu) = log(-log(1 - mu)), with R's clamping of the inverse to [eps, 1 - eps]. */
public final class CloglogLink implements Link {
    public static final CloglogLink INSTANCE = new CloglogLink();

    private CloglogLink() {
    }

    @Override public String name() {
        return "cloglog";
    }

    @Override public double linkfun(double mu) {
        return Math.log(-Math.log(1.0 - mu));
    }

    @Override public double linkinv(double eta) {
        return Math.max(Math.min(-Math.expm1(-Math.exp(eta)), 1.0 - DOUBLE_EPS), DOUBLE_EPS);
    }

    @Override public double muEta(double eta) {
        double e = Math.min(eta, 700.0);
        return Math.max(Math.exp(e) * Math.exp(-Math.exp(e)), DOUBLE_EPS);
    }
}
