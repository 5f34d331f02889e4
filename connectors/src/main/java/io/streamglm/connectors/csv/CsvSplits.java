package io.streamglm.connectors.csv;

import io.streamglm.engine.data.DataException;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Cuts a CSV file with a header row into byte ranges whose boundaries are record boundaries, so that every record
 * is read by exactly one range (a split owns the records that start in it).
 *
 * <p><b>How the boundaries are found.</b> A record start cannot be told from the bytes around an arbitrary offset:
 * a line break may sit inside a quoted field, and whether it does depends on every quote before it. So the plan
 * is made by one cheap sequential pre-scan of the whole body that tracks only the RFC 4180 quoting state (field
 * start, unquoted, quoted, quote seen inside quotes, with {@code ""} as an escaped quote) and the record starts;
 * no value is parsed and nothing is allocated per byte or per record. Each nominal cut (the body cut into N equal
 * byte ranges) moves to the nearest eligible record start. The scan reads the file once at memory speed (about
 * a byte-compare and a switch per byte); the splits then read their ranges in parallel.
 *
 * <p>With {@code align} > 1 only record starts whose index (from 0, the header not counted) is a multiple of
 * {@code align} are eligible, so that a reader cutting its rows into chunks of {@code align} rows makes the same
 * chunks a whole-file read makes.
 *
 * <p>The quoting rules are FastCSV's (which {@link CsvTableReader} uses): a quote opens a quoted field only at the
 * start of a field; CR, LF and CRLF end a record outside quotes; empty lines are not records (FastCSV's
 * {@code skipEmptyLines}). The header is the first line up to its LF, as in {@link CsvTableReader}.
 */
public final class CsvSplits {
    private static final int FIELD_START = 0;
    private static final int UNQUOTED = 1;
    private static final int QUOTED = 2;
    private static final int QUOTE_IN_QUOTED = 3;
    /** After a CR outside quotes: an LF here belongs to the same line end. */
    private static final int AFTER_CR = 4;
    /** At the start of a line, before its first byte: an empty line is not a record. */
    private static final int LINE_START = 5;

    /**
     * One byte range of the body.
     *
     * @param index       the split's position in file order
     * @param from        first byte (inclusive), a record start or the end of the file
     * @param to          end (exclusive), the next split's {@code from} or the file's length
     * @param firstRecord index of the first record in the range among the file's records (from 0, header not
     *                    counted)
     * @param records     records starting in the range
     */
    public record Split(int index, long from, long to, long firstRecord, long records) implements java.io.Serializable {
    }

    /**
     * @param headerEnd index of the header's LF (or the file length when there is none)
     * @param bodyStart first byte after the header
     * @param records   records in the body
     */
    public record Plan(long length, long headerEnd, long bodyStart, long records, List<Split> splits)
            implements java.io.Serializable {
    }

    private CsvSplits() {
    }

    /** Plans {@code n} splits of a file (some may be empty when the file has fewer eligible record starts). */
    public static Plan plan(Path file, int n, int align) {
        try (InputStream in = Files.newInputStream(file)) {
            return plan(in, Files.size(file), n, align);
        } catch (NoSuchFileException e) {
            throw new DataException(file + ": no such file (check the --data path)");
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": " + e.getMessage(), e);
        }
    }

    /** Plans {@code n} splits of CSV bytes. */
    public static Plan plan(byte[] bytes, int n, int align) {
        try {
            return plan(new java.io.ByteArrayInputStream(bytes), bytes.length, n, align);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Plan plan(InputStream in, long length, int n, int align) throws IOException {
        if (n < 1 || align < 1) {
            throw new IllegalArgumentException("n and align must be >= 1: " + n + ", " + align);
        }
        byte[] buf = new byte[1 << 20];
        long pos = 0;
        long headerEnd = -1;
        // header: up to the first LF
        int got = 0;
        int at = 0;
        while (headerEnd < 0) {
            if (at == got) {
                got = in.read(buf);
                at = 0;
                if (got <= 0) {
                    break;
                }
            }
            if (buf[at] == '\n') {
                headerEnd = pos;
            }
            at++;
            pos++;
        }
        if (headerEnd < 0) {
            headerEnd = length;
        }
        long bodyStart = Math.min(length, headerEnd + 1);
        long body = length - bodyStart;
        long[] nominal = new long[n - 1];
        for (int k = 1; k < n; k++) {
            nominal[k - 1] = bodyStart + (long) (body * ((double) k / n));
        }
        long[] cutPos = new long[n - 1];
        long[] cutRec = new long[n - 1];
        int k = 0;
        long prevPos = bodyStart; // the last eligible record start seen (record 0 is eligible)
        long prevRec = 0;
        long records = 0;
        int state = LINE_START;
        while (true) {
            if (at >= got) {
                got = in.read(buf);
                at = 0;
                if (got <= 0) {
                    break;
                }
            }
            int end = got;
            for (; at < end; at++, pos++) {
                byte b = buf[at];
                switch (state) {
                    case LINE_START -> {
                        if (b == '\n') {
                            continue; // empty line
                        }
                        if (b == '\r') {
                            state = AFTER_CR;
                            continue;
                        }
                        // a record starts at pos
                        if (records % align == 0) {
                            while (k < n - 1 && nominal[k] <= pos) {
                                boolean takePrev = nominal[k] - prevPos < pos - nominal[k];
                                cutPos[k] = takePrev ? prevPos : pos;
                                cutRec[k] = takePrev ? prevRec : records;
                                k++;
                            }
                            prevPos = pos;
                            prevRec = records;
                        }
                        records++;
                        state = b == '"' ? QUOTED : b == ',' ? FIELD_START : UNQUOTED;
                    }
                    case AFTER_CR -> {
                        if (b == '\n') {
                            state = LINE_START;
                        } else {
                            state = LINE_START;
                            at--;
                            pos--; // look at this byte again as a line's first
                        }
                    }
                    case FIELD_START -> state = b == '"' ? QUOTED : b == ',' ? FIELD_START
                            : b == '\n' ? LINE_START : b == '\r' ? AFTER_CR : UNQUOTED;
                    case UNQUOTED -> {
                        if (b == ',') {
                            state = FIELD_START;
                        } else if (b == '\n') {
                            state = LINE_START;
                        } else if (b == '\r') {
                            state = AFTER_CR;
                        }
                    }
                    case QUOTED -> {
                        if (b == '"') {
                            state = QUOTE_IN_QUOTED;
                        }
                    }
                    case QUOTE_IN_QUOTED -> state = b == '"' ? QUOTED : b == ',' ? FIELD_START
                            : b == '\n' ? LINE_START : b == '\r' ? AFTER_CR : UNQUOTED;
                    default -> throw new IllegalStateException("state " + state);
                }
            }
        }
        if (pos != length) {
            throw new IOException("read " + pos + " bytes of " + length + " (the file changed while it was read?)");
        }
        // cuts after the last eligible record start: nearest of it and the end of the file
        while (k < n - 1) {
            boolean takePrev = nominal[k] - prevPos < length - nominal[k];
            cutPos[k] = takePrev ? prevPos : length;
            cutRec[k] = takePrev ? prevRec : records;
            k++;
        }
        List<Split> splits = new ArrayList<>(n);
        long from = bodyStart;
        long first = 0;
        for (int s = 0; s < n; s++) {
            long to = s < n - 1 ? cutPos[s] : length;
            long next = s < n - 1 ? cutRec[s] : records;
            splits.add(new Split(s, from, to, first, next - first));
            from = to;
            first = next;
        }
        return new Plan(length, headerEnd, bodyStart, records, List.copyOf(splits));
    }
}
