package io.streamglm.job.cli;

import io.streamglm.connectors.csv.CsvTableReader;
import io.streamglm.engine.data.DataTable;
import io.streamglm.engine.design.RecordValues;
import io.streamglm.engine.model.ModelFile;
import io.streamglm.engine.model.Scorer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code streamglm score}: predictions for a CSV file with a model file, the engine alone. */
@Command(name = "score", mixinStandardHelpOptions = true,
        description = "Score a CSV file with a model file: linear predictor, mean, its standard error and 95%% interval.")
public final class ScoreCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, description = "model file from fit --model-out or model export")
    Path model;

    @Option(names = "--data", required = true, description = "CSV file with a header row")
    Path data;

    @Option(names = "--out", required = true, description = "CSV of predictions to write")
    Path out;

    @Override public Integer call() throws IOException {
        ModelFile.Model m = ModelFile.read(Files.readString(model), model.toString());
        Scorer scorer = new Scorer(m);
        Map<String, String> numeric = new LinkedHashMap<>(m.spec().numericColumnUsage());
        numeric.remove(m.spec().response());
        if (m.spec().weights() != null) {
            numeric.remove(m.spec().weights());
        }
        DataTable table = CsvTableReader.read(data, numeric, m.spec().categoricalColumnUsage());
        StringBuilder sb = new StringBuilder("row,linear_predictor,prediction,std_error,lower95,upper95\n");
        int unscored = 0;
        for (int i = 0; i < table.rows(); i++) {
            Scorer.Prediction p = scorer.predict(row(table, i));
            sb.append(i + 1);
            if (p == null) {
                sb.append(",,,,,\n");
                unscored++;
            } else {
                sb.append(String.format(Locale.ROOT, ",%.17g,%.17g,%.17g,%.17g,%.17g%n", p.linearPredictor(), p.mean(),
                        p.stdError(), p.lower(), p.upper()));
            }
        }
        AtomicFiles.writeString(out, sb.toString());
        System.err.printf("scored %d rows%s%n", table.rows() - unscored,
                unscored > 0 ? "; " + unscored + " rows could not be scored (unseen level): their fields are empty" : "");
        return 0;
    }

    static RecordValues row(DataTable table, int i) {
        return new RecordValues() {
            @Override public double number(String column) {
                return table.numericColumns().contains(column) ? table.numeric(column)[i] : Double.NaN;
            }

            @Override public String text(String column) {
                return table.categorical(column).value(i);
            }
        };
    }
}
