package io.streamglm.job.replay;

import io.streamglm.connectors.csv.CsvSplits;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A JSON-lines file's records: one per line that is not blank, a line ending at LF, CR or CRLF (as {@code
 * BufferedReader.readLine}; a JSON text holds no raw line break, so a break always ends a record). The same reader
 * serves a whole file, a byte range of it, and the pre-scan that cuts a file into byte ranges at record starts
 * ({@link #plan}), so a split reads exactly the records a whole-file read gives it, with the same indexes. A
 * record's bytes are the line's bytes as in the file (what a Kafka record of it would carry).
 */
final class JsonLines {
    /** One record: its bytes {@code buf[off, off + len)}, its index among the file's records, its first byte. */
    @FunctionalInterface
    interface LineSink {
        void accept(byte[] buf, int off, int len, long index, long position);
    }

    private JsonLines() {
    }

    /** Every record of the byte range [from, to) of a file, indexes from {@code firstIndex}. */
    static void forEach(Path file, long from, long to, long firstIndex, LineSink sink) {
        try (FileChannel channel = FileChannel.open(file)) {
            channel.position(from);
            read(Channels.newInputStream(channel), from, to - from, firstIndex, sink);
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": " + e.getMessage(), e);
        }
    }

    private static void read(InputStream in, long start, long length, long firstIndex, LineSink sink)
            throws IOException {
        byte[] buf = new byte[1 << 16];
        byte[] line = new byte[256];
        int len = 0;
        long index = firstIndex;
        long lineStart = start;
        boolean afterCr = false;
        long pos = start;
        long end = start + length;
        while (pos < end) {
            int got = in.read(buf, 0, (int) Math.min(buf.length, end - pos));
            if (got <= 0) {
                break;
            }
            for (int i = 0; i < got; i++, pos++) {
                byte b = buf[i];
                if (b == '\n' && afterCr) {
                    afterCr = false;
                    lineStart = pos + 1;
                    continue; // the LF of a CRLF
                }
                afterCr = b == '\r';
                if (b == '\n' || b == '\r') {
                    if (!blank(line, len)) {
                        sink.accept(line, 0, len, index++, lineStart);
                    }
                    len = 0;
                    lineStart = pos + 1;
                    continue;
                }
                if (len == line.length) {
                    line = Arrays.copyOf(line, 2 * len);
                }
                line[len++] = b;
            }
        }
        if (!blank(line, len)) {
            sink.accept(line, 0, len, index, lineStart);
        }
    }

    /** Blank as {@code String.isBlank}: ASCII bytes by their whitespace class, any other line decoded. */
    private static boolean blank(byte[] line, int len) {
        for (int i = 0; i < len; i++) {
            int b = line[i] & 0xff;
            if (b >= 0x80) {
                return new String(line, 0, len, StandardCharsets.UTF_8).isBlank();
            }
            if (!Character.isWhitespace(b)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Cuts a file into {@code n} byte ranges that start at records whose indexes are multiples of {@code align}
     * (so that a reader cutting its records into chunks of {@code align} makes a whole-file read's chunks), by one
     * pre-scan of the file. Each nominal cut (the file in n equal byte ranges) moves to the first eligible record
     * start at or after it; ranges may be empty. The plan has no header ({@code bodyStart} 0).
     */
    static CsvSplits.Plan plan(Path file, int n, int align) {
        long length;
        try {
            length = Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": " + e.getMessage(), e);
        }
        long[] nominal = new long[n - 1];
        for (int k = 1; k < n; k++) {
            nominal[k - 1] = (long) (length * ((double) k / n));
        }
        long[] cutPos = new long[n - 1];
        long[] cutRecord = new long[n - 1];
        Arrays.fill(cutPos, -1);
        long[] records = {0};
        int[] next = {0};
        forEach(file, 0, length, 0, (buf, off, len, index, position) -> {
            records[0] = index + 1;
            while (next[0] < nominal.length && index % align == 0 && position >= nominal[next[0]]) {
                cutPos[next[0]] = position;
                cutRecord[next[0]] = index;
                next[0]++;
            }
        });
        List<CsvSplits.Split> splits = new ArrayList<>(n);
        long from = 0;
        long first = 0;
        for (int k = 0; k < n; k++) {
            boolean last = k == n - 1 || cutPos[k] < 0;
            long to = last ? length : cutPos[k];
            long endRecord = last ? records[0] : cutRecord[k];
            splits.add(new CsvSplits.Split(k, from, to, first, endRecord - first));
            from = to;
            first = endRecord;
            if (last) {
                for (int e = k + 1; e < n; e++) {
                    splits.add(new CsvSplits.Split(e, length, length, records[0], 0));
                }
                break;
            }
        }
        return new CsvSplits.Plan(length, -1, 0, records[0], splits);
    }
}
