package io.streamglm.engine.link;

/**
 * A GLM link function g with mu = g^-1(eta), written to reproduce R's {@code make.link} element by element,
 * including its clamping of means and derivatives to machine epsilon, so that IRLS follows R's path.
 *
 * <p>Implementations are stateless apart from fixed parameters and safe to share between threads.
 */
public sealed interface Link permits IdentityLink, LogLink, LogitLink, ProbitLink, CloglogLink, InverseLink,
        InverseSquaredLink, SqrtLink, PowerLink {

    /** R's {@code .Machine$double.eps}. */
    double DOUBLE_EPS = Math.ulp(1.0);

    /** The spec name of the link, e.g. {@code "log"}. */
    String name();

    /** eta = g(mu). */
    double linkfun(double mu);

    /** mu = g^-1(eta). */
    double linkinv(double eta);

    /** d mu / d eta at eta. */
    double muEta(double eta);

    /**
     * d mu / d eta at eta when mu = linkinv(eta) is already known; links whose derivative is the mean itself
     * (log) skip recomputing it.
     */
    default double muEta(double eta, double mu) {
        return muEta(eta);
    }

    /** R's {@code valideta} for one element; true, as {@code make.link}'s for most links, unless overridden. */
    default boolean validEta(double eta) {
        return true;
    }
}
