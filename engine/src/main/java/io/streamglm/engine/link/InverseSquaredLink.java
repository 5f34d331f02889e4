package io.streamglm.engine.link;

/** g(mu) = 1 / mu^2, R's {@code "1/mu^2"}, canonical for the inverse Gaussian family. */
public final class InverseSquaredLink implements Link {
    public static final InverseSquaredLink INSTANCE = new InverseSquaredLink();

    private InverseSquaredLink() {
    }

    @Override public String name() {
        return "inverse_squared";
    }

    @Override public double linkfun(double mu) {
        return 1.0 / (mu * mu);
    }

    @Override public double linkinv(double eta) {
        return 1.0 / Math.sqrt(eta);
    }

    @Override public double muEta(double eta) {
        return -1.0 / (2.0 * Math.pow(eta, 1.5));
    }

    @Override public boolean validEta(double eta) {
        return Double.isFinite(eta) && eta > 0.0;
    }
}
