package io.streamglm.engine.spec;

import java.util.List;

/**
 * A categorical column coded with treatment contrasts against a base level, as R's default.
 *
 * @param levels declared level order, or null to take the sorted distinct values of the training data
 * @param base   the base level, or null for the first level
 * @param unseen what scoring and later windows do with a level the fit never saw
 */
public record CategoricalTerm(String column, List<String> levels, String base, UnseenLevelPolicy unseen)
        implements TermSpec {

    public CategoricalTerm {
        levels = levels == null ? null : List.copyOf(levels);
    }

    @Override public String type() {
        return "categorical";
    }
}
