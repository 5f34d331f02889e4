package io.streamglm.job.replay;

import io.streamglm.connectors.csv.CsvSplits;
import io.streamglm.connectors.csv.CsvTableReader;
import io.streamglm.engine.accumulate.InMemoryPasses;
import io.streamglm.engine.data.DataTable;
import io.streamglm.engine.design.DesignMatrix;
import io.streamglm.engine.design.FittedDesign;
import io.streamglm.engine.design.RowBuffer;
import io.streamglm.engine.fit.GlmModel;
import io.streamglm.engine.fit.TrainingSet;
import io.streamglm.engine.spec.ModelSpec;
import io.streamglm.job.core.Event;
import io.streamglm.job.operators.EventDeserializer;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Reads an {@link InputUnit} into row chunks of {@link InMemoryPasses#CHUNK_ROWS} rows and its dead letters. Free
 * of Flink: a replay worker calls it once per unit, or once per pass for data larger than its memory.
 *
 * <p>A CSV split is read straight into design rows by the {@code fit} command's path
 * ({@link CsvTableReader#readSplit}, {@link TrainingSet}, {@link DesignMatrix#encode}). The plan's cuts fall on
 * record indexes that are multiples of the chunk size, so every chunk is one of the chunks {@code streamglm fit}
 * makes of the file, and merged in key order they give its sums bit for bit. A split with a record the fit path
 * refuses (a bad value, an unseen level), and a whole file, are read record by record through the stream's
 * {@link EventDeserializer}, so bad records become dead letters and good ones rows.
 */
public final class UnitReader {
    /** Units read record by record in this JVM (a whole file, or a split the fit path refused), for tests. */
    public static final AtomicLong RECORD_BY_RECORD = new AtomicLong();
    /** Splits read by the fit path in this JVM, for tests. */
    public static final AtomicLong FIT_PATH = new AtomicLong();

    /** Rows [from, to) of {@code matrix}, the chunk with this key. */
    public record Chunk(long key, DesignMatrix matrix, int from, int to) {
    }

    /** A unit's chunks in key order, its dead letters as JSON lines and the number of records it held. */
    public record Rows(List<Chunk> chunks, List<String> deadLetters, long records) {
        /** The heap the chunks' matrices take. */
        public long heapBytes() {
            long bytes = 0;
            DesignMatrix last = null;
            for (Chunk c : chunks) {
                if (c.matrix() != last) {
                    bytes += c.matrix().heapBytes();
                    last = c.matrix();
                }
            }
            return bytes;
        }
    }

    private final ModelSpec spec;
    private final FittedDesign design;
    private final GlmModel model;
    private final String timeField;
    private final EventDeserializer deserializer;

    public UnitReader(ModelSpec spec, FittedDesign design, String timeField, EventDeserializer deserializer) {
        this.spec = spec;
        this.design = design;
        this.model = GlmModel.of(spec, design);
        this.timeField = timeField;
        this.deserializer = deserializer;
    }

    /**
     * Reads one unit.
     *
     * @param countProgress whether to add its records to {@link ReplayProgress#RECORDS} (the first reading only)
     */
    public Rows read(InputUnit unit, boolean countProgress) throws IOException {
        if (!unit.csvSplit()) {
            RECORD_BY_RECORD.incrementAndGet();
            return recordByRecord(unit, countProgress);
        }
        CsvSplits.Split split = unit.split();
        if (split.records() == 0) {
            return new Rows(List.of(), List.of(), 0);
        }
        DesignMatrix matrix;
        try {
            DataTable table = CsvTableReader.readSplit(Path.of(unit.file()), unit.plan(), split,
                    spec.numericColumnUsage(), spec.categoricalColumnUsage());
            matrix = TrainingSet.build(spec, model, design, table, new ArrayList<>());
        } catch (RuntimeException refused) {
            RECORD_BY_RECORD.incrementAndGet();
            return recordByRecord(unit, countProgress);
        }
        FIT_PATH.incrementAndGet();
        List<Chunk> chunks = new ArrayList<>();
        long chunk = 0;
        for (int from = 0; from < matrix.rows(); from += InMemoryPasses.CHUNK_ROWS) {
            chunks.add(new Chunk((unit.prefix() << 32) | chunk++, matrix, from,
                    Math.min(matrix.rows(), from + InMemoryPasses.CHUNK_ROWS)));
        }
        if (countProgress) {
            ReplayProgress.RECORDS.addAndGet(matrix.rows());
        }
        return new Rows(chunks, List.of(), matrix.rows());
    }

    /**
     * Every record of a unit through the stream's parser, as a stream of them would give it: "topic" the file,
     * "partition" its index and "offset" the record's index in the file (a split is read as a copy of the
     * header and its bytes).
     *
     * @param countProgress whether to add its records to {@link ReplayProgress#RECORDS}
     */
    public void events(InputUnit unit, boolean countProgress, Consumer<Event> sink) throws IOException {
        if (unit.split() == null) {
            events(unit, 0, countProgress, sink, records -> InputFiles.forEach(Path.of(unit.file()), timeField,
                    records));
            return;
        }
        if (unit.jsonLinesSplit()) {
            // the range's lines with their indexes in the whole file
            events(unit, 0, countProgress, sink, records -> JsonLines.forEach(Path.of(unit.file()),
                    unit.split().from(), unit.split().to(), unit.split().firstRecord(),
                    (buf, off, len, index, position) -> records.accept(
                            java.util.Arrays.copyOfRange(buf, off, off + len), index, null)));
            return;
        }
        CsvSplits.Split split = unit.split();
        Path copy = Files.createTempFile("streamglm-split-", ".csv");
        try {
            try (FileChannel in = FileChannel.open(Path.of(unit.file()));
                 FileChannel to = FileChannel.open(copy, StandardOpenOption.WRITE)) {
                transfer(in, 0, unit.plan().bodyStart(), to);
                transfer(in, split.from(), split.to() - split.from(), to);
            }
            events(unit, split.firstRecord(), countProgress, sink, records -> InputFiles.forEach(copy, timeField,
                    records));
        } finally {
            Files.deleteIfExists(copy);
        }
    }

    /**
     * The records {@code reader} gives, as events of the unit's file: "partition" the file's index, "offset" the
     * record's index in the file ({@code firstOffset} plus the index the reader gives).
     */
    private void events(InputUnit unit, long firstOffset, boolean countProgress, Consumer<Event> sink,
                        Consumer<InputFiles.RecordSink> reader) {
        long[] pending = {0};
        reader.accept((json, i, ts) -> {
            sink.accept(deserializer.toEvent(json, unit.file(), unit.fileIndex(), firstOffset + i,
                    ts == null ? 0 : ts));
            if (countProgress && ++pending[0] == ReplayProgress.BLOCK) {
                ReplayProgress.RECORDS.addAndGet(pending[0]);
                pending[0] = 0;
            }
        });
        if (countProgress) {
            ReplayProgress.RECORDS.addAndGet(pending[0]);
        }
    }

    /** A unit's records through the stream's parser, cut into chunks of rows in record order. */
    private Rows recordByRecord(InputUnit unit, boolean countProgress) throws IOException {
        List<Chunk> chunks = new ArrayList<>();
        List<String> dead = new ArrayList<>();
        RowBuffer[] chunk = {RowBuffer.forModel(spec, design)};
        long[] records = {0};
        events(unit, countProgress, e -> {
            records[0]++;
            if (!e.isRow()) {
                dead.add(FileReaders.deadLetterJson(e));
                return;
            }
            e.row().appendTo(chunk[0], ((long) e.partition() << 40) | e.offset());
            if (chunk[0].size() == InMemoryPasses.CHUNK_ROWS) {
                chunks.add(whole((unit.prefix() << 32) | chunks.size(), chunk[0]));
                chunk[0] = RowBuffer.forModel(spec, design);
            }
        });
        if (chunk[0].size() > 0) {
            chunks.add(whole((unit.prefix() << 32) | chunks.size(), chunk[0]));
        }
        return new Rows(chunks, dead, records[0]);
    }

    private Chunk whole(long key, RowBuffer rows) {
        DesignMatrix m = rows.toMatrix(design.columnNames());
        return new Chunk(key, m, 0, m.rows());
    }

    private static void transfer(FileChannel in, long from, long count, FileChannel to) throws IOException {
        long done = 0;
        while (done < count) {
            long n = in.transferTo(from + done, count - done, to);
            if (n <= 0) {
                throw new IOException("could not copy a split of " + count + " bytes");
            }
            done += n;
        }
    }
}
