package io.streamglm.bench;

import io.streamglm.connectors.record.RecordParser;
import io.streamglm.connectors.record.RowEncoding;
import io.streamglm.engine.design.DesignBuilder;
import io.streamglm.engine.design.FittedDesign;
import io.streamglm.engine.model.ModelFile;
import io.streamglm.engine.spec.ModelSpec;
import io.streamglm.engine.spec.SpecParser;
import io.streamglm.job.core.Event;
import io.streamglm.job.operators.EventDeserializer;
import io.streamglm.job.synthetic.SyntheticClaims;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code Bench ingest}: the stream's record path on one thread, without Kafka or Flink: the benchmark's JSON
 * records (and the same rows as CSV lines) turned into {@link Event}s by the stream's {@link EventDeserializer},
 * beside the record parser alone and the parser plus row encoding it used before, in the same run. Medians of the
 * repeats, each over all the records; the records are made once, in memory, before any timing.
 */
@Command(name = "ingest", mixinStandardHelpOptions = true,
        description = "Benchmark the stream's record parsing and encoding on one thread (no Kafka, no Flink).")
public final class IngestBench implements Callable<Integer> {
    @Option(names = "--records", defaultValue = "1000000", description = "records (default ${DEFAULT-VALUE})")
    int records;

    @Option(names = "--repeats", defaultValue = "5", description = "passes over the records (default ${DEFAULT-VALUE})")
    int repeats;

    @Override public Integer call() {
        ModelSpec spec = SpecParser.parse(SyntheticClaims.poissonSpecWithLevels(), "spec");
        FittedDesign design = DesignBuilder.freeze(spec);
        String specJson = SpecParser.toJson(spec).toString();
        String designJson = ModelFile.designToJson(design);
        String csvSpecJson = SpecParser.toJson(SpecParser.parse(SyntheticClaims.poissonSpecWithLevels()
                .replaceFirst("\\{", "{\"csv_header\": " + StreamBench.CSV_HEADER + ","), "spec")).toString();
        byte[][] json = new byte[records][];
        byte[][] csv = new byte[records][];
        SyntheticClaims.Generator g = new SyntheticClaims.Generator(11);
        long bytes = 0;
        for (int i = 0; i < records; i++) {
            SyntheticClaims.Row row = g.next();
            json[i] = StreamBench.jsonRecord(row, StreamBench.T0 + i);
            csv[i] = StreamBench.csvRecord(row, StreamBench.T0 + i);
            bytes += json[i].length;
        }
        System.out.printf(Locale.ROOT, "records                  %,d (JSON %.0f bytes each on average), %d passes, one"
                + " thread%n", records, (double) bytes / records, repeats);
        RecordParser parser = new RecordParser(spec, "ts", null);
        RowEncoding encoding = new RowEncoding(spec, "m", design);
        EventDeserializer jsonEvents = new EventDeserializer(specJson, designJson, "m", "ts", null, 0);
        EventDeserializer csvEvents = new EventDeserializer(csvSpecJson, designJson, "m", "ts", null, 0);
        report("JSON: RecordParser.parse", time(json, v -> parser.parse(v, 0).record() != null));
        report("JSON: parse + RowEncoding", time(json, v -> encoding.encode(parser.parse(v, 0).record()).row() != null));
        report("JSON: EventDeserializer", time(json, v -> jsonEvents.toEvent(v, "in", 0, 0, 0).isRow()));
        report("CSV:  EventDeserializer", time(csv, v -> csvEvents.toEvent(v, "in", 0, 0, 0).isRow()));
        return 0;
    }

    private interface Step {
        boolean run(byte[] value);
    }

    /** Seconds per pass over all records, one per repeat; every record must give a row. */
    private double[] time(byte[][] values, Step step) {
        double[] seconds = new double[repeats];
        for (int r = 0; r < repeats; r++) {
            long t0 = System.nanoTime();
            int rows = 0;
            for (byte[] v : values) {
                if (step.run(v)) {
                    rows++;
                }
            }
            seconds[r] = (System.nanoTime() - t0) / 1e9;
            if (rows != values.length) {
                throw new IllegalStateException(rows + " rows of " + values.length + " records");
            }
        }
        return seconds;
    }

    private void report(String what, double[] seconds) {
        double[] s = seconds.clone();
        Arrays.sort(s);
        double median = s[s.length / 2];
        System.out.printf(Locale.ROOT, "%-26s %6.0f ns/record  %,11.0f records/s  (passes, s: %s)%n", what,
                median * 1e9 / records, records / median, Arrays.toString(seconds).replaceAll("(\\.\\d{3})\\d+", "$1"));
    }
}
