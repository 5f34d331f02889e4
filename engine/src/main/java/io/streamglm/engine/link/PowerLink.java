package io.streamglm.engine.link;

/**
 * g(mu) = mu^lambda for lambda != 0, as statmod's {@code tweedie(link.power = lambda)}. It differs from the
 * named links of {@code make.link} only in {@code valideta}, which statmod leaves always true; the Tweedie
 * family uses it so that its path matches statmod's. (lambda = 0 is the log link and uses {@link LogLink}.)
 */
public record PowerLink(double lambda, String name) implements Link {
    public PowerLink {
        if (lambda == 0.0 || !Double.isFinite(lambda)) {
            throw new IllegalArgumentException("link power must be finite and non-zero, got " + lambda);
        }
    }

    @Override public double linkfun(double mu) {
        return Math.pow(mu, lambda);
    }

    @Override public double linkinv(double eta) {
        return Math.pow(eta, 1.0 / lambda);
    }

    @Override public double muEta(double eta) {
        return (1.0 / lambda) * Math.pow(eta, 1.0 / lambda - 1.0);
    }
}
