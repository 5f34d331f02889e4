package io.streamglm.engine.report;

import io.streamglm.engine.design.DesignTerm;
import io.streamglm.engine.design.FactorComponent;
import io.streamglm.engine.design.FittedDesign;
import io.streamglm.engine.diagnostics.ActualExpected;
import io.streamglm.engine.diagnostics.Diagnostics;
import io.streamglm.engine.diagnostics.Drop1;
import io.streamglm.engine.diagnostics.Lift;
import io.streamglm.engine.diagnostics.RowDiagnostics;
import io.streamglm.engine.diagnostics.Vif;
import io.streamglm.engine.fit.Coefficient;
import io.streamglm.engine.fit.GlmResult;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The model report: one self-contained HTML page (inline CSS and SVG, no script and nothing fetched) with the
 * fit's summary, the coefficient table, relativities with 95% bands per term, drop1 and VIF, actual against
 * expected by level and band, calibration, lift, residuals against fitted values and leverage.
 */
public final class HtmlReport {
    /** Scatter plots show at most this many rows (every k-th row), so that a 1M-row report stays small. */
    static final int MAX_POINTS = 4000;
    private static final double Z_975 = 1.959963984540054;

    private HtmlReport() {
    }

    public static String render(String title, GlmResult r, FittedDesign design, Diagnostics d) {
        StringBuilder sb = new StringBuilder(1 << 16);
        sb.append("<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>").append(escape(title))
                .append("</title><style>body{font-family:sans-serif;margin:24px;max-width:1000px;color:#222}"
                        + "table{border-collapse:collapse;margin:8px 0 16px}td,th{border:1px solid #ddd;"
                        + "padding:3px 8px;text-align:right}th{background:#f3f3f3}td:first-child,"
                        + "th:first-child{text-align:left}h2{border-bottom:1px solid #ccc;margin-top:32px}"
                        + ".charts{display:flex;flex-wrap:wrap;gap:12px}figure{margin:0}figcaption{font-size:13px}"
                        + "</style></head><body>");
        sb.append("<h1>").append(escape(title)).append("</h1>");
        summary(sb, r);
        coefficients(sb, r);
        relativities(sb, r, design);
        if (d != null) {
            tests(sb, d.drop1(), d.vif());
            actualExpected(sb, "Actual / expected by level", d.actualExpected());
            actualExpected(sb, "Actual / expected by band", d.bands());
            lift(sb, d.lift());
            residuals(sb, d.rows());
        }
        sb.append("</body></html>\n");
        return sb.toString();
    }

    private static void summary(StringBuilder sb, GlmResult r) {
        sb.append("<table><tr><th>family</th><th>link</th><th>rows</th><th>status</th><th>deviance</th>"
                + "<th>null deviance</th><th>df residual</th><th>dispersion</th><th>AIC</th></tr><tr><td>")
                .append(escape(r.family())).append("</td><td>").append(escape(r.link())).append("</td><td>")
                .append(r.rows()).append("</td><td>").append(escape(r.status().specName())).append("</td>");
        for (Double v : new Double[]{r.deviance(), r.nullDeviance(), (double) r.dfResidual(), r.dispersion(), r.aic()}) {
            sb.append("<td>").append(number(v)).append("</td>");
        }
        sb.append("</tr></table>");
        if (!r.warnings().isEmpty()) {
            sb.append("<ul>");
            r.warnings().forEach(w -> sb.append("<li>").append(escape(w)).append("</li>"));
            sb.append("</ul>");
        }
    }

    private static void coefficients(StringBuilder sb, GlmResult r) {
        sb.append("<h2>Coefficients</h2><table><tr><th>column</th><th>estimate</th><th>std. error</th><th>")
                .append(escape(r.statisticName())).append("</th><th>p-value</th></tr>");
        for (Coefficient c : r.coefficients()) {
            sb.append("<tr><td>").append(escape(c.name())).append("</td>");
            if (c.aliased()) {
                sb.append("<td colspan='4'>aliased</td></tr>");
                continue;
            }
            for (Double v : new Double[]{c.estimate(), c.stdError(), c.statistic(), c.pValue()}) {
                sb.append("<td>").append(number(v)).append("</td>");
            }
            sb.append("</tr>");
        }
        sb.append("</table>");
    }

