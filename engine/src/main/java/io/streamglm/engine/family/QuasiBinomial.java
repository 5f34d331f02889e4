package io.streamglm.engine.family;

import io.streamglm.engine.link.Link;

import java.util.List;

/** R's {@code quasibinomial()}: binomial variance with an estimated dispersion and no AIC. */
public final class QuasiBinomial implements Family {
    public static final QuasiBinomial INSTANCE = new QuasiBinomial();

    private QuasiBinomial() {
    }

    @Override public String name() {
        return "quasibinomial";
    }

    @Override public String rName() {
        return "quasibinomial";
    }

    @Override public String defaultLink() {
        return "logit";
    }

    @Override public List<String> allowedLinks() {
        return List.of("logit", "probit", "cloglog", "log");
    }

    @Override public double variance(double mu) {
        return mu * (1.0 - mu);
    }

    @Override public double devResid(double y, double mu, double wt) {
        return BinomialDeviance.devResid(y, mu, wt);
    }

    @Override public boolean validMu(double mu) {
        return BinomialDeviance.validMu(mu);
    }

    @Override public double muStart(double y, double wt) {
        return BinomialDeviance.muStart(y, wt);
    }

    @Override public String responseProblem(double y, Link link) {
        return BinomialDeviance.responseProblem(y);
    }

    @Override public boolean dispersionFixed() {
        return false;
    }

    @Override public boolean hasAic() {
        return false;
    }
}
