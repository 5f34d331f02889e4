package io.streamglm.engine.spec;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.InstanceOfAssertFactories.LIST;

class SpecParserTest {

    private static List<SpecProblem> problems(String json) {
        try {
            SpecParser.parse(json, "spec.json");
        } catch (SpecException e) {
            return e.problems();
        }
        throw new AssertionError("expected problems in " + json);
    }

    @Test
    void reportsEveryProblemAtOnceEachWithItsField() {
        List<SpecProblem> problems = problems("""
                {"response": "y", "family": "poison", "lnk": "log",
                 "terms": {"age": {"type": "bs", "df": 2, "degree": 3},
                           "bmi": {"type": "expression", "expr": "weight / (height ** 2"},
                           "x": {"type": "lineer"},
                           "g": {"type": "categorical", "levels": ["a", "a"], "base": "c"}},
                 "interactions": [{"age": {}, "nope": {}}]}
                """);
        assertThat(problems).extracting(SpecProblem::field).contains("family", "lnk", "terms.age.df",
                "terms.bmi.expr", "terms.x.type", "terms.g.levels", "terms.g.base", "interactions[0].nope");
        assertThat(problems.toString()).contains("did you mean 'poisson'?", "did you mean 'link'?",
                "df (2) is smaller than degree (3)", "expected ')'", "did you mean 'linear'?", "lists 'a' twice",
                "names a term absent");
    }

    @Test
    void parsesTheTermCatalogue() {
        ModelSpec spec = SpecParser.parse("""
                {"response": "y", "family": "gaussian",
                 "terms": {"age": {"type": "bs", "df": 5, "degree": 2},
                           "lwt": {"type": "ns", "knots": [100, 150], "boundary_knots": [80, 250]},
                           "bmi": {"type": "expression", "expr": "weight / (height ** 2)"},
                           "zip": {"type": "target_encoding", "prior_weight": 10, "seed": 7},
                           "make": {"type": "frequency_encoding", "normalize": false},
                           "region": {"type": "categorical", "base": "S", "unseen": "base"}}}
                """, null);
        assertThat(spec.terms()).extracting(t -> t.term().type())
                .containsExactly("bs", "ns", "expression", "target_encoding", "frequency_encoding", "categorical");
        assertThat(spec.numericColumnUsage()).containsKeys("y", "age", "lwt", "weight", "height");
        assertThat(spec.categoricalColumnUsage()).containsKeys("zip", "make", "region");
        SplineTerm ns = (SplineTerm) spec.terms().get(1).term();
        assertThat(ns.knots()).containsExactly(100.0, 150.0);
        assertThat(((CategoricalTerm) spec.terms().get(5).term()).unseen()).isEqualTo(UnseenLevelPolicy.BASE);
        // The canonical JSON reads back to the same spec.
        assertThat(SpecParser.parse(SpecParser.toJson(spec), null)).isEqualTo(spec);
    }

    @Test
    void rejectsKnotsOutsideTheBoundaryAndBothDfAndKnots() {
        assertThat(problems("""
                {"response": "y", "family": "gaussian",
                 "terms": {"x": {"type": "ns", "df": 3, "knots": [5], "boundary_knots": [0, 4]}}}
                """).toString()).contains("gives both df and knots", "is not inside the boundary knots");
    }

    @Test
    void malformedJsonNamesTheLine() {
        assertThatThrownBy(() -> SpecParser.parse("{\n\"response\": \"y\",\n \"family\" \"poisson\"}", "s.json"))
                .isInstanceOf(SpecException.class).hasMessageContaining("malformed JSON at line 3");
    }

    @Test
    void duplicateKeysAreProblems() {
        assertThatThrownBy(() -> SpecParser.parse("{\"response\": \"y\", \"response\": \"z\", \"family\": \"poisson\"}", null))
                .isInstanceOf(SpecException.class).hasMessageContaining("Duplicate field 'response'");
    }

    @Test
    void problemsCarryTheirSuggestions() {
        assertThat(problems("{\"response\": \"y\", \"family\": \"gamma\", \"link\": \"logit\"}"))
                .singleElement().extracting(SpecProblem::suggestion).asString().contains("inverse", "log", "identity");
        assertThat(problems("{\"family\": \"gamma\"}")).extracting(SpecProblem::field).asInstanceOf(LIST)
                .containsExactly("response");
    }

    @Test
    void csvHeaderMustNameEveryColumnTheSpecReadsOnce() {
        ModelSpec spec = SpecParser.parse("""
                {"response": "y", "family": "poisson", "exposure": "expo", "csv_header": ["ts", "x", "g", "y", "expo"],
                 "terms": {"x": {"type": "linear"}, "g": {"type": "categorical"}}}
                """, null);
        assertThat(spec.csvHeader()).containsExactly("ts", "x", "g", "y", "expo");
        assertThat(SpecParser.parse(SpecParser.toJson(spec), null)).isEqualTo(spec);
        assertThat(problems("""
                {"response": "y", "family": "poisson", "exposure": "expo", "csv_header": ["ts", "xx", "y", "y"],
                 "terms": {"x": {"type": "linear"}, "g": {"type": "categorical"}}}
                """).toString()).contains("csv_header[3]: repeats the field name 'y'",
                "lacks the column 'x' that terms.x reads", "did you mean 'xx'?", "lacks the column 'g'",
                "lacks the column 'expo' that exposure reads");
        assertThat(problems("{\"response\": \"y\", \"family\": \"gaussian\", \"csv_header\": []}").toString())
                .contains("csv_header: must be a non-empty array");
    }
}
