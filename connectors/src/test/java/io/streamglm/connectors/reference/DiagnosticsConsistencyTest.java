package io.streamglm.connectors.reference;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamglm.connectors.csv.CsvTableReader;
import io.streamglm.engine.data.DataTable;
import io.streamglm.engine.diagnostics.Diagnostics;
import io.streamglm.engine.diagnostics.Drop1;
import io.streamglm.engine.diagnostics.RowDiagnostics;
import io.streamglm.engine.fit.FitStatus;
import io.streamglm.engine.fit.Fitting;
import io.streamglm.engine.spec.ModelSpec;
import io.streamglm.engine.spec.SpecParser;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Every R reference case (shared and the project's: all families, links, weights, offsets, splines,
 * interactions), diagnosed, against identities that hold in R exactly: squared deviance residuals sum to the
 * deviance and squared Pearson residuals to Pearson's chi-square (both from R's {@code expected.json}), the
 * leverages to the rank, and no drop1 refit has a smaller deviance than the fit. And each drop1 refit is the fit
 * of the spec without that term (where that spec codes the other terms alike: with an intercept, without
 * interactions, theta not estimated).
 */
class DiagnosticsConsistencyTest {
    private static final double RELATIVE = 1e-8;

    @TestFactory
    Stream<DynamicTest> everyCaseIsConsistent() {
        return Stream.concat(ReferenceCase.under(ReferenceCase.sharedCases()).stream(),
                ReferenceCase.under(ReferenceCase.projectCases()).stream()).map(c -> DynamicTest.dynamicTest(c.name(),
                () -> {
                    ModelSpec spec = SpecParser.parse(c.specJson(), c.name() + "/spec.json");
                    DataTable data = CsvTableReader.read(c.data(), spec.numericColumnUsage(),
                            spec.categoricalColumnUsage());
                    Fitting.Detailed fit = Fitting.fitDetailed(spec, data, null);
                    if (fit.output().result().status() == FitStatus.FAILED) {
                        assertThat(Diagnostics.compute(fit, data, 1, null)).isNull();
                        return;
                    }
                    Diagnostics d = Diagnostics.compute(fit, data, 1, null);
                    JsonNode expected = c.expected();
                    RowDiagnostics rows = d.rows();
                    double deviance = 0;
                    double pearson = 0;
                    double hat = 0;
                    for (int i = 0; i < rows.rows(); i++) {
                        deviance += rows.residDeviance()[i] * rows.residDeviance()[i];
                        pearson += rows.residPearson()[i] * rows.residPearson()[i];
                        hat += Double.isNaN(rows.hat()[i]) ? 0 : rows.hat()[i];
                    }
                    double rDeviance = expected.path("deviance").asDouble();
                    assertThat(deviance).as("sum of squared deviance residuals").isCloseTo(rDeviance,
                            within(1e-6 * Math.abs(rDeviance) + 1e-9));
                    if (expected.path("pearson_chi2").isNumber()) {
                        double rPearson = expected.path("pearson_chi2").asDouble();
                        assertThat(pearson).as("sum of squared Pearson residuals").isCloseTo(rPearson,
                                within(1e-6 * Math.abs(rPearson) + 1e-9));
                    }
                    assertThat(hat).as("sum of leverages").isCloseTo(fit.finalStep().rank(),
                            within(1e-6 * fit.finalStep().rank()));
                    double full = fit.output().result().deviance();
                    for (Drop1.Row row : d.drop1().terms().values()) {
                        assertThat(row.deviance()).isGreaterThanOrEqualTo(full * (1 - RELATIVE) - 1e-9);
                        assertThat(row.df()).isGreaterThanOrEqualTo(0);
                    }
                    boolean comparable = spec.intercept() && spec.interactions().isEmpty()
                            && !fit.output().model().estimatesTheta() && spec.terms().size() > 1;
                    for (var term : comparable ? spec.terms() : java.util.List.<io.streamglm.engine.spec.NamedTerm>of()) {
                        var json = SpecParser.toJson(spec);
                        ((com.fasterxml.jackson.databind.node.ObjectNode) json.path("terms")).remove(term.name());
                        ModelSpec reduced = SpecParser.parse(json.toString(), c.name() + " without " + term.name());
                        double alone = Fitting.fit(reduced, data, null).result().deviance();
                        assertThat(d.drop1().terms().get(term.name()).deviance()).as("drop1 %s", term.name())
                                .isCloseTo(alone, within(1e-9 * alone + 1e-12));
                    }
                }));
    }
}
