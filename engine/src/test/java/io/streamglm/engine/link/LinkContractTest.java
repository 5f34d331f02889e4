package io.streamglm.engine.link;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** One contract for every {@link Link}: round trip, derivative, domain. Adding a link adds one line here. */
class LinkContractTest {

    record Case(Link link, double[] mus) {
        @Override public String toString() {
            return link.name();
        }
    }

    static Stream<Case> links() {
        double[] unit = {0.01, 0.2, 0.5, 0.77, 0.99};
        double[] positive = {0.05, 0.7, 1, 3.5, 40};
        return Stream.of(
                new Case(IdentityLink.INSTANCE, new double[]{-4, -0.3, 0, 2, 100}),
                new Case(LogLink.INSTANCE, positive),
                new Case(LogitLink.INSTANCE, unit),
                new Case(ProbitLink.INSTANCE, unit),
                new Case(CloglogLink.INSTANCE, unit),
                new Case(InverseLink.INSTANCE, positive),
                new Case(InverseSquaredLink.INSTANCE, positive),
                new Case(SqrtLink.INSTANCE, positive),
                new Case(new PowerLink(0.5, "sqrt"), positive),
                new Case(new PowerLink(-1, "inverse"), positive),
                new Case(new PowerLink(1.7, "mu^1.7"), positive));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("links")
    void linkinvUndoesLinkfun(Case c) {
        for (double mu : c.mus()) {
            double eta = c.link().linkfun(mu);
            assertThat(c.link().validEta(eta)).as("validEta(g(%s))", mu).isTrue();
            assertThat(c.link().linkinv(eta)).as("g^-1(g(%s))", mu).isCloseTo(mu, within(1e-12 * Math.max(1, Math.abs(mu))));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("links")
    void muEtaIsTheDerivativeOfLinkinv(Case c) {
        for (double mu : c.mus()) {
            double eta = c.link().linkfun(mu);
            double h = 1e-6 * (eta == 0 ? 1 : Math.abs(eta));
            double numeric = (c.link().linkinv(eta + h) - c.link().linkinv(eta - h)) / (2 * h);
            assertThat(c.link().muEta(eta)).as("mu.eta at eta=%s", eta)
                    .isCloseTo(numeric, within(1e-6 * Math.max(1, Math.abs(numeric))));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("links")
    void namedLinksResolveByName(Case c) {
        if (!(c.link() instanceof PowerLink)) {
            assertThat(Links.byName(c.link().name())).containsSame(c.link());
        }
    }

    @org.junit.jupiter.api.Test
    void clampingFollowsR() {
        assertThat(LogLink.INSTANCE.linkinv(-800)).isEqualTo(Link.DOUBLE_EPS);
        assertThat(LogitLink.INSTANCE.linkinv(-40)).isEqualTo(Link.DOUBLE_EPS / (1 + Link.DOUBLE_EPS));
        assertThat(LogitLink.INSTANCE.muEta(40)).isEqualTo(Link.DOUBLE_EPS);
        assertThat(CloglogLink.INSTANCE.linkinv(50)).isEqualTo(1 - Link.DOUBLE_EPS);
        assertThat(ProbitLink.INSTANCE.linkinv(50)).isEqualTo(ProbitLink.INSTANCE.linkinv(8.125890664701906));
        assertThat(InverseLink.INSTANCE.validEta(0)).isFalse();
        assertThat(SqrtLink.INSTANCE.validEta(-1)).isFalse();
        assertThat(InverseSquaredLink.INSTANCE.validEta(0)).isFalse();
    }
}
