package io.streamglm.engine.family;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Looks families up by their spec names. */
public final class Families {
    public static final List<String> NAMES = List.of("gaussian", "poisson", "quasipoisson", "binomial",
            "quasibinomial", "gamma", "inverse_gaussian", "tweedie", "negbinomial");

    private Families() {
    }

    /**
     * The family of that spec name. Tweedie needs {@code varPower}; a negative binomial with a fixed theta
     * needs {@code theta} (a negative binomial whose theta is estimated starts from Poisson and has no fixed
     * family: this returns empty for it).
     */
    public static Optional<Family> byName(String name, Double varPower, Double theta) {
        return Optional.ofNullable(switch (name.toLowerCase(Locale.ROOT)) {
            case "gaussian" -> Gaussian.INSTANCE;
            case "poisson" -> Poisson.INSTANCE;
            case "quasipoisson" -> QuasiFamily.POISSON;
            case "binomial" -> Binomial.INSTANCE;
            case "quasibinomial" -> QuasiFamily.BINOMIAL;
            case "gamma" -> GammaFamily.INSTANCE;
            case "inverse_gaussian", "inverse.gaussian" -> InverseGaussian.INSTANCE;
            case "tweedie" -> varPower == null ? null : new Tweedie(varPower);
            case "negbinomial", "negative_binomial" -> theta == null ? null : new NegativeBinomial(theta);
            default -> null;
        });
    }
}
