package io.streamglm.engine.fit;

import io.streamglm.engine.data.DataTable;
import io.streamglm.engine.design.DesignBuilder;
import io.streamglm.engine.spec.ModelSpec;
import io.streamglm.engine.spec.SpecParser;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The one rule for a row's response, weight and exposure, as training tables and stream records apply it. */
class RowCheckTest {

    private static RowCheck check(String family) {
        ModelSpec spec = SpecParser.parse("{\"response\": \"y\", \"family\": \"" + family + "\", \"terms\": {}}", null);
        DataTable data = new DataTable("t", 1, Map.of("y", new double[]{1}), Map.of(), List.of("y"));
        return new RowCheck(GlmModel.of(spec, DesignBuilder.fit(spec, data, new ArrayList<>())));
    }

    @Test
    void weightsMayBeZeroButNotNegativeOrNaN() {
        assertThat(RowCheck.usableWeight(0.0)).isTrue();
        assertThat(RowCheck.usableWeight(2.5)).isTrue();
        assertThat(RowCheck.usableWeight(-0.1)).isFalse();
        assertThat(RowCheck.usableWeight(Double.NaN)).isFalse();
    }

    @Test
    void exposuresMustBePositiveAndEnterAsTheirLog() {
        assertThat(RowCheck.usableExposure(0.5)).isTrue();
        assertThat(RowCheck.usableExposure(0.0)).isFalse();
        assertThat(RowCheck.usableExposure(Double.NaN)).isFalse();
        assertThat(RowCheck.withExposure(0.25, 2.0)).isEqualTo(0.25 + Math.log(2.0));
    }

    @Test
    void binomialResponsesOfWeightZeroBecomeZeroAsInRsInitialize() {
        assertThat(check("binomial").response(0.4, 0.0)).isEqualTo(0.0);
        assertThat(check("quasibinomial").response(0.4, 0.0)).isEqualTo(0.0);
        assertThat(check("binomial").response(0.4, 3.0)).isEqualTo(0.4);
        assertThat(check("poisson").response(4.0, 0.0)).isEqualTo(4.0);
    }

    @Test
    void responsesAreCheckedAgainstTheFamilyAndAnEstimatedThetaAgainstCounts() {
        assertThat(check("poisson").responseProblem(-1)).isEqualTo("is negative; poisson counts must be >= 0");
        assertThat(check("poisson").responseProblem(3)).isNull();
        assertThat(check("negbinomial").responseProblem(-1)).isNotBlank();
        assertThat(check("binomial").responseProblem(1.5)).isNotBlank();
    }
}
