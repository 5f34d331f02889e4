package io.streamglm.job.cli;

import io.streamglm.job.sql.ModelRegistry;
import io.streamglm.job.sql.SqlSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code streamglm sql}: Flink SQL on local CSV files with the GLM functions registered. */
@Command(name = "sql", mixinStandardHelpOptions = true,
        description = "Run Flink SQL locally with GLM_PREDICT, GLM_LINK and GLM_PREDICT_INTERVAL registered.")
public final class SqlCommand implements Callable<Integer> {
    @Option(names = "--model", description = "NAME=FILE.json or NAME=kafka://HOST:PORT/TOPIC/MODEL_ID (repeatable)")
    List<String> models = new ArrayList<>();

    @Option(names = "--table", description = "NAME=FILE.csv: a CSV with a header as a table (repeatable)")
    List<String> tables = new ArrayList<>();

    @Option(names = {"-e", "--execute"}, required = true, description = "the SQL query")
    String sql;

    @Option(names = "--out", description = "write the result as CSV with a header instead of printing it")
    Path out;

    @Override public Integer call() {
        for (String m : models) {
            String[] kv = split(m, "--model");
            ModelRegistry.register(kv[0], kv[1]);
        }
        try (SqlSession session = new SqlSession()) {
            for (String t : tables) {
                String[] kv = split(t, "--table");
                session.registerCsv(kv[0], Path.of(kv[1]));
            }
            if (out != null) {
                long rows = session.writeCsv(sql, out);
                System.err.printf("wrote %d rows to %s%n", rows, out);
            } else {
                session.execute(sql).print();
            }
        }
        return 0;
    }

    private static String[] split(String kv, String option) {
        int eq = kv.indexOf('=');
        if (eq <= 0) {
            throw new UsageException(option + " " + kv + ": use NAME=VALUE");
        }
        return new String[]{kv.substring(0, eq), kv.substring(eq + 1)};
    }
}
