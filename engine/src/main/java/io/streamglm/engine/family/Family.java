package io.streamglm.engine.family;

import io.streamglm.engine.link.Link;

import java.util.List;

/**
 * An exponential-dispersion family as R's {@code family} objects: variance, deviance residuals, the valid range
 * of the mean, R's starting values ({@code initialize}) and R's {@code aic} function, split into a per-row term
 * and a finishing step so that it can be accumulated and merged.
 *
 * <p>Each method works on one element; R's vectorised {@code all(...)} checks become per-row checks whose
 * failures are counted by the caller.
 */
public sealed interface Family permits Gaussian, Poisson, Binomial, QuasiFamily, GammaFamily,
        InverseGaussian, Tweedie, NegativeBinomial {

    /**
     * What a family is called and which links it takes, as one value: each family holds one (a constant, or one
     * built from its parameters) instead of a method per name.
     *
     * @param name the spec name, e.g. {@code "poisson"}
     * @param rName R's {@code family$family}, e.g. {@code "Gamma"} or {@code "Negative Binomial(1.2749)"}
     * @param defaultLink the link used when the spec names none
     * @param allowedLinks links R recommends for this family; others are rejected as impossible pairs
     */
    record Names(String name, String rName, String defaultLink, List<String> allowedLinks) {
        public Names {
            allowedLinks = List.copyOf(allowedLinks);
        }
    }

    /** The family's names and links. */
    Names names();

    /** The spec name, e.g. {@code "poisson"}. */
    default String name() {
        return names().name();
    }

    /** R's {@code family$family}, e.g. {@code "Gamma"} or {@code "Negative Binomial(1.2749)"}. */
    default String rName() {
        return names().rName();
    }

    /** The link used when the spec names none. */
    default String defaultLink() {
        return names().defaultLink();
    }

    /** Links R recommends for this family; others are rejected as impossible pairs. */
    default List<String> allowedLinks() {
        return names().allowedLinks();
    }

    /** V(mu). */
    double variance(double mu);

    /** One element of R's {@code dev.resids(y, mu, wt)}. */
    double devResid(double y, double mu, double wt);

    /** R's deviance residual: sign(y - mu) * sqrt(devResid), so that their squares sum to the deviance. */
    default double devianceResidual(double y, double mu, double wt) {
        double d = Math.sqrt(Math.max(devResid(y, mu, wt), 0.0));
        return y > mu ? d : -d;
    }

    /** R's {@code validmu} for one element; true, as gaussian's and inverse.gaussian's, unless overridden. */
    default boolean validMu(double mu) {
        return true;
    }

    /** R's {@code validmu} of the families whose mean must be positive (poisson, Gamma). */
    static boolean positiveFiniteMean(double mu) {
        return Double.isFinite(mu) && mu > 0;
    }

    /** R's {@code mustart} from {@code initialize} for one row: y itself, as most of R's families start. */
    default double muStart(double y, double wt) {
        return y;
    }

    /**
     * Null when y may be a response of this family under this link; otherwise what is wrong with it, phrased
     * to follow "value ... ", e.g. "is negative; poisson counts must be >= 0".
     */
    String responseProblem(double y, Link link);

    /** Whether the dispersion is fixed at one (z tests) rather than estimated (t tests). */
    boolean dispersionFixed();

    /** Whether R's family has an {@code aic} (quasi families and Tweedie return NA). */
    default boolean hasAic() {
        return true;
    }

    /**
     * The per-row term of R's {@code aic(y, n, mu, wt, dev)}; the terms are summed and passed to
     * {@link #aicFromTerms}. {@code dev} and {@code sumWeights} are the fit's deviance and sum of prior weights.
     */
    default double aicTerm(double y, double mu, double wt, double dev, double sumWeights) {
        return Double.NaN;
    }

    /** R's {@code aic(...)} (without the 2 * rank that {@code glm.fit} adds) from the summed row terms. */
    default double aicFromTerms(double sumTerms, long nobs, double dev, double sumWeights) {
        return Double.NaN;
    }

    /** Parameters beyond the coefficients that R's {@code logLik.glm} counts (the scale of gaussian, Gamma, IG). */
    default int extraLogLikParameters() {
        return 0;
    }
}
