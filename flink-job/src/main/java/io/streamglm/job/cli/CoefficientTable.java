package io.streamglm.job.cli;

import io.streamglm.engine.fit.Coefficient;
import io.streamglm.engine.fit.GlmResult;

import java.util.Locale;

/** Formats a fit the way R's {@code print(summary(glm))} does: coefficient table, deviances, AIC, iterations. */
public final class CoefficientTable {
    private CoefficientTable() {
    }

    public static String format(GlmResult r) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "Family: %s (link: %s), %d rows%n%n", r.rFamily(), r.link(), r.rows()));
        String stat = r.statisticName();
        int width = "Intercept".length();
        for (Coefficient c : r.coefficients()) {
            width = Math.max(width, c.name().length());
        }
        sb.append("Coefficients:\n");
        sb.append(String.format(Locale.ROOT, "%-" + width + "s %12s %12s %9s %10s%n", "", "Estimate", "Std. Error",
                stat + " value", "Pr(>|" + stat + "|)"));
        for (Coefficient c : r.coefficients()) {
            if (c.aliased()) {
                sb.append(String.format(Locale.ROOT, "%-" + width + "s %12s %12s %9s %10s%n", c.name(), "NA", "NA", "NA", "NA"));
                continue;
            }
            sb.append(String.format(Locale.ROOT, "%-" + width + "s %12s %12s %9s %10s %s%n", c.name(), num(c.estimate()),
                    num(c.stdError()), c.statistic() == null ? "NA" : String.format(Locale.ROOT, "%.3f", c.statistic()),
                    pValue(c.pValue()), stars(c.pValue())));
        }
        sb.append("---\nSignif. codes:  0 '***' 0.001 '**' 0.01 '*' 0.05 '.' 0.1 ' ' 1\n\n");
        if (r.dispersion() != null) {
            sb.append(String.format(Locale.ROOT, "(Dispersion parameter for %s family taken to be %s)%n%n", r.rFamily(),
                    r.dispersionEstimated() ? String.format(Locale.ROOT, "%.6g", r.dispersion()) : "1"));
        }
        sb.append(String.format(Locale.ROOT, "    Null deviance: %s  on %d  degrees of freedom%n", num(r.nullDeviance()), r.dfNull()));
        sb.append(String.format(Locale.ROOT, "Residual deviance: %s  on %d  degrees of freedom%n", num(r.deviance()), r.dfResidual()));
        sb.append("AIC: ").append(r.aic() == null ? "NA" : String.format(Locale.ROOT, "%.5g", r.aic())).append('\n');
        if (r.theta() != null) {
            sb.append(String.format(Locale.ROOT, "Theta: %.6g  (Std. Err.: %s)%n", r.theta(), num(r.thetaSe())));
        }
        sb.append(String.format(Locale.ROOT, "%nNumber of Fisher Scoring iterations: %d%n", r.iterations()));
        sb.append("Status: ").append(r.status().specName()).append('\n');
        for (String w : r.warnings()) {
            sb.append("Warning: ").append(w).append('\n');
        }
        return sb.toString();
    }

    private static String num(Double v) {
        return v == null ? "NA" : String.format(Locale.ROOT, "%.6g", v);
    }

    private static String pValue(Double p) {
        if (p == null) {
            return "NA";
        }
        return p < 2.2e-16 ? "<2e-16" : String.format(Locale.ROOT, "%.3g", p);
    }

    private static String stars(Double p) {
        if (p == null) {
            return "";
        }
        return p < 0.001 ? "***" : p < 0.01 ? "**" : p < 0.05 ? "*" : p < 0.1 ? "." : "";
    }
}
