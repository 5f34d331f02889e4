package io.streamglm.job.replay;

import io.streamglm.job.core.Event;
import io.streamglm.job.operators.EventDeserializer;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

import java.nio.file.Path;
import java.util.List;

/**
 * Reads a windowed replay's files, one file per element (its index): records are parsed and encoded by the
 * stream's own {@link EventDeserializer}, with the file as the "topic", its index as the "partition" and the
 * record's index as the "offset", so rows carry the same order keys a stream of the same records would. (A
 * replay over all rows reads through {@link UnitReader}.)
 */
public final class FileReaders {
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
