package io.streamglm.job.replay;

import io.streamglm.connectors.csv.CsvSplits;
import io.streamglm.connectors.csv.CsvTableReader;
import io.streamglm.engine.data.DataTable;
import io.streamglm.engine.design.DesignMatrix;
import io.streamglm.engine.design.FittedDesign;
import io.streamglm.engine.fit.GlmModel;
import io.streamglm.engine.fit.TrainingSet;
import io.streamglm.engine.design.RowBuffer;
import io.streamglm.engine.spec.ModelSpec;
import io.streamglm.engine.accumulate.InMemoryPasses;
import io.streamglm.engine.model.ModelFile;
import io.streamglm.engine.spec.SpecParser;
import io.streamglm.job.core.Event;
import io.streamglm.job.operators.EventDeserializer;
import io.streamglm.job.state.SerializerTypeInfo;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

import java.nio.file.Path;
import java.util.List;

/**
 * Flink functions that read a replay's files, one file per element (its index): records are parsed and encoded
 * by the stream's own {@link EventDeserializer}, with the file as the "topic", its index as the "partition" and
 * the record's index as the "offset", so rows carry the same order keys a stream of the same records would.
 */
public final class FileReaders {
    /** Records that cannot be used, from a chunk reader. */
    public static final OutputTag<Event> DEAD_LETTERS = new OutputTag<>("replay-dead-letters", SerializerTypeInfo.EVENT);

    private FileReaders() {
    }

    /** Emits every record of the file as an {@link Event} (a row or a dead letter). */
    public static final class Records extends ProcessFunction<Integer, Event> {
        private static final long serialVersionUID = 1L;
        private final List<String> files;
        private final String timeField;
        private final EventDeserializer deserializer;

        public Records(List<String> files, String timeField, EventDeserializer deserializer) {
            this.files = files;
            this.timeField = timeField;
            this.deserializer = deserializer;
        }

        @Override public void processElement(Integer file, Context ctx, Collector<Event> out) {
            read(files, file, timeField, deserializer, out::collect);
        }
    }

    /**
     * Emits a file's rows as chunks of {@link InMemoryPasses#CHUNK_ROWS} consecutive rows keyed by
     * {@code file << 32 | chunk}: the same cut as {@code streamglm fit} makes of a single file, so merged in key
     * order they give the same sums. Dead letters go to {@link #DEAD_LETTERS}.
     */
    public static final class Chunks extends ProcessFunction<Integer, Tuple2<Long, RowBuffer>> {
        private static final long serialVersionUID = 1L;
        private final List<String> files;
        private final String timeField;
        private final EventDeserializer deserializer;
        private final String specJson;
        private final String designJson;
        private transient ModelSpec spec;
        private transient FittedDesign design;

        public Chunks(List<String> files, String timeField, EventDeserializer deserializer, String specJson,
                      String designJson) {
            this.files = files;
            this.timeField = timeField;
            this.deserializer = deserializer;
            this.specJson = specJson;
            this.designJson = designJson;
        }

        @Override public void open(OpenContext openContext) {
            spec = SpecParser.parse(specJson, "spec");
            design = ModelFile.designFromJson(designJson);
        }

        @Override public void processElement(Integer file, Context ctx, Collector<Tuple2<Long, RowBuffer>> out) {
            EventChunks chunks = new EventChunks(spec, design, file, ctx, out);
            read(files, file, timeField, deserializer, chunks::add);
            chunks.finish();
        }
    }

    /**
     * Events into chunks of {@link InMemoryPasses#CHUNK_ROWS} rows keyed {@code prefix << 32 | chunk}, each row
     * keyed by its source position; dead letters to {@link #DEAD_LETTERS}.
     */
    private static final class EventChunks {
        private final ModelSpec spec;
        private final FittedDesign design;
        private final long prefix;
        private final ProcessFunction<Integer, Tuple2<Long, RowBuffer>>.Context ctx;
        private final Collector<Tuple2<Long, RowBuffer>> out;
        private RowBuffer chunk;
        private long chunks;

        EventChunks(ModelSpec spec, FittedDesign design, long prefix,
                    ProcessFunction<Integer, Tuple2<Long, RowBuffer>>.Context ctx,
                    Collector<Tuple2<Long, RowBuffer>> out) {
            this.spec = spec;
            this.design = design;
            this.prefix = prefix;
            this.ctx = ctx;
            this.out = out;
            this.chunk = RowBuffer.forModel(spec, design);
        }

