package io.streamglm.engine.fit;

import io.streamglm.engine.design.FittedDesign;
import io.streamglm.engine.family.Families;
import io.streamglm.engine.family.Family;
import io.streamglm.engine.family.NegativeBinomial;
import io.streamglm.engine.link.Link;
import io.streamglm.engine.link.LogLink;
import io.streamglm.engine.link.Links;
import io.streamglm.engine.link.PowerLink;
import io.streamglm.engine.spec.Control;
import io.streamglm.engine.spec.ModelSpec;

import java.util.List;

/**
 * A spec resolved against its frozen design: family and link objects, control, and the design's columns.
 *
 * @param family null when the family is a negative binomial whose theta is estimated
 */
public record GlmModel(String familyName, Family family, Link link, Control control, boolean intercept,
                       boolean hasOffset, List<String> columnNames) {

    public GlmModel {
        columnNames = List.copyOf(columnNames);
    }

    public static GlmModel of(ModelSpec spec, FittedDesign design) {
        Family family = Families.byName(spec.family(), spec.varPower(), spec.theta()).orElse(null);
        return new GlmModel(spec.family(), family, resolveLink(spec), spec.control(), design.intercept(),
                spec.offset() != null || spec.exposure() != null, design.columnNames());
    }

    /** The link object; Tweedie's non-log links are statmod's power links. */
    public static Link resolveLink(ModelSpec spec) {
        if (spec.family().equals("tweedie") && !spec.link().equals("log")) {
            return new PowerLink(Links.powerOf(spec.link()).orElseThrow(), spec.link());
        }
        return spec.family().equals("tweedie") ? LogLink.INSTANCE : Links.byName(spec.link()).orElseThrow();
    }

    public boolean estimatesTheta() {
        return family == null;
    }

    /** A negative binomial family at a given theta (for the alternation). */
    public Family negativeBinomial(double theta) {
        return new NegativeBinomial(theta);
    }
}
