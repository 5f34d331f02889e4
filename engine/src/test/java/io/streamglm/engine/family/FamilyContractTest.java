package io.streamglm.engine.family;

import io.streamglm.engine.link.Link;
import io.streamglm.engine.link.Links;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * One contract for every {@link Family}: adding a family is one file plus one line in {@link #families()}.
 * Each family is checked at responses inside its domain.
 */
class FamilyContractTest {

    /** A family with responses inside its domain and means to evaluate at. */
    record Case(Family family, double[] ys, double[] mus) {
        @Override public String toString() {
            return family.name() + (family instanceof Tweedie t ? "(" + t.varPower() + ")" : "")
                    + (family instanceof NegativeBinomial nb ? "(" + nb.theta() + ")" : "");
        }
    }

    static Stream<Case> families() {
        double[] counts = {0, 1, 2, 5, 17};
        double[] positive = {0.3, 1, 2.5, 7, 40};
        double[] probabilities = {0, 0.2, 0.5, 0.9, 1};
        double[] reals = {-3, -0.5, 0, 1.5, 8};
        double[] positiveMeans = {0.4, 1.3, 3, 9};
        double[] unitMeans = {0.05, 0.3, 0.6, 0.95};
        return Stream.of(
                new Case(Gaussian.INSTANCE, reals, new double[]{-2, 0.1, 1, 5}),
                new Case(Poisson.INSTANCE, counts, positiveMeans),
                new Case(QuasiFamily.POISSON, counts, positiveMeans),
                new Case(Binomial.INSTANCE, probabilities, unitMeans),
                new Case(QuasiFamily.BINOMIAL, probabilities, unitMeans),
                new Case(GammaFamily.INSTANCE, positive, positiveMeans),
                new Case(InverseGaussian.INSTANCE, positive, positiveMeans),
                new Case(new Tweedie(1.5), counts, positiveMeans),
                new Case(new Tweedie(2.5), positive, positiveMeans),
                new Case(new NegativeBinomial(2.0), counts, positiveMeans),
                new Case(new NegativeBinomial(0.7), counts, positiveMeans));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("families")
    void devianceIsZeroAtTheSaturatedFitAndPositiveElsewhere(Case c) {
        for (double y : c.ys()) {
            // (statmod's Tweedie deviance is undefined at mu = y = 0)
            if (c.family().validMu(y) && !(c.family() instanceof Tweedie && y == 0)) {
                assertThat(c.family().devResid(y, y, 1.0)).as("dev(y=%s, mu=y)", y).isCloseTo(0.0, within(1e-12));
            }
            for (double mu : c.mus()) {
                assertThat(c.family().devResid(y, mu, 1.0)).as("dev(y=%s, mu=%s)", y, mu).isGreaterThanOrEqualTo(-1e-12);
                assertThat(c.family().devResid(y, mu, 2.5)).isCloseTo(2.5 * c.family().devResid(y, mu, 1.0), within(1e-9));
            }
        }
    }

    /** d dev / d mu = -2 (y - mu) / V(mu): ties the deviance to the variance function. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("families")
    void devianceDerivativeMatchesTheVariance(Case c) {
        for (double y : c.ys()) {
            if (c.family() instanceof Tweedie && y == 0) {
                continue; // statmod replaces y = 0 by 0.1 inside theta, so the identity holds only for y > 0
            }
            for (double mu : c.mus()) {
                double h = 1e-6 * Math.max(1, Math.abs(mu));
                double numeric = (c.family().devResid(y, mu + h, 1) - c.family().devResid(y, mu - h, 1)) / (2 * h);
                double analytic = -2 * (y - mu) / c.family().variance(mu);
                assertThat(numeric).as("d dev/d mu at y=%s mu=%s", y, mu)
                        .isCloseTo(analytic, within(1e-5 * Math.max(1, Math.abs(analytic))));
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("families")
    void devianceEqualsTheSumOfSquaredDevianceResiduals(Case c) {
        double dev = 0;
        double squares = 0;
        for (double y : c.ys()) {
            for (double mu : c.mus()) {
                dev += c.family().devResid(y, mu, 1.5);
                double r = c.family().devianceResidual(y, mu, 1.5);
                squares += r * r;
            }
        }
        assertThat(squares).isCloseTo(dev, within(1e-9 * Math.max(1, dev)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("families")
    void varianceIsPositiveOnValidMeans(Case c) {
        for (double mu : c.mus()) {
            assertThat(c.family().validMu(mu)).as("validMu(%s)", mu).isTrue();
            assertThat(c.family().variance(mu)).as("V(%s)", mu).isPositive();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("families")
    void startingMeansAreValidAndResponsesInTheDomainAreAccepted(Case c) {
        Link link = Links.byName(c.family().defaultLink()).orElseThrow();
        for (double y : c.ys()) {
            assertThat(c.family().responseProblem(y, link)).as("y=%s", y).isNull();
            double mustart = c.family().muStart(y, 1.0);
            assertThat(c.family().validMu(mustart)).as("mustart(%s) = %s", y, mustart).isTrue();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("families")
    void defaultLinkIsAllowed(Case c) {
        assertThat(c.family().allowedLinks()).contains(c.family().defaultLink());
        assertThat(c.family().allowedLinks()).allSatisfy(l -> assertThat(Links.byName(l)).isPresent());
    }

    static Stream<Arguments> outsideTheDomain() {
        return Stream.of(
                Arguments.of(Poisson.INSTANCE, -1.0), Arguments.of(QuasiFamily.POISSON, -0.5),
                Arguments.of(Binomial.INSTANCE, 1.5), Arguments.of(Binomial.INSTANCE, -0.1),
                Arguments.of(QuasiFamily.BINOMIAL, 2.0), Arguments.of(GammaFamily.INSTANCE, 0.0),
                Arguments.of(GammaFamily.INSTANCE, -2.0), Arguments.of(InverseGaussian.INSTANCE, 0.0),
                Arguments.of(new Tweedie(1.5), -1.0), Arguments.of(new Tweedie(2.5), 0.0),
                Arguments.of(new NegativeBinomial(1.0), -3.0));
    }

    @ParameterizedTest(name = "{0} rejects {1}")
    @MethodSource("outsideTheDomain")
    void responsesOutsideTheDomainAreRejected(Family family, double y) {
        Link link = Links.byName(family.defaultLink()).orElseThrow();
        assertThat(family.responseProblem(y, link)).isNotBlank();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("families")
    void aicTermsAgreeWithTheLogDensityWhereTheFamilyHasOne(Case c) {
        if (!c.family().hasAic()) {
            assertThat(c.family().aicFromTerms(0, 1, 1, 1)).isNaN();
            return;
        }
        // AIC/2 - rank computed from terms is -loglik (+ scale parameters): finite on valid data.
        double terms = 0;
        double dev = 0;
        for (int i = 0; i < c.ys().length; i++) {
            dev += c.family().devResid(c.ys()[i], c.mus()[i % c.mus().length], 1);
        }
        for (int i = 0; i < c.ys().length; i++) {
            terms += c.family().aicTerm(c.ys()[i], c.mus()[i % c.mus().length], 1, dev, c.ys().length);
        }
        assertThat(c.family().aicFromTerms(terms, c.ys().length, dev, c.ys().length)).isFinite();
    }

    @org.junit.jupiter.api.Test
    void poissonAicIsMinusTwiceTheLogLikelihood() {
        // -2 * log dpois(3, 2.5) = -2 * (3 log 2.5 - 2.5 - log 6)
        double expected = -2 * (3 * Math.log(2.5) - 2.5 - Math.log(6));
        assertThat(Poisson.INSTANCE.aicTerm(3, 2.5, 1, 0, 1)).isCloseTo(expected, within(1e-12));
    }

    @org.junit.jupiter.api.Test
    void negativeBinomialNameRoundsThetaAsR() {
        assertThat(new NegativeBinomial(1.27489264581101).rName()).isEqualTo("Negative Binomial(1.2749)");
        assertThat(new NegativeBinomial(2.0).rName()).isEqualTo("Negative Binomial(2)");
    }

    @org.junit.jupiter.api.Test
    void quasiFamiliesHaveTheirBasesNumbersAndAFreeDispersion() {
        for (QuasiFamily q : new QuasiFamily[]{QuasiFamily.POISSON, QuasiFamily.BINOMIAL}) {
            Family base = q.base();
            for (double mu : new double[]{0.05, 0.3, 0.6, 0.95}) {
                assertThat(q.variance(mu)).isEqualTo(base.variance(mu));
                assertThat(q.validMu(mu)).isEqualTo(base.validMu(mu));
                for (double y : new double[]{0, 0.2, 1}) {
                    assertThat(q.devResid(y, mu, 1.5)).isEqualTo(base.devResid(y, mu, 1.5));
                    assertThat(q.muStart(y, 1.5)).isEqualTo(base.muStart(y, 1.5));
                }
            }
            assertThat(q.dispersionFixed()).isFalse();
            assertThat(q.hasAic()).isFalse();
            assertThat(q.allowedLinks()).isEqualTo(base.allowedLinks());
        }
        Link log = Links.byName("log").orElseThrow();
        assertThat(QuasiFamily.POISSON.responseProblem(-1, log)).isEqualTo("is negative; quasipoisson counts must be >= 0");
        assertThat(QuasiFamily.BINOMIAL.responseProblem(2, log))
                .isEqualTo("is outside [0, 1]; binomial responses are 0/1 or proportions of trials");
    }
}
