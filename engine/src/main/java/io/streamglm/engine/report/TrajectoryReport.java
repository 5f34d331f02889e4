package io.streamglm.engine.report;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The report of a stream's or replay's refits (the output records, one JSON object each): per model, a table of
 * the refits (with each one's Gini and drift check from its diagnostics summary), each coefficient's trajectory
 * over them with its 95% band, in record order, and the levels the drift check flagged. Self-contained as
 * {@link HtmlReport}.
 */
public final class TrajectoryReport {
    private static final double Z_975 = 1.959963984540054;

    private TrajectoryReport() {
    }

    public static String render(String title, List<JsonNode> records) {
        records.forEach(io.streamglm.engine.model.RefitRecord::checkReadable);
        Map<String, List<JsonNode>> byModel = new LinkedHashMap<>();
        for (JsonNode r : records) {
            byModel.computeIfAbsent(r.path("model").asText("model"), k -> new ArrayList<>()).add(r);
        }
        StringBuilder sb = new StringBuilder(1 << 16);
        sb.append("<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>").append(HtmlReport.escape(title))
                .append("</title><style>body{font-family:sans-serif;margin:24px;max-width:1000px;color:#222}"
                        + "table{border-collapse:collapse;margin:8px 0 16px}td,th{border:1px solid #ddd;"
                        + "padding:3px 8px;text-align:right}th{background:#f3f3f3}td:first-child,"
                        + "th:first-child{text-align:left}h2{border-bottom:1px solid #ccc;margin-top:32px}"
                        + ".charts{display:flex;flex-wrap:wrap;gap:12px}figure{margin:0}figcaption{font-size:13px}"
                        + "</style></head><body><h1>").append(HtmlReport.escape(title)).append("</h1><p>")
                .append(records.size()).append(" refits of ").append(byModel.size()).append(" model(s).</p>");
        byModel.forEach((model, refits) -> model(sb, model, refits));
        return sb.append("</body></html>\n").toString();
    }

    private static void model(StringBuilder sb, String model, List<JsonNode> refits) {
        sb.append("<h2>").append(HtmlReport.escape(model)).append("</h2><table><tr><th>refit</th><th>window end</th>"
                + "<th>rows</th><th>status</th><th>deviance / df</th><th>AIC</th><th>Gini</th>"
                + "<th>drift</th></tr>");
        List<String> flagged = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        Set<String> names = new LinkedHashSet<>();
        for (JsonNode r : refits) {
            String label = r.path("window").path("end").asText(r.path("refit").asText(""));
            labels.add(label);
            r.path("coefficients").fieldNames().forEachRemaining(names::add);
            sb.append("<tr><td>").append(HtmlReport.escape(r.path("refit").asText(""))).append("</td><td>")
                    .append(HtmlReport.escape(r.path("window").path("end").asText(""))).append("</td><td>")
                    .append(r.path("rows").asLong()).append("</td><td>")
                    .append(HtmlReport.escape(r.path("status").asText(""))).append("</td><td>")
                    .append(number(r.path("diagnostics").path("deviance_per_df"))).append("</td><td>")
                    .append(number(r.path("aic"))).append("</td><td>")
                    .append(number(r.path("diagnostics").path("gini"))).append("</td><td>")
                    .append(drift(r, flagged)).append("</td></tr>");
        }
        sb.append("</table><div class='charts'>");
        int n = refits.size();
        for (String name : names) {
            double[] v = new double[n];
            double[] lo = new double[n];
            double[] hi = new double[n];
            for (int i = 0; i < n; i++) {
                JsonNode c = refits.get(i).path("coefficients").path(name);
                double e = c.path("estimate").isNumber() ? c.path("estimate").asDouble() : Double.NaN;
                double se = c.path("std_error").isNumber() ? c.path("std_error").asDouble() : Double.NaN;
                v[i] = e;
                lo[i] = e - Z_975 * se;
                hi[i] = e + Z_975 * se;
            }
            sb.append("<figure>").append(Svg.intervals(labels, v, lo, hi, null, Double.NaN, "estimate"))
                    .append("<figcaption>").append(HtmlReport.escape(name)).append(" by refit, 95% band")
                    .append("</figcaption></figure>");
        }
        sb.append("</div>");
        if (!flagged.isEmpty()) {
            sb.append("<h3>Drift: levels whose A/E under the previous window's model is outside its 95% interval</h3>"
                    + "<table><tr><th>refit</th><th>scored with</th><th>term</th><th>level</th><th>A/E</th>"
                    + "<th>lower</th><th>upper</th></tr>");
            flagged.forEach(sb::append);
            sb.append("</table>");
        }
    }

    /**
     * The refit's drift check in a cell: "flagged (n)", "none", "first" (no previous model) or "NA" (no summary);
     * each flagged level becomes a row of the drift table.
     */
    private static String drift(JsonNode r, List<String> flagged) {
        JsonNode d = r.path("diagnostics");
        if (d.has("summary_unavailable")) {
            return "NA";
        }
        JsonNode drift = d.path("drift");
        if (!drift.isObject()) {
            return "first";
        }
        JsonNode levels = drift.path("levels");
        for (JsonNode l : levels) {
            flagged.add("<tr><td>" + HtmlReport.escape(r.path("refit").asText("")) + "</td><td>"
                    + HtmlReport.escape(drift.path("previous_refit").asText("")) + "</td><td>"
                    + HtmlReport.escape(l.path("term").asText("")) + "</td><td>"
                    + HtmlReport.escape(l.path("level").asText("")) + "</td><td>" + number(l.path("ratio"))
                    + "</td><td>" + number(l.path("lower")) + "</td><td>" + number(l.path("upper")) + "</td></tr>");
        }
        return drift.path("flag").asBoolean() ? "flagged (" + levels.size() + ")" : "none";
    }

    private static String number(JsonNode v) {
        return v.isNumber() ? String.format(Locale.ROOT, "%.6g", v.asDouble()) : "NA";
    }
}
