package io.streamglm.engine.link;

import org.apache.commons.statistics.distribution.NormalDistribution;

/** g(mu) = qnorm(mu); the inverse clamps eta to +-qnorm(eps) and the derivative stays at or above eps, as R. */
public final class ProbitLink implements Link {
    public static final ProbitLink INSTANCE = new ProbitLink();

    private static final NormalDistribution STANDARD_NORMAL = NormalDistribution.of(0, 1);
    private static final double THRESH = -STANDARD_NORMAL.inverseCumulativeProbability(DOUBLE_EPS);
    private static final double INV_SQRT_2PI = 1.0 / Math.sqrt(2.0 * Math.PI);

    private ProbitLink() {
    }

    @Override public String name() {
        return "probit";
    }

    @Override public double linkfun(double mu) {
        return STANDARD_NORMAL.inverseCumulativeProbability(mu);
    }

    @Override public double linkinv(double eta) {
        double clamped = Math.min(Math.max(eta, -THRESH), THRESH);
        return STANDARD_NORMAL.cumulativeProbability(clamped);
    }

    @Override public double muEta(double eta) {
        return Math.max(INV_SQRT_2PI * Math.exp(-0.5 * eta * eta), DOUBLE_EPS);
    }
}
