package io.streamglm.engine.report;

import io.streamglm.engine.data.DataTable;
import io.streamglm.engine.data.TestColumns;
import io.streamglm.engine.diagnostics.Diagnostics;
import io.streamglm.engine.fit.Draws;
import io.streamglm.engine.fit.Fitting;
import io.streamglm.engine.spec.SpecParser;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The report is one page that needs nothing else: no script, no link, no resource from anywhere. */
class HtmlReportTest {

    @Test
    void theReportIsSelfContainedAndHasEverySection() {
        String html = render(5_000);
        assertThat(html).startsWith("<!DOCTYPE html>").endsWith("</html>\n");
        assertThat(html).doesNotContain("<script", "<link", "<img", "src=", "href=", "url(", "http:", "https:");
        for (String section : List.of("Coefficients", "Relativities with 95% bands", "Single-term deletions",
                "Collinearity (GVIF)", "Actual / expected by level", "Actual / expected by band",
                "Calibration and lift by decile of prediction", "Residuals and leverage")) {
            assertThat(html).contains("<h2>" + section);
        }
        // Relativities of x, g and the region &lt;escaped&gt; term; A/E of g and region; band of x; 3 lift; 2 scatter.
        assertThat(Pattern.compile("<svg ").matcher(html).results().count()).isEqualTo(3 + 2 + 1 + 3 + 2);
        assertThat(html).contains("r&lt;egion").doesNotContain("r<egion");
    }

    @Test
    void scattersOfLargeFitsAreThinned() {
        String html = render(30_000);
        int circles = (int) Pattern.compile("<circle").matcher(html).results().count();
        assertThat(circles).isLessThan(2 * HtmlReport.MAX_POINTS + 200);
        assertThat(html).contains("Every 8th row of 30000.");
    }

    private static String render(int n) {
        Random random = new Random(51);
        DataTable data = TestColumns.drawn("report", n, (i, row) -> {
            double x = random.nextGaussian();
            int g = random.nextInt(3);
            int region = random.nextInt(2);
            double y = Draws.poisson(random, Math.exp(0.2 + 0.4 * x + 0.2 * g));
            row.numeric("x", x).numeric("y", y).categorical("g", g, List.of("a", "b", "c"))
                    .categorical("r<egion", region, List.of("n&s", "e"));
        });
        String spec = "{\"response\": \"y\", \"family\": \"poisson\", \"terms\": {\"x\": {\"type\": \"linear\"},"
                + " \"g\": {\"type\": \"categorical\"}, \"r<egion\": {\"type\": \"categorical\"}}}";
        Fitting.Detailed fit = Fitting.fitDetailed(SpecParser.parse(spec, null), data, null);
        Diagnostics d = Diagnostics.compute(fit, data, 1, null);
        return HtmlReport.render("report <test>", fit.output().result(), fit.output().design(), d);
    }
}
