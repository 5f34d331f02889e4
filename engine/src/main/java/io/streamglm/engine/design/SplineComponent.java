package io.streamglm.engine.design;

import io.streamglm.engine.design.spline.SplineBasis;

import java.util.ArrayList;
import java.util.List;

/** A frozen bs or ns basis of a numeric column: columns {@code bs(name)[1..k]} or {@code ns(name)[1..k]}. */
public record SplineComponent(String name, String column, SplineBasis basis) implements DesignComponent {
    @Override public int width() {
        return basis.width();
    }

    @Override public List<String> labels() {
        String prefix = (basis.kind() == SplineBasis.Kind.BS ? "bs(" : "ns(") + name + ")[";
        List<String> out = new ArrayList<>();
        for (int k = 1; k <= width(); k++) {
            out.add(prefix + k + "]");
        }
        return out;
    }
}
