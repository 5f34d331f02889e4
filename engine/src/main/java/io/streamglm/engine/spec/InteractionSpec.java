package io.streamglm.engine.spec;

import java.util.List;

/**
 * A product of two or three terms.
 *
 * @param parts       the terms multiplied, in the order their names are joined
 * @param includeMain whether the parts also enter as main effects (R's {@code a*b}) rather than only their
 *                    product (R's {@code a:b})
 */
public record InteractionSpec(List<NamedTerm> parts, boolean includeMain) {
    public InteractionSpec {
        parts = List.copyOf(parts);
    }
}
