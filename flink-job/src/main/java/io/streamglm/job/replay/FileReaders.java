package io.streamglm.job.replay;

import io.streamglm.engine.design.FittedDesign;
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
            RowBuffer[] chunk = {RowBuffer.forModel(spec, design)};
            long[] chunks = {0};
            read(files, file, timeField, deserializer, e -> {
                if (!e.isRow()) {
                    ctx.output(DEAD_LETTERS, e);
                    return;
                }
                e.row().appendTo(chunk[0], ((long) e.partition() << 40) | e.offset());
                if (chunk[0].size() == InMemoryPasses.CHUNK_ROWS) {
                    out.collect(Tuple2.of(((long) file << 32) | chunks[0]++, chunk[0]));
                    chunk[0] = RowBuffer.forModel(spec, design);
                }
            });
            if (chunk[0].size() > 0) {
                out.collect(Tuple2.of(((long) file << 32) | chunks[0], chunk[0]));
            }
        }
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
