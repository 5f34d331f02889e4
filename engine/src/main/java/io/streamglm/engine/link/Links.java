package io.streamglm.engine.link;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Looks links up by their spec names. */
public final class Links {
    /** Spec names, in the order used in messages. */
    public static final List<String> NAMES =
            List.of("identity", "log", "logit", "probit", "cloglog", "inverse", "inverse_squared", "sqrt");

    private Links() {
    }

    /** The link of that spec name (R's {@code "1/mu^2"} is accepted for {@code inverse_squared}). */
    public static Optional<Link> byName(String name) {
        return Optional.ofNullable(switch (name.toLowerCase(Locale.ROOT)) {
            case "identity" -> IdentityLink.INSTANCE;
            case "log" -> LogLink.INSTANCE;
            case "logit" -> LogitLink.INSTANCE;
            case "probit" -> ProbitLink.INSTANCE;
            case "cloglog" -> CloglogLink.INSTANCE;
            case "inverse" -> InverseLink.INSTANCE;
            case "inverse_squared", "1/mu^2" -> InverseSquaredLink.INSTANCE;
            case "sqrt" -> SqrtLink.INSTANCE;
            default -> null;
        });
    }

    /** The power lambda of a named link, for Tweedie's power links: mu^lambda, log as 0. */
    public static Optional<Double> powerOf(String name) {
        return Optional.ofNullable(switch (name.toLowerCase(Locale.ROOT)) {
            case "identity" -> 1.0;
            case "log" -> 0.0;
            case "inverse" -> -1.0;
            case "inverse_squared", "1/mu^2" -> -2.0;
            case "sqrt" -> 0.5;
            default -> null;
        });
    }
}
