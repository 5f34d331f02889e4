package io.streamglm.engine.family;

import io.streamglm.engine.link.Link;

import java.util.List;

/** R's {@code quasipoisson()}: Poisson variance with an estimated dispersion and no AIC. */
public final class QuasiPoisson implements Family {
    public static final QuasiPoisson INSTANCE = new QuasiPoisson();

    private QuasiPoisson() {
    }

    @Override public String name() {
        return "quasipoisson";
    }

    @Override public String rName() {
        return "quasipoisson";
    }

    @Override public String defaultLink() {
        return "log";
    }

    @Override public List<String> allowedLinks() {
        return List.of("log", "identity", "sqrt");
    }

    @Override public double variance(double mu) {
        return mu;
    }

    @Override public double devResid(double y, double mu, double wt) {
        return PoissonDeviance.devResid(y, mu, wt);
    }

    @Override public boolean validMu(double mu) {
        return Double.isFinite(mu) && mu > 0;
    }

    @Override public double muStart(double y, double wt) {
        return y + 0.1;
    }

    @Override public String responseProblem(double y, Link link) {
        return y < 0 ? "is negative; quasipoisson counts must be >= 0" : null;
    }

    @Override public boolean dispersionFixed() {
        return false;
    }

    @Override public boolean hasAic() {
        return false;
    }
}
