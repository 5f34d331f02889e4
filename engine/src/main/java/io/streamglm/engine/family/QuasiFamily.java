package io.streamglm.engine.family;

import io.streamglm.engine.link.Link;

/**
 * R's {@code quasipoisson()} and {@code quasibinomial()}: the variance, deviance, valid means and start of the
 * base family (Poisson or binomial, to the bit: the same methods), with an estimated dispersion and no AIC.
 */
public final class QuasiFamily implements Family {
    public static final QuasiFamily POISSON = new QuasiFamily("quasipoisson", Poisson.INSTANCE);
    public static final QuasiFamily BINOMIAL = new QuasiFamily("quasibinomial", Binomial.INSTANCE);

    private final Names names;
    private final Family base;

    /** R names quasi families by their spec names; the links are the base family's. */
    private QuasiFamily(String name, Family base) {
        this.names = new Names(name, name, base.defaultLink(), base.allowedLinks());
        this.base = base;
    }

    /** The family whose variance, deviance and means this one uses. */
    public Family base() {
        return base;
    }

    @Override public Names names() {
        return names;
    }

    @Override public double variance(double mu) {
        return base.variance(mu);
    }

    @Override public double devResid(double y, double mu, double wt) {
        return base.devResid(y, mu, wt);
    }

    @Override public boolean validMu(double mu) {
        return base.validMu(mu);
    }

    @Override public double muStart(double y, double wt) {
        return base.muStart(y, wt);
    }

    @Override public String responseProblem(double y, Link link) {
        // Counts are called quasipoisson counts; proportions keep binomial's wording.
        return base instanceof Poisson ? Poisson.negativeCount(y, name()) : base.responseProblem(y, link);
    }

    @Override public boolean dispersionFixed() {
        return false;
    }

    @Override public boolean hasAic() {
        return false;
    }
}
