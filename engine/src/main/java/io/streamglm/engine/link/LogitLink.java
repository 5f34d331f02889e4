package io.streamglm.engine.link;

/** g(mu) = log(mu / (1 - mu)), with the thresholds of R's C code ({@code logit_linkinv}, {@code logit_mu_eta}). */
public final class LogitLink implements Link {
    public static final LogitLink INSTANCE = new LogitLink();

    private static final double THRESH = 30.0;
    private static final double MTHRESH = -30.0;
    private static final double INVEPS = 1.0 / DOUBLE_EPS;

    private LogitLink() {
    }

    @Override public String name() {
        return "logit";
    }

    @Override public double linkfun(double mu) {
        return Math.log(mu / (1.0 - mu));
    }

    @Override public double linkinv(double eta) {
        double tmp = eta < MTHRESH ? DOUBLE_EPS : (eta > THRESH ? INVEPS : Math.exp(eta));
        return tmp / (1.0 + tmp);
    }

    @Override public double muEta(double eta) {
        double opexp = 1.0 + Math.exp(eta);
        return (eta > THRESH || eta < MTHRESH) ? DOUBLE_EPS : Math.exp(eta) / (opexp * opexp);
    }
}
