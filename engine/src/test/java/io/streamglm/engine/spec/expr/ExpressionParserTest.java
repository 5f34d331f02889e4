package io.streamglm.engine.spec.expr;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class ExpressionParserTest {
    private static final Map<String, Double> ROW = Map.of("weight", 80.0, "height", 2.0, "age", 70.0, "x", -3.0);

    private static double eval(String text) {
        return ExpressionParser.parse(text).evaluate(ROW::get);
    }

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource(delimiter = ';', value = {
            "weight / (height ** 2); 20",
            "weight / height ^ 2; 20",
            "2 ** 3 ** 2; 512",
            "-2 ** 2; -4",
            "-x; 3",
            "1 + 2 * 3 - 4 / 2; 5",
            "(1 + 2) * 3; 9",
            "age > 65; 1",
            "age <= 65; 0",
            "age == 70; 1",
            "age != 70; 0",
            "abs(x) + sqrt(height ** 2); 5",
            "min(age, 60) + max(x, 0); 60",
            "log(exp(2)); 2",
            "1e2 + 2.5E-1; 100.25",
            "`weight` * 0.5; 40"})
    void evaluates(String text, double expected) {
        assertThat(eval(text)).isCloseTo(expected, within(1e-12));
    }

    @Test
    void listsTheColumnsItReads() {
        assertThat(ExpressionParser.parse("weight / (height ** 2) + log(age)").columns())
                .containsExactlyInAnyOrder("weight", "height", "age");
    }

    @Test
    void textRoundTripsToTheSameExpression() {
        Expression e = ExpressionParser.parse("-weight / height ^ 2 + (age > 65) * min(x, 1)");
        assertThat(ExpressionParser.parse(e.text()).evaluate(ROW::get)).isEqualTo(e.evaluate(ROW::get));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ';', value = {
            "weight / ; ends where a number",
            "(weight + 1; expected ')'",
            "weight + + ; ends where",
            "system(1); unknown function 'system'",
            "min(1); min() takes 2 argument(s), got 1",
            "weight $ 2; unexpected '$'",
            "`open; unclosed back-quote"})
    void rejectsWithAPosition(String text, String message) {
        assertThatThrownBy(() -> ExpressionParser.parse(text)).isInstanceOf(ExpressionException.class)
                .hasMessageContaining(message).hasMessageContaining("at character");
    }
}
