package io.streamglm.engine.link;

/** g(mu) = sqrt(mu). */
public final class SqrtLink implements Link {
    public static final SqrtLink INSTANCE = new SqrtLink();

    private SqrtLink() {
    }

    @Override public String name() {
        return "sqrt";
    }

    @Override public double linkfun(double mu) {
        return Math.sqrt(mu);
    }

    @Override public double linkinv(double eta) {
        return eta * eta;
    }

    @Override public double muEta(double eta) {
        return 2.0 * eta;
    }

    @Override public boolean validEta(double eta) {
        return Double.isFinite(eta) && eta > 0.0;
    }
}
