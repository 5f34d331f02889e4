package io.streamglm.engine.fit;

import io.streamglm.engine.family.Family;
import io.streamglm.engine.family.NegativeBinomial;
import io.streamglm.engine.link.Link;

/**
 * The rule a row's response, prior weight and exposure must pass before the row enters a fit, and the response
 * and offset it enters with: one rule for training tables ({@link TrainingSet}) and stream records (the
 * connectors' {@code RowEncoding}). Each caller words the problems for its own users (a file error names the row
 * and column, a dead letter the field).
 */
public final class RowCheck {
    private final Family family;
    private final Link link;
    private final boolean binomial;

    public RowCheck(GlmModel model) {
        // A negative binomial whose theta is estimated: every theta has the same domain, that of counts.
        this.family = model.family() != null ? model.family() : new NegativeBinomial(1.0);
        this.link = model.link();
        this.binomial = family.name().equals("binomial") || family.name().equals("quasibinomial");
    }

    /** The family the responses are checked against. */
    public Family family() {
        return family;
    }

    /** Whether the family is binomial or quasibinomial (R's binomial initialize applies). */
    public boolean binomial() {
        return binomial;
    }

    /** Null when y may be a response of the family under the link; otherwise what is wrong with it. */
    public String responseProblem(double y) {
        return family.responseProblem(y, link);
    }

    /** The response the row enters the fit with: R's binomial initialize sets it to 0 where the weight is 0. */
    public double response(double y, double weight) {
        return binomial && weight == 0 ? 0 : y;
    }

    /** Whether a prior weight may enter the fit: not below 0 (0 leaves the row out) and not NaN. */
    public static boolean usableWeight(double weight) {
        return weight >= 0;
    }

    /** Whether an exposure may enter the fit: above 0, since it enters as log(exposure); not NaN. */
    public static boolean usableExposure(double exposure) {
        return exposure > 0;
    }

    /** The offset with a usable exposure: the exposure enters as log(exposure). */
    public static double withExposure(double offset, double exposure) {
        return offset + Math.log(exposure);
    }
}
