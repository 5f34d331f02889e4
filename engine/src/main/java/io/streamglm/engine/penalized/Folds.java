package io.streamglm.engine.penalized;

import io.streamglm.engine.data.DataException;
import io.streamglm.engine.data.DataTable;
import io.streamglm.engine.spec.PenaltySpec;
import io.streamglm.engine.spec.SpecException;
import io.streamglm.engine.spec.SpecProblem;

import java.util.List;

/** cv.glmnet's fold ids: a column of fold numbers 1..K, or K folds drawn as R draws them after {@code set.seed}. */
final class Folds {
    private Folds() {
    }

    static int[] of(PenaltySpec.Cv cv, DataTable data, int rows) {
        int[] fold = new int[rows];
        if (cv.foldColumn() != null) {
            double[] col = data.numeric(cv.foldColumn());
            int max = 0;
            for (int i = 0; i < rows; i++) {
                double v = col[i];
                if (!(v >= 1) || v != Math.rint(v) || v > Integer.MAX_VALUE) {
                    throw DataException.at(data.source(), i + 1, cv.foldColumn(), "fold " + v + " is not a whole"
                            + " number >= 1", "number the folds 1, 2, ..., K as cv.glmnet's foldid");
                }
                fold[i] = (int) v;
                max = Math.max(max, fold[i]);
            }
            if (max < 3) {
                throw new SpecException(data.source(), List.of(new SpecProblem("penalty.cv.fold_column",
                        "column '" + cv.foldColumn() + "' has " + (max == 1 ? "one fold" : max + " folds"),
                        "cv.glmnet needs at least 3 folds: number the rows' folds 1..K with K >= 3")));
            }
            return fold;
        }
        // set.seed(seed); sample(rep(seq(nfolds), length = N)), R's own draw
        return RRandom.folds((int) cv.seed(), cv.folds(), rows);
    }
}
