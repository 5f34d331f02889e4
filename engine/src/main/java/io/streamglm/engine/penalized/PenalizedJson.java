package io.streamglm.engine.penalized;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streamglm.engine.model.ResultJson;

import java.util.List;

/**
 * The result JSON of a penalized fit: the usual {@code coefficients} (estimates of the selected fit), and
 * {@code penalized} with the names of the reference's {@code expected.json}: {@code fits[]} (lambda, df,
 * dev_ratio, coefficients by column) and {@code cv} (lambda, cvm, cvsd, lambda_min, lambda_1se).
 */
public final class PenalizedJson {
    private PenalizedJson() {
    }

    public static ObjectNode toJson(PenalizedResult r) {
        ObjectNode root = ResultJson.MAPPER.createObjectNode();
        root.put("family", r.family());
        root.put("link", r.link());
        root.put("n", r.rows());
        root.put("status", r.status().specName());
        ArrayNode warnings = root.putArray("warnings");
        r.warnings().forEach(warnings::add);
        List<String> names = r.columnNames();
        ObjectNode coefficients = root.putObject("coefficients");
        double[] selected = r.coefficients(r.selected());
        for (int j = 0; j < names.size(); j++) {
            coefficients.putObject(names.get(j)).put("estimate", selected[j]);
        }
        ObjectNode pen = root.putObject("penalized");
        pen.put("l1_ratio", r.l1Ratio());
        pen.put("select", r.select());
        pen.put("selected_lambda", r.selectedLambda());
        pen.put("selected_index", r.selected());
        pen.put("null_deviance", r.path().nullDeviance());
        pen.put("passes", r.path().passes());
        ArrayNode fits = pen.putArray("fits");
        PathFit path = r.path();
        for (int m = 0; m < path.size(); m++) {
            ObjectNode fit = fits.addObject();
            fit.put("lambda", path.lambda()[m]);
            fit.put("df", path.df()[m]);
            fit.put("dev_ratio", path.devRatio()[m]);
            ObjectNode coef = fit.putObject("coefficients");
            double[] c = r.coefficients(m);
            for (int j = 0; j < names.size(); j++) {
                coef.put(names.get(j), c[j]);
            }
        }
        CvResult cv = r.cv();
        if (cv != null) {
            ObjectNode node = pen.putObject("cv");
            node.put("folds", cv.folds());
            node.put("measure", cv.measure());
            array(node.putArray("lambda"), cv.lambda());
            array(node.putArray("cvm"), cv.cvm());
            array(node.putArray("cvsd"), cv.cvsd());
            node.put("lambda_min", cv.lambdaMin());
            node.put("lambda_1se", cv.lambda1se());
        }
        return root;
    }

    private static void array(ArrayNode node, double[] values) {
        for (double v : values) {
            node.add(v);
        }
    }
}
