package io.streamglm.engine.design;

import io.streamglm.engine.spec.UnseenLevelPolicy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A categorical variable with frozen levels (the first is the base). With {@code contrasts} it is coded by
 * treatment contrasts ({@code name[T.level]}, no column for the base), otherwise by one indicator per level
 * ({@code name[level]}), following R's rule for which factors in a term get contrasts.
 */
public record FactorComponent(String name, String column, List<String> levels, boolean contrasts,
                              UnseenLevelPolicy unseen) implements DesignComponent {

    public FactorComponent {
        levels = List.copyOf(levels);
    }

    @Override public int width() {
        return contrasts ? levels.size() - 1 : levels.size();
    }

    @Override public List<String> labels() {
        List<String> out = new ArrayList<>(width());
        for (int i = contrasts ? 1 : 0; i < levels.size(); i++) {
            out.add(name + (contrasts ? "[T." : "[") + levels.get(i) + "]");
        }
        return out;
    }

    /** The column offset within this component of level index {@code level}, or -1 for the base under contrasts. */
    public int localIndex(int level) {
        return contrasts ? level - 1 : level;
    }

    /** Level text to level index. */
    public Map<String, Integer> levelIndex() {
        Map<String, Integer> m = new HashMap<>(levels.size() * 2);
        for (int i = 0; i < levels.size(); i++) {
            m.put(levels.get(i), i);
        }
        return m;
    }
}
