package io.streamglm.engine.link;

/** g(mu) = 1 / mu. */
public final class InverseLink implements Link {
    public static final InverseLink INSTANCE = new InverseLink();

    private InverseLink() {
    }

    @Override public String name() {
        return "inverse";
    }

    @Override public double linkfun(double mu) {
        return 1.0 / mu;
    }

    @Override public double linkinv(double eta) {
        return 1.0 / eta;
    }

    @Override public double muEta(double eta) {
        return -1.0 / (eta * eta);
    }

    @Override public boolean validEta(double eta) {
        return Double.isFinite(eta) && eta != 0.0;
    }
}