    /** Per term: exp(estimate) with exp(estimate +/- 1.96 se) on a log link, the estimate and its band otherwise. */
    private static void relativities(StringBuilder sb, GlmResult r, FittedDesign design) {
        boolean log = r.link().equals("log");
        sb.append("<h2>").append(log ? "Relativities" : "Effects").append(" with 95% bands</h2><div class='charts'>");
        for (DesignTerm t : design.terms()) {
            List<String> labels = new ArrayList<>(t.columnLabels());
            // A factor under treatment contrasts shows its base level too, at relativity 1 (effect 0).
            boolean base = t.components().size() == 1 && t.components().get(0) instanceof FactorComponent f
                    && f.contrasts();
            if (base) {
                labels.add(0, ((FactorComponent) t.components().get(0)).levels().get(0) + " (base)");
            }
            int shift = base ? 1 : 0;
            int n = labels.size();
            double[] v = new double[n];
            double[] lo = new double[n];
            double[] hi = new double[n];
            if (base) {
                v[0] = log ? 1.0 : 0.0;
                lo[0] = Double.NaN;
                hi[0] = Double.NaN;
            }
            for (int k = shift; k < n; k++) {
                Coefficient c = r.coefficients().get(t.firstColumn() + k - shift);
                double e = c.estimate() == null ? Double.NaN : c.estimate();
                double se = c.stdError() == null ? Double.NaN : c.stdError();
                v[k] = log ? Math.exp(e) : e;
                lo[k] = log ? Math.exp(e - Z_975 * se) : e - Z_975 * se;
                hi[k] = log ? Math.exp(e + Z_975 * se) : e + Z_975 * se;
            }
            figure(sb, t.label(), Svg.intervals(labels, v, lo, hi, null, log ? 1.0 : 0.0,
                    log ? "relativity" : "effect"));
        }
        sb.append("</div>");
    }

    private static void tests(StringBuilder sb, Drop1 drop1, Vif vif) {
        boolean chisq = drop1.test().equals("Chisq");
        sb.append("<h2>Single-term deletions (drop1, ").append(chisq ? "LRT" : "F test").append(")</h2>")
                .append("<table><tr><th>term</th><th>df</th><th>deviance</th><th>AIC</th><th>")
                .append(chisq ? "LRT" : "F").append("</th><th>p-value</th></tr>");
        for (var e : drop1.terms().entrySet()) {
            Drop1.Row row = e.getValue();
            sb.append("<tr><td>").append(escape(e.getKey())).append("</td><td>").append(row.df()).append("</td><td>")
                    .append(number(row.deviance())).append("</td><td>").append(number(row.aic())).append("</td><td>")
                    .append(number(chisq ? row.lrt() : row.f())).append("</td><td>").append(number(row.pValue()))
                    .append("</td></tr>");
        }
        sb.append("</table>");
        if (vif != null) {
            sb.append("<h2>Collinearity (GVIF)</h2><table><tr><th>term</th><th>GVIF</th><th>df</th>"
                    + "<th>GVIF^(1/(2 df))</th></tr>");
            for (Map.Entry<String, Vif.Row> e : vif.terms().entrySet()) {
                sb.append("<tr><td>").append(escape(e.getKey())).append("</td><td>").append(number(e.getValue().gvif()))
                        .append("</td><td>").append(e.getValue().df()).append("</td><td>")
                        .append(number(e.getValue().gvifAdjusted())).append("</td></tr>");
            }
            sb.append("</table>");
        }
    }