        void add(Event e) {
            if (!e.isRow()) {
                ctx.output(DEAD_LETTERS, e);
                return;
            }
            e.row().appendTo(chunk, ((long) e.partition() << 40) | e.offset());
            if (chunk.size() == InMemoryPasses.CHUNK_ROWS) {
                out.collect(Tuple2.of((prefix << 32) | chunks++, chunk));
                chunk = RowBuffer.forModel(spec, design);
            }
        }

        /** Emits the last, partly filled chunk. */
        void finish() {
            if (chunk.size() > 0) {
                out.collect(Tuple2.of((prefix << 32) | chunks, chunk));
            }
        }
    }

    /**
     * Reads one byte-range split of a single CSV file ({@link CsvSplits}) per element (the split's index) straight
     * into design rows by the {@code fit} command's path ({@link CsvTableReader#readSplit}, {@link TrainingSet},
     * {@link DesignMatrix#encode}), and emits them as chunks of {@link InMemoryPasses#CHUNK_ROWS} rows keyed by
     * {@code split << 32 | chunk}. The plan's cuts fall on record indexes that are multiples of the chunk size,
     * so every chunk is one of the chunks {@code streamglm fit} makes of the file, and merged in key order they
     * give its sums bit for bit.
     *
     * <p>A split with a record the fit path refuses (a bad value, an unseen level) is read again record by record
     * through the stream's {@link EventDeserializer}, as {@link Chunks} reads a file, so its bad records become
     * dead letters and its good ones rows.
     */
    public static final class SplitChunks extends ProcessFunction<Integer, Tuple2<Long, RowBuffer>> {
        private static final long serialVersionUID = 1L;
        /** Splits read record by record in this JVM (a record the fit path refused), for tests. */
        public static final java.util.concurrent.atomic.AtomicLong RECORD_BY_RECORD =
                new java.util.concurrent.atomic.AtomicLong();
        /** Splits read by the fit path in this JVM, for tests. */
        public static final java.util.concurrent.atomic.AtomicLong FIT_PATH =
                new java.util.concurrent.atomic.AtomicLong();
        private final String file;
        private final CsvSplits.Plan plan;
        private final String timeField;
        private final EventDeserializer deserializer;
        private final String specJson;
        private final String designJson;
        private transient ModelSpec spec;
        private transient FittedDesign design;
        private transient GlmModel model;

        public SplitChunks(String file, CsvSplits.Plan plan, String timeField, EventDeserializer deserializer,
                           String specJson, String designJson) {
            this.file = file;
            this.plan = plan;
            this.timeField = timeField;
            this.deserializer = deserializer;
            this.specJson = specJson;
            this.designJson = designJson;
        }

        @Override public void open(OpenContext openContext) {
            spec = SpecParser.parse(specJson, "spec");
            design = ModelFile.designFromJson(designJson);
            model = GlmModel.of(spec, design);
        }

        @Override public void processElement(Integer index, Context ctx, Collector<Tuple2<Long, RowBuffer>> out)
                throws java.io.IOException {
            CsvSplits.Split split = plan.splits().get(index);
            if (split.records() == 0) {
                return;
            }
            DesignMatrix matrix;
            try {
                DataTable table = CsvTableReader.readSplit(Path.of(file), plan, split, spec.numericColumnUsage(),
                        spec.categoricalColumnUsage());
                matrix = TrainingSet.build(spec, model, design, table, new java.util.ArrayList<>());
            } catch (RuntimeException refused) {
                RECORD_BY_RECORD.incrementAndGet();
                recordByRecord(split, ctx, out);
                return;
            }
            FIT_PATH.incrementAndGet();
            long chunk = 0;
            for (int from = 0; from < matrix.rows(); from += InMemoryPasses.CHUNK_ROWS) {
                int to = Math.min(matrix.rows(), from + InMemoryPasses.CHUNK_ROWS);
                out.collect(Tuple2.of(((long) index << 32) | chunk++, rows(matrix, from, to, split.firstRecord())));
            }
            ReplayProgress.RECORDS.addAndGet(matrix.rows());
        }

