package io.streamglm.engine.penalized;

import io.streamglm.engine.data.DataException;
import io.streamglm.engine.data.DataTable;
import io.streamglm.engine.spec.PenaltySpec;
import io.streamglm.engine.spec.SpecException;
import io.streamglm.engine.spec.SpecProblem;

import java.util.List;
import java.util.Random;

/** cv.glmnet's fold ids: a column of fold numbers 1..K, or K folds of near-equal size drawn with a seed. */
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
        // sample(rep(seq(nfolds), length = N)) in spirit; the draw is Java's, not R's.
        int k = cv.folds();
        for (int i = 0; i < rows; i++) {
            fold[i] = i % k + 1;
        }
        Random random = new Random(cv.seed());
        for (int i = rows - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = fold[i];
            fold[i] = fold[j];
            fold[j] = t;
        }
        return fold;
    }
}
