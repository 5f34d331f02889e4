package io.streamglm.engine.model;

import io.streamglm.engine.design.RecordEncoder;
import io.streamglm.engine.design.RecordValues;
import io.streamglm.engine.fit.GlmModel;
import io.streamglm.engine.link.Link;
import io.streamglm.engine.spec.ModelSpec;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Predictions of a fitted model for single records: the linear predictor, the mean, the mean's standard error
 * (delta method from the coefficient covariance) and a 95% interval (the link-scale interval mapped through the
 * inverse link, as {@code predict(..., type = "link", se.fit = TRUE)} then transformed). A record that cannot be
 * scored (a missing or non-finite input, a level the model never saw) gives null, never an exception.
 */
public final class Scorer {
    private static final double Z975 = 1.959963984540054;

    private final ModelFile.Model model;
    private final ModelSpec spec;
    private final Link link;
    private final RecordEncoder encoder;
    private final int p;
    private final int[] idx;
    private final double[] val;

    public Scorer(ModelFile.Model model) {
        this.model = model;
        this.spec = model.spec();
        this.link = GlmModel.resolveLink(spec);
        this.encoder = new RecordEncoder(model.design());
        this.p = model.columnNames().size();
        this.idx = new int[Math.max(1, model.design().maxNonZeros())];
        this.val = new double[idx.length];
    }

    public ModelFile.Model model() {
        return model;
    }

    /** One prediction. */
    public record Prediction(double linearPredictor, double mean, double stdError, double lower, double upper) {
    }

    /**
     * The columns a caller passes positionally, in order: the columns the spec's terms read (in the order of the
     * terms, an expression's columns in the order they appear), then interaction-only columns, then the offset
     * and exposure columns when the model has them.
     */
    public List<String> positionalColumns() {
        Set<String> cols = new LinkedHashSet<>();
        cols.addAll(spec.numericColumnUsage().keySet());
        cols.addAll(spec.categoricalColumnUsage().keySet());
        List<String> ordered = new ArrayList<>();
        for (var t : spec.terms()) {
            if (t.term() instanceof io.streamglm.engine.spec.ExpressionTerm e) {
                ordered.addAll(e.parsed().columns());
            } else {
                ordered.add(t.term().column());
            }
        }
        for (var i : spec.interactions()) {
            for (var t : i.parts()) {
                if (t.term() instanceof io.streamglm.engine.spec.ExpressionTerm e) {
                    ordered.addAll(e.parsed().columns());
                } else {
                    ordered.add(t.term().column());
                }
            }
        }
        Set<String> out = new LinkedHashSet<>(ordered);
        if (spec.offset() != null) {
            out.add(spec.offset());
        }
        if (spec.exposure() != null) {
            out.add(spec.exposure());
        }
        return new ArrayList<>(out);
    }

    /** The prediction for a record, or null when it cannot be scored. */
    public synchronized Prediction predict(RecordValues record) {
        int k;
        try {
            k = encoder.encode(record, idx, val);
        } catch (RecordEncoder.UnseenLevelException e) {
            return null;
        }
        if (k < 0) {
            return null;
        }
        double offset = 0;
        if (spec.offset() != null) {
            offset += record.number(spec.offset());
        }
        if (spec.exposure() != null) {
            offset += Math.log(record.number(spec.exposure()));
        }
        double[] beta = model.coefficients();
        double[] cov = model.covariance();
        double eta = offset;
        double q = 0;
        for (int a = 0; a < k; a++) {
            eta += val[a] * beta[idx[a]];
            double inner = 0;
            for (int b = 0; b < k; b++) {
                inner += cov[idx[a] * p + idx[b]] * val[b];
            }
            q += val[a] * inner;
        }
        if (!Double.isFinite(eta)) {
            return null;
        }
        double mean = link.linkinv(eta);
        double seEta = Math.sqrt(Math.max(q, 0));
        double seMean = Math.abs(link.muEta(eta)) * seEta;
        double a = link.linkinv(eta - Z975 * seEta);
        double b = link.linkinv(eta + Z975 * seEta);
        return new Prediction(eta, mean, seMean, Math.min(a, b), Math.max(a, b));
    }
}
