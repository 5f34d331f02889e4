package io.streamglm.engine.spec;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class PenaltyParserTest {
    private static final String HEAD = "{\"response\": \"y\", \"family\": \"poisson\", \"terms\": {\"age\": {\"type\":"
            + " \"linear\"}, \"region\": {\"type\": \"categorical\"}}, \"penalty\": ";

    private static List<SpecProblem> problems(String penalty) {
        try {
            SpecParser.parse(HEAD + penalty + "}", "spec.json");
        } catch (SpecException e) {
            return e.problems();
        }
        throw new AssertionError("expected problems in " + penalty);
    }

    @Test
    void parsesThePenaltyObject() {
        ModelSpec spec = SpecParser.parse(HEAD + """
                {"l1_ratio": 0.5, "path": {"n_lambda": 50, "lambda_min_ratio": 1e-3}, "standardize": false,
                 "penalty_factor": {"age": 0}, "cv": {"fold_column": "fold", "select": "lambda_1se"}}}
                """, null);
        PenaltySpec p = spec.penalty();
        assertThat(p.l1Ratio()).isEqualTo(0.5);
        assertThat(p.nLambda()).isEqualTo(50);
        assertThat(p.lambdaMinRatio()).isEqualTo(1e-3);
        assertThat(p.standardize()).isFalse();
        assertThat(p.penaltyFactor()).containsEntry("age", 0.0);
        assertThat(p.select()).isEqualTo("lambda_1se");
        assertThat(spec.numericColumnUsage()).containsEntry("fold", "penalty.cv.fold_column");
        // The canonical JSON (model files, spec hashes) reads back to the same spec.
        assertThat(SpecParser.parse(SpecParser.toJson(spec), null)).isEqualTo(spec);
    }

    @Test
    void theSelectedFitIsTheLastUnlessCvSelectSaysOtherwise() {
        ModelSpec spec = SpecParser.parse(HEAD + "{\"cv\": {\"folds\": 5, \"seed\": 3}, \"group\": \"by_term\"}}",
                null);
        assertThat(spec.penalty().select()).isEqualTo("last");
        assertThat(spec.penalty().groupByTerm()).isTrue();
        assertThat(spec.penalty().cv().folds()).isEqualTo(5);
        assertThat(SpecParser.parse(SpecParser.toJson(spec), null)).isEqualTo(spec);
    }

    @Test
    void defaultsAreGlmnets() {
        PenaltySpec p = SpecParser.parse(HEAD + "{}}", null).penalty();
        assertThat(p.l1Ratio()).isEqualTo(1.0);
        assertThat(p.nLambda()).isEqualTo(100);
        assertThat(p.lambdaMinRatio()).isNull();
        assertThat(p.standardize()).isTrue();
        assertThat(p.select()).isEqualTo("last");
        assertThat(p.cv()).isNull();
    }

    @Test
    void cvMeasuresAreCvGlmnets() {
        for (String m : PenaltySpec.Cv.MEASURES) {
            ModelSpec spec = SpecParser.parse(HEAD + "{\"cv\": {\"folds\": 5, \"measure\": \"" + m + "\"}}}", null);
            assertThat(spec.penalty().cv().measure()).isEqualTo(m);
            assertThat(SpecParser.parse(SpecParser.toJson(spec), null)).isEqualTo(spec);
        }
        assertThat(problems("{\"cv\": {\"folds\": 5, \"measure\": \"rmse\"}}")).singleElement().satisfies(p -> {
            assertThat(p.field()).isEqualTo("penalty.cv.measure");
            assertThat(p.toString()).contains("deviance, mse, mae, class, auc");
        });
    }

    /** A penalty with one mistake: the field it names and what its message says. */
    static Stream<Arguments> oneProblem() {
        return Stream.of(
                Arguments.of("{\"l1_ratio\": 1.5}", "penalty.l1_ratio",
                        List.of("outside [0, 1]", "from 0 (ridge) to 1 (lasso)")),
                Arguments.of("{\"lambda\": [0.5, -0.1]}", "penalty.lambda[1]", List.of("negative", "must be >= 0")),
                Arguments.of("{\"lambda\": [0.1, 0.9]}", "penalty.lambda[1]",
                        List.of("not below the one before", "decreasing order")),
                Arguments.of("{\"penalty_factor\": {\"agee\": 0}}", "penalty.penalty_factor.agee",
                        List.of("names no term", "did you mean 'age'?")),
                Arguments.of("{\"cv\": {\"folds\": 1}}", "penalty.cv.folds", List.of(">= 3")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("oneProblem")
    void namesTheFieldAndSaysWhy(String penalty, String field, List<String> says) {
        assertThat(problems(penalty)).singleElement().satisfies(p -> {
            assertThat(p.field()).isEqualTo(field);
            assertThat(p.toString()).contains(says);
        });
    }

    @Test
    void unknownFieldsAndSelections() {
        assertThat(problems("{\"l1ratio\": 1, \"cv\": {\"fold_column\": \"f\", \"select\": \"best\"}}"))
                .extracting(SpecProblem::field).containsExactly("penalty.l1ratio", "penalty.cv.select");
    }
}
