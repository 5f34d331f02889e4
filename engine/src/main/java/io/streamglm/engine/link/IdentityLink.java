package io.streamglm.engine.link;

/** g(mu) = mu. */
public final class IdentityLink implements Link {
    public static final IdentityLink INSTANCE = new IdentityLink();

    private IdentityLink() {
    }

    @Override public String name() {
        return "identity";
    }

    @Override public double linkfun(double mu) {
        return mu;
    }

    @Override public double linkinv(double eta) {
        return eta;
    }

    @Override public double muEta(double eta) {
        return 1.0;
    }
}
