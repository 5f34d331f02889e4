package io.streamglm.job.sql;

import io.streamglm.engine.design.RecordValues;
import io.streamglm.engine.model.Scorer;
import org.apache.flink.table.functions.FunctionContext;
import org.apache.flink.table.functions.ScalarFunction;

import java.util.List;
import java.util.Map;

/**
 * Shared by the SQL functions: resolves the model by name and turns the call's arguments (positional, or a map of
 * named columns) into a record. A null, a wrong type or an unseen level gives a null prediction; the query never
 * fails because of a row.
 */
abstract class ScoringFunction extends ScalarFunction {
    private static final long serialVersionUID = 1L;
    private transient FunctionContext context;

    @Override public void open(FunctionContext context) {
        this.context = context;
    }

    Scorer scorer(String model) {
        if (model == null) {
            return null;
        }
        try {
            return ModelRegistry.scorer(model, key -> context == null ? null : context.getJobParameter(key, null));
        } catch (RuntimeException e) {
            return null;
        }
    }

    Scorer.Prediction predict(String model, Object[] args) {
        return predict(scorer(model), args);
    }

    Scorer.Prediction predict(Scorer scorer, Object[] args) {
        if (scorer == null || args == null) {
            return null;
        }
        List<String> columns = scorer.positionalColumns();
        if (args.length != columns.size()) {
            return null;
        }
        return scorer.predict(new RecordValues() {
            @Override public double number(String column) {
                return numberOf(args[columns.indexOf(column)]);
            }

            @Override public String text(String column) {
                return textOf(args[columns.indexOf(column)]);
            }
        });
    }

    Scorer.Prediction predict(String model, Map<String, String> values) {
        return predict(scorer(model), values);
    }

    Scorer.Prediction predict(Scorer scorer, Map<String, String> values) {
        if (scorer == null || values == null) {
            return null;
        }
        return scorer.predict(new RecordValues() {
            @Override public double number(String column) {
                return numberOf(values.get(column));
            }

            @Override public String text(String column) {
                return values.get(column);
            }
        });
    }

    static double numberOf(Object v) {
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        if (v instanceof String s) {
            try {
                return Double.parseDouble(s.trim());
            } catch (NumberFormatException e) {
                return Double.NaN;
            }
        }
        return Double.NaN;
    }

    static String textOf(Object v) {
        if (v == null) {
            return null;
        }
        if (v instanceof Double d && d == Math.rint(d) && Math.abs(d) < 1e15) {
            return Long.toString(d.longValue()); // a level "1" given as the number 1.0
        }
        return v.toString();
    }
}
