package io.streamglm.engine.report;

import java.util.List;
import java.util.Locale;

/**
 * Inline SVG charts for the HTML report, drawn from flat arrays: no script, no fonts or images from anywhere,
 * so that the page opens from a file with nothing else.
 */
final class Svg {
    static final int WIDTH = 640;
    static final int HEIGHT = 260;
    private static final int LEFT = 56;
    private static final int RIGHT = 16;
    private static final int TOP = 16;
    private static final int BOTTOM = 64;
    private static final int MAX_LABELS = 30;

    private Svg() {
    }

    /**
     * Points with interval whiskers at categories (levels, bands, deciles), a dashed reference line at
     * {@code reference} (NaN for none), and a second series of hollow points (null for none).
     */
    static String intervals(List<String> labels, double[] value, double[] lower, double[] upper, double[] second,
                            double reference, String yLabel) {
        int n = labels.size();
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            lo = min(lo, value[i], lower == null ? value[i] : lower[i], second == null ? value[i] : second[i]);
            hi = max(hi, value[i], upper == null ? value[i] : upper[i], second == null ? value[i] : second[i]);
        }
        if (!Double.isNaN(reference)) {
            lo = Math.min(lo, reference);
            hi = Math.max(hi, reference);
        }
        Scale y = Scale.of(lo, hi, HEIGHT - BOTTOM, TOP);
        StringBuilder sb = open(yLabel, y);
        double step = (WIDTH - LEFT - RIGHT) / (double) Math.max(1, n);
        int labelEvery = Math.max(1, (n + MAX_LABELS - 1) / MAX_LABELS); // many refits: label every k-th
        if (!Double.isNaN(reference)) {
            sb.append(String.format(Locale.ROOT, "<line x1='%d' x2='%d' y1='%.1f' y2='%.1f' stroke='#888' "
                    + "stroke-dasharray='4 3'/>", LEFT, WIDTH - RIGHT, y.at(reference), y.at(reference)));
        }
        for (int i = 0; i < n; i++) {
            double x = LEFT + step * (i + 0.5);
            if (lower != null && Double.isFinite(lower[i]) && Double.isFinite(upper[i])) {
                sb.append(String.format(Locale.ROOT, "<line x1='%.1f' x2='%.1f' y1='%.1f' y2='%.1f' stroke='#4a78b5'/>",
                        x, x, y.at(lower[i]), y.at(upper[i])));
            }
            if (Double.isFinite(value[i])) {
                sb.append(String.format(Locale.ROOT, "<circle cx='%.1f' cy='%.1f' r='3.5' fill='#1f4e8c'/>", x,
                        y.at(value[i])));
            }
            if (second != null && Double.isFinite(second[i])) {
                sb.append(String.format(Locale.ROOT, "<circle cx='%.1f' cy='%.1f' r='3.5' fill='none' "
                        + "stroke='#c0392b'/>", x, y.at(second[i])));
            }
            if (i % labelEvery == 0) {
                sb.append(String.format(Locale.ROOT, "<text x='%.1f' y='%d' font-size='10' text-anchor='end' "
                        + "transform='rotate(-35 %.1f %d)'>%s</text>", x, HEIGHT - BOTTOM + 14, x,
                        HEIGHT - BOTTOM + 14, HtmlReport.escape(shorten(labels.get(i)))));
            }
        }
        return sb.append("</svg>").toString();
    }

    /** A scatter of (x, y) with axis labels and a dashed horizontal line at {@code reference} (NaN for none). */
    static String scatter(double[] x, double[] y, String xLabel, String yLabel, double reference) {
        double xl = Double.POSITIVE_INFINITY;
        double xh = Double.NEGATIVE_INFINITY;
        double yl = Double.POSITIVE_INFINITY;
        double yh = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < x.length; i++) {
            if (Double.isFinite(x[i]) && Double.isFinite(y[i])) {
                xl = Math.min(xl, x[i]);
                xh = Math.max(xh, x[i]);
                yl = Math.min(yl, y[i]);
                yh = Math.max(yh, y[i]);
            }
        }
        if (!Double.isNaN(reference)) {
            yl = Math.min(yl, reference);
            yh = Math.max(yh, reference);
        }
        Scale sx = Scale.of(xl, xh, LEFT, WIDTH - RIGHT);
        Scale sy = Scale.of(yl, yh, HEIGHT - BOTTOM, TOP);
        StringBuilder sb = open(yLabel, sy);
        if (!Double.isNaN(reference)) {
            sb.append(String.format(Locale.ROOT, "<line x1='%d' x2='%d' y1='%.1f' y2='%.1f' stroke='#888' "
                    + "stroke-dasharray='4 3'/>", LEFT, WIDTH - RIGHT, sy.at(reference), sy.at(reference)));
        }
        for (int i = 0; i < x.length; i++) {
            if (Double.isFinite(x[i]) && Double.isFinite(y[i])) {
                sb.append(String.format(Locale.ROOT, "<circle cx='%.1f' cy='%.1f' r='1.8' fill='#1f4e8c' "
                        + "fill-opacity='0.5'/>", sx.at(x[i]), sy.at(y[i])));
            }
        }
        for (double t : sx.ticks()) {
            sb.append(String.format(Locale.ROOT, "<text x='%.1f' y='%d' font-size='10' text-anchor='middle'>%s</text>",
                    sx.at(t), HEIGHT - BOTTOM + 14, format(t)));
        }
        sb.append(String.format(Locale.ROOT, "<text x='%d' y='%d' font-size='11' text-anchor='middle'>%s</text>",
                (LEFT + WIDTH - RIGHT) / 2, HEIGHT - BOTTOM + 34, HtmlReport.escape(xLabel)));
        return sb.append("</svg>").toString();
    }

    private static final String[] PALETTE = {"#1f4e8c", "#c0392b", "#27ae60", "#8e44ad", "#d35400", "#16a085",
        "#7f8c8d", "#2c3e50", "#b7950b", "#a93226"};

    /**
     * Lines over numeric x: {@code series[k][i]} at {@code x[i]}, the {@code labelled} series with the largest
     * magnitude at the last point named beside it (more would not be readable; every line has its name as a
     * tooltip), dashed vertical lines at {@code marks} (none: empty). For glmnet's coefficient paths against
     * log(lambda), whose last point (the smallest lambda) is the leftmost, where {@code plot.glmnet} labels them.
     */
    static String lines(double[] x, double[][] series, List<String> names, int labelled, double[] marks,
                        String xLabel, String yLabel) {
        Scale sx = Scale.over(LEFT + 64, WIDTH - RIGHT, x); // room for the names left of the lines
        Scale sy = Scale.over(HEIGHT - BOTTOM, TOP, series);
        StringBuilder sb = open(yLabel, sy);
        marks(sb, sx, marks);
        Integer[] order = new Integer[series.length];
        for (int k = 0; k < series.length; k++) {
            order[k] = k;
        }
        int last = x.length - 1;
        java.util.Arrays.sort(order, (a, b) -> Double.compare(Math.abs(series[b][last]), Math.abs(series[a][last])));
        java.util.Set<Integer> named = new java.util.HashSet<>(List.of(order).subList(0, Math.min(labelled, order.length)));
        for (int k = 0; k < series.length; k++) {
            String colour = PALETTE[k % PALETTE.length];
            StringBuilder points = new StringBuilder();
            for (int i = 0; i < x.length; i++) {
                if (Double.isFinite(x[i]) && Double.isFinite(series[k][i])) {
                    points.append(String.format(Locale.ROOT, "%.1f,%.1f ", sx.at(x[i]), sy.at(series[k][i])));
                }
            }
            sb.append("<polyline fill='none' stroke-width='1.2' stroke='").append(colour).append("' points='")
                    .append(points.toString().trim()).append("'><title>").append(HtmlReport.escape(names.get(k)))
                    .append("</title></polyline>");
            if (named.contains(k) && Double.isFinite(series[k][last])) {
                sb.append(String.format(Locale.ROOT, "<text x='%.1f' y='%.1f' font-size='9' fill='%s' "
                        + "text-anchor='end'>%s</text>", sx.at(x[last]) - 3, sy.at(series[k][last]) + 3, colour,
                        HtmlReport.escape(shorten(names.get(k)))));
            }
        }
        xAxis(sb, sx, xLabel);
        return sb.append("</svg>").toString();
    }

    /**
     * Points with whiskers over numeric x ({@code lower}/{@code upper} per point), dashed vertical lines at
     * {@code marks}: cv.glmnet's curve of cross-validated deviance against log(lambda).
     */
    static String band(double[] x, double[] value, double[] lower, double[] upper, double[] marks, String xLabel,
                       String yLabel) {
        Scale sx = Scale.over(LEFT, WIDTH - RIGHT, x);
        Scale sy = Scale.over(HEIGHT - BOTTOM, TOP, value, lower, upper);
        StringBuilder sb = open(yLabel, sy);
        marks(sb, sx, marks);
        for (int i = 0; i < x.length; i++) {
            if (!Double.isFinite(x[i]) || !Double.isFinite(value[i])) {
                continue;
            }
            if (Double.isFinite(lower[i]) && Double.isFinite(upper[i])) {
                sb.append(String.format(Locale.ROOT, "<line x1='%.1f' x2='%.1f' y1='%.1f' y2='%.1f' stroke='#999'/>",
                        sx.at(x[i]), sx.at(x[i]), sy.at(lower[i]), sy.at(upper[i])));
            }
            sb.append(String.format(Locale.ROOT, "<circle cx='%.1f' cy='%.1f' r='2.5' fill='#c0392b'/>", sx.at(x[i]),
                    sy.at(value[i])));
        }
        xAxis(sb, sx, xLabel);
        return sb.append("</svg>").toString();
    }

    private static void marks(StringBuilder sb, Scale sx, double[] marks) {
        for (double m : marks) {
            if (Double.isFinite(m)) {
                sb.append(String.format(Locale.ROOT, "<line x1='%.1f' x2='%.1f' y1='%d' y2='%d' stroke='#888' "
                        + "stroke-dasharray='4 3'/>", sx.at(m), sx.at(m), TOP, HEIGHT - BOTTOM));
            }
        }
    }

    private static void xAxis(StringBuilder sb, Scale sx, String xLabel) {
        for (double t : sx.ticks()) {
            sb.append(String.format(Locale.ROOT, "<text x='%.1f' y='%d' font-size='10' text-anchor='middle'>%s</text>",
                    sx.at(t), HEIGHT - BOTTOM + 14, format(t)));
        }
        sb.append(String.format(Locale.ROOT, "<text x='%d' y='%d' font-size='11' text-anchor='middle'>%s</text>",
                (LEFT + WIDTH - RIGHT) / 2, HEIGHT - BOTTOM + 34, HtmlReport.escape(xLabel)));
    }

    private static StringBuilder open(String yLabel, Scale y) {
        StringBuilder sb = new StringBuilder(4096);
        sb.append(String.format(Locale.ROOT, "<svg width='%d' height='%d' "
                + "viewBox='0 0 %d %d' role='img'>", WIDTH, HEIGHT, WIDTH, HEIGHT));
        sb.append(String.format(Locale.ROOT, "<rect x='%d' y='%d' width='%d' height='%d' fill='none' stroke='#ccc'/>",
                LEFT, TOP, WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM));
        for (double t : y.ticks()) {
            sb.append(String.format(Locale.ROOT, "<text x='%d' y='%.1f' font-size='10' text-anchor='end'>%s</text>",
                    LEFT - 4, y.at(t) + 3, format(t)));
        }
        sb.append(String.format(Locale.ROOT, "<text x='12' y='%d' font-size='11' text-anchor='middle' "
                + "transform='rotate(-90 12 %d)'>%s</text>", (TOP + HEIGHT - BOTTOM) / 2, (TOP + HEIGHT - BOTTOM) / 2,
                HtmlReport.escape(yLabel)));
        return sb;
    }

    private static String shorten(String s) {
        return s.length() > 18 ? s.substring(0, 17) + "…" : s;
    }

    static String format(double v) {
        return String.format(Locale.ROOT, "%.3g", v);
    }

    private static double min(double a, double... more) {
        for (double m : more) {
            if (Double.isFinite(m)) {
                a = Math.min(a, m);
            }
        }
        return a;
    }

    private static double max(double a, double... more) {
        for (double m : more) {
            if (Double.isFinite(m)) {
                a = Math.max(a, m);
            }
        }
        return a;
    }

    /** A linear map from data to pixels, widened a little so points do not sit on the frame. */
    private record Scale(double lo, double hi, double from, double to) {
        /** Over the finite values of {@code data}. */
        static Scale over(double from, double to, double[]... data) {
            double lo = Double.POSITIVE_INFINITY;
            double hi = Double.NEGATIVE_INFINITY;
            for (double[] values : data) {
                for (double v : values) {
                    lo = min(lo, v);
                    hi = max(hi, v);
                }
            }
            return of(lo, hi, from, to);
        }

        static Scale of(double lo, double hi, double from, double to) {
            if (!Double.isFinite(lo) || !Double.isFinite(hi)) {
                lo = 0;
                hi = 1;
            }
            if (hi - lo < 1e-12 * Math.max(1, Math.abs(hi))) {
                lo -= 0.5;
                hi += 0.5;
            }
            double pad = (hi - lo) * 0.05;
            return new Scale(lo - pad, hi + pad, from, to);
        }

        double at(double v) {
            return from + (v - lo) / (hi - lo) * (to - from);
        }

        double[] ticks() {
            double[] t = new double[5];
            for (int i = 0; i < 5; i++) {
                t[i] = lo + (hi - lo) * (0.05 + 0.9 * i / 4);
            }
            return t;
        }
    }
}
