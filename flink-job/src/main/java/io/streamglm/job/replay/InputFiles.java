package io.streamglm.job.replay;

import io.streamglm.connectors.kafka.CsvToJson;
import io.streamglm.job.core.JobSetupException;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * The files of a replay: a path or a glob ({@code data/2024-*.csv}), CSV with a header row or JSON lines, read
 * record by record as the JSON bytes the stream job would have received from Kafka, so that a replay parses and
 * encodes rows exactly as the stream does. Files are read in parallel byte-range splits ({@link InputUnit}): CSV
 * cut at record starts by its quoting state, JSON lines at line starts ({@link JsonLines}).
 */
public final class InputFiles {
    /** One record: its JSON bytes, its index among the file's records (from 0) and its time, or null. */
    @FunctionalInterface
    public interface RecordSink {
        void accept(byte[] json, long index, Long timestamp);
    }

    private InputFiles() {
    }

    /** The files a path or glob names, sorted by path (their order is the records' order). */
    public static List<Path> expand(String pathOrGlob) {
        if (!pathOrGlob.contains("*") && !pathOrGlob.contains("?") && !pathOrGlob.contains("[")) {
            Path p = Path.of(pathOrGlob);
            if (!Files.isRegularFile(p)) {
                throw new JobSetupException("--data " + pathOrGlob + ": no such file");
            }
            return List.of(p.toAbsolutePath());
        }
        Path glob = Path.of(pathOrGlob);
        Path dir = glob.getParent() == null ? Path.of(".") : glob.getParent();
        if (dir.toString().contains("*")) {
            throw new JobSetupException("--data " + pathOrGlob + ": only the file name may hold wildcards");
        }
        PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + glob.getFileName());
        List<Path> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            files.filter(f -> Files.isRegularFile(f) && matcher.matches(f.getFileName()))
                    .map(Path::toAbsolutePath).sorted().forEach(out::add);
        } catch (IOException e) {
            throw new JobSetupException("--data " + pathOrGlob + ": " + e.getMessage());
        }
        if (out.isEmpty()) {
            throw new JobSetupException("--data " + pathOrGlob + ": no file matches");
        }
        return out;
    }

    /** JSON lines for {@code .jsonl}/{@code .json}/{@code .ndjson} files, CSV otherwise. */
    public static boolean isJsonLines(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        return name.endsWith(".jsonl") || name.endsWith(".ndjson") || name.endsWith(".json");
    }

    /** Reads a file's records in order. */
    public static void forEach(Path file, String timeField, RecordSink sink) {
        if (!isJsonLines(file)) {
            long[] index = {0};
            CsvToJson.forEach(file, timeField, null, (key, ts, json) -> sink.accept(json, index[0]++, ts));
            return;
        }
        long length;
        try {
            length = Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": " + e.getMessage(), e);
        }
        JsonLines.forEach(file, 0, length, 0, (buf, off, len, index, position) ->
                sink.accept(java.util.Arrays.copyOfRange(buf, off, off + len), index, null));
    }

    /** Records in the files (lines, less a CSV's header; a CSV field with a line break counts twice), for progress. */
    public static long countRecords(List<Path> files) {
        long total = 0;
        byte[] buf = new byte[1 << 16];
        for (Path f : files) {
            long lines = 0;
            int last = '\n';
            try (InputStream in = Files.newInputStream(f)) {
                for (int n = in.read(buf); n > 0; n = in.read(buf)) {
                    for (int i = 0; i < n; i++) {
                        if (buf[i] == '\n') {
                            lines++;
                        }
                    }
                    last = buf[n - 1];
                }
            } catch (IOException e) {
                throw new UncheckedIOException(f + ": " + e.getMessage(), e);
            }
            if (last != '\n') {
                lines++;
            }
            total += isJsonLines(f) ? lines : Math.max(0, lines - 1);
        }
        return total;
    }
}