        /** The split's records through the stream's parser: a copy of the header and the split's bytes. */
        private void recordByRecord(CsvSplits.Split split, Context ctx, Collector<Tuple2<Long, RowBuffer>> out)
                throws java.io.IOException {
            Path copy = java.nio.file.Files.createTempFile("streamglm-split-", ".csv");
            try {
                try (var in = java.nio.channels.FileChannel.open(Path.of(file));
                     var to = java.nio.channels.FileChannel.open(copy, java.nio.file.StandardOpenOption.WRITE)) {
                    transfer(in, 0, plan.bodyStart(), to);
                    transfer(in, split.from(), split.to() - split.from(), to);
                }
                EventChunks chunks = new EventChunks(spec, design, split.index(), ctx, out);
                long[] pending = {0};
                InputFiles.forEach(copy, timeField, (json, i, ts) -> {
                    if (++pending[0] == ReplayProgress.BLOCK) {
                        ReplayProgress.RECORDS.addAndGet(pending[0]);
                        pending[0] = 0;
                    }
                    chunks.add(deserializer.toEvent(json, file, 0, split.firstRecord() + i, ts == null ? 0 : ts));
                });
                ReplayProgress.RECORDS.addAndGet(pending[0]);
                chunks.finish();
            } finally {
                java.nio.file.Files.deleteIfExists(copy);
            }
        }

        private static void transfer(java.nio.channels.FileChannel in, long from, long count,
                                     java.nio.channels.FileChannel to) throws java.io.IOException {
            long done = 0;
            while (done < count) {
                long n = in.transferTo(from + done, count - done, to);
                if (n <= 0) {
                    throw new java.io.IOException("could not copy a split of " + count + " bytes");
                }
                done += n;
            }
        }

        /** Rows [from, to) of an encoded matrix as a row buffer, ordered by their record index. */
        private RowBuffer rows(DesignMatrix m, int from, int to, long firstRecord) {
            RowBuffer buffer = RowBuffer.forModel(spec, design);
            int[] dense = m.denseColumns();
            double[] denseValues = m.denseValues();
            int stride = m.stride();
            int[] sparseIdx = m.indices();
            double[] sparseVal = m.values();
            int[] nnz = m.nonZeros();
            int n = m.rows();
            int[] idx = new int[dense.length + stride];
            double[] val = new double[dense.length + stride];
            for (int i = from; i < to; i++) {
                int k = 0;
                for (int a = 0; a < dense.length; a++) {
                    idx[k] = dense[a];
                    val[k++] = denseValues[a * n + i];
                }
                for (int e = 0; e < nnz[i]; e++) {
                    idx[k] = sparseIdx[i * stride + e];
                    val[k++] = sparseVal[i * stride + e];
                }
                buffer.append(0, firstRecord + i, m.y(i), m.weight(i), m.offset(i), idx, val, k);
            }
            return buffer;
        }
    }

    /** Whether one CSV file can be read as byte-range splits by the fit path (not with ordered target statistics). */
    public static boolean splittable(List<String> files, FittedDesign design) {
        return files.size() == 1 && !InputFiles.isJsonLines(Path.of(files.get(0)))
                && design.terms().stream().flatMap(t -> t.components().stream())
                        .noneMatch(c -> c instanceof io.streamglm.engine.design.TargetComponent);
    }

    private static void read(List<String> files, int file, String timeField, EventDeserializer deserializer,
                             java.util.function.Consumer<Event> out) {
        String path = files.get(file);
        long[] pending = {0};
        InputFiles.forEach(Path.of(path), timeField, (json, index, ts) -> {
            out.accept(deserializer.toEvent(json, path, file, index, ts == null ? 0 : ts));
            if (++pending[0] == ReplayProgress.BLOCK) {
                ReplayProgress.RECORDS.addAndGet(pending[0]);
                pending[0] = 0;
            }
        });
        ReplayProgress.RECORDS.addAndGet(pending[0]);
    }

    /** A dead letter as a JSON line: reason, detail, where it came from and the record's text. */
    public static String deadLetterJson(Event e) {
        var node = io.streamglm.engine.model.ResultJson.MAPPER.createObjectNode();
        node.put("reason", e.bad().reason());
        node.put("detail", e.bad().detail());
        node.put("source", e.topic() + "#" + e.partition() + "/" + e.offset());
        node.put("record", e.original() == null ? "" : new String(e.original(), java.nio.charset.StandardCharsets.UTF_8));
        return node.toString();
    }
}
