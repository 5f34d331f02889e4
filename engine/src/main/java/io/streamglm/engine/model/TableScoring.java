package io.streamglm.engine.model;

import io.streamglm.engine.data.DataTable;

/** Scores every row of a table with a model file's model (for comparisons such as a double lift). */
public final class TableScoring {
    private TableScoring() {
    }

    /** Each row's mean, NaN where the model cannot score it (an unseen level, a missing column). */
    public static double[] means(ModelFile.Model model, DataTable data) {
        Scorer scorer = new Scorer(model);
        TableRecord record = new TableRecord(data);
        double[] out = new double[data.rows()];
        for (int i = 0; i < out.length; i++) {
            Scorer.Prediction p = scorer.predict(record.at(i));
            out[i] = p == null ? Double.NaN : p.mean();
        }
        return out;
    }
}