    private static void actualExpected(StringBuilder sb, String heading, ActualExpected ae) {
        if (ae.terms().isEmpty()) {
            return;
        }
        sb.append("<h2>").append(escape(heading)).append("</h2><div class='charts'>");
        for (var e : ae.terms().entrySet()) {
            List<ActualExpected.Level> levels = e.getValue();
            List<String> labels = new ArrayList<>();
            double[] ratio = new double[levels.size()];
            double[] lo = new double[levels.size()];
            double[] hi = new double[levels.size()];
            for (int i = 0; i < levels.size(); i++) {
                labels.add(levels.get(i).level());
                ratio[i] = levels.get(i).ratio();
                lo[i] = levels.get(i).ciLower();
                hi[i] = levels.get(i).ciUpper();
            }
            figure(sb, e.getKey() + ": actual / expected, 95% band", Svg.intervals(labels, ratio, lo, hi, null, 1.0,
                    "A/E"));
        }
        sb.append("</div>");
    }

    private static void lift(StringBuilder sb, Lift lift) {
        sb.append("<h2>Calibration and lift by decile of prediction</h2><p>Gini ").append(number(lift.gini()))
                .append(", normalised ").append(number(lift.giniNormalised()));
        if (lift.hosmerLemeshow() != null) {
            sb.append("; Hosmer-Lemeshow ").append(number(lift.hosmerLemeshow().statistic())).append(" on ")
                    .append(lift.hosmerLemeshow().df()).append(" df, p = ")
                    .append(number(lift.hosmerLemeshow().pValue()));
        }
        sb.append("</p><div class='charts'>");
        int n = lift.deciles().size();
        List<String> labels = new ArrayList<>();
        double[] actual = new double[n];
        double[] expected = new double[n];
        double[] liftValue = new double[n];
        double[] ratio = new double[n];
        double[] lo = new double[n];
        double[] hi = new double[n];
        for (int i = 0; i < n; i++) {
            Lift.Decile dec = lift.deciles().get(i);
            labels.add(Integer.toString(dec.decile()));
            actual[i] = dec.actual() / dec.exposure();
            expected[i] = dec.expected() / dec.exposure();
            liftValue[i] = dec.lift();
            ratio[i] = dec.ratio();
            lo[i] = dec.ciLower();
            hi[i] = dec.ciUpper();
        }
        figure(sb, "actual (filled) and expected (hollow) per unit of exposure", Svg.intervals(labels, actual, null,
                null, expected, Double.NaN, "per exposure"));
        figure(sb, "actual / expected, 95% band", Svg.intervals(labels, ratio, lo, hi, null, 1.0, "A/E"));
        figure(sb, "lift: the decile's actual rate over the overall rate", Svg.intervals(labels, liftValue, null, null,
                null, 1.0, "lift"));
        sb.append("</div>");
    }

    private static void residuals(StringBuilder sb, RowDiagnostics rows) {
        int n = rows.rows();
        int every = Math.max(1, (n + MAX_POINTS - 1) / MAX_POINTS);
        int m = (n + every - 1) / every;
        double[] fitted = new double[m];
        double[] dev = new double[m];
        double[] hat = new double[m];
        double[] std = new double[m];
        for (int i = 0, k = 0; i < n; i += every, k++) {
            fitted[k] = rows.linearPredictor()[i];
            dev[k] = rows.residDeviance()[i];
            hat[k] = rows.hat()[i];
            std[k] = rows.stdResidDeviance()[i];
        }
        sb.append("<h2>Residuals and leverage</h2>");
        if (every > 1) {
            sb.append("<p>Every ").append(every).append("th row of ").append(n).append(".</p>");
        }
        sb.append("<div class='charts'>");
        figure(sb, "deviance residuals against the linear predictor", Svg.scatter(fitted, dev, "linear predictor",
                "deviance residual", 0.0));
        figure(sb, "standardised deviance residuals against leverage", Svg.scatter(hat, std, "leverage (hat)",
                "std. deviance residual", 0.0));
        sb.append("</div>");
    }

    private static void figure(StringBuilder sb, String caption, String svg) {
        sb.append("<figure>").append(svg).append("<figcaption>").append(escape(caption)).append("</figcaption></figure>");
    }

    private static String number(Double v) {
        return v == null || !Double.isFinite(v) ? "NA" : String.format(Locale.ROOT, "%.6g", v);
    }

    static String escape(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '\'' -> out.append("&#39;");
                case '"' -> out.append("&quot;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
