package io.streamglm.engine.spec;

import java.util.List;
import java.util.stream.Collectors;

/** A spec that cannot be used; carries every problem found, each naming its field. */
public final class SpecException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient List<SpecProblem> problems;

    public SpecException(String source, List<SpecProblem> problems) {
        super(format(source, problems));
        this.problems = List.copyOf(problems);
    }

    public List<SpecProblem> problems() {
        return problems;
    }

    private static String format(String source, List<SpecProblem> problems) {
        String prefix = source == null ? "spec" : source;
        return problems.stream().map(p -> prefix + ": " + p).collect(Collectors.joining("\n"));
    }
}
