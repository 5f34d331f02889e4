package io.streamglm.engine.family;

/** The Poisson deviance residual shared by the poisson and quasipoisson families. */
final class PoissonDeviance {
    private PoissonDeviance() {
    }

    static double devResid(double y, double mu, double wt) {
        double r = y > 0 ? wt * (y * Math.log(y / mu) - (y - mu)) : mu * wt;
        return 2.0 * r;
    }
}
