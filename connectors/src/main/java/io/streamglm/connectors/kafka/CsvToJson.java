package io.streamglm.connectors.kafka;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.CsvRecord;
import io.streamglm.engine.data.DataException;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * Turns a CSV file's rows into JSON object records for Kafka: fields that read as numbers are written as numbers,
 * others as strings. A categorical column of numbers (e.g. district "1") is still read as its text by the stream,
 * which takes a number's text for a categorical field.
 */
public final class CsvToJson {
    private static final JsonFactory JSON = new JsonFactory();

    private CsvToJson() {
    }

    /** Receives one record: its key (or null), timestamp (or null) and JSON bytes. */
    @FunctionalInterface
    public interface Sink {
        void accept(byte[] key, Long timestamp, byte[] json);
    }

    public static void forEach(Path csv, String timeField, String keyField, Sink sink) {
        forEach(csv, timeField, keyField, false, sink);
    }

    /**
     * @param asCsv send each row as a CSV line (its fields re-quoted where needed) rather than a JSON object; the
     *              stream then needs the file's header as the spec's {@code csv_header}
     */
    public static void forEach(Path csv, String timeField, String keyField, boolean asCsv, Sink sink) {
        try (CsvReader<CsvRecord> reader = CsvReader.builder().ofCsvRecord(csv)) {
            List<String> header = null;
            int timeIndex = -1;
            int keyIndex = -1;
            ByteArrayOutputStream buf = new ByteArrayOutputStream(256);
            long row = 0;
            for (CsvRecord r : reader) {
                if (header == null) {
                    header = r.getFields();
                    timeIndex = index(csv, header, timeField, "--time-field");
                    keyIndex = index(csv, header, keyField, "--key-field");
                    continue;
                }
                row++;
                buf.reset();
                if (asCsv) {
                    buf.write(csvLine(r.getFields()));
                } else {
                    writeJson(header, r, buf);
                }
                Long ts = null;
                if (timeIndex >= 0) {
                    String t = r.getField(timeIndex);
                    try {
                        ts = timeMillis(t);
                    } catch (RuntimeException e) {
                        throw DataException.at(csv.toString(), row, timeField, "'" + t + "' is not a time",
                                "use epoch milliseconds or ISO-8601");
                    }
                }
                byte[] key = keyIndex >= 0 ? r.getField(keyIndex).getBytes(StandardCharsets.UTF_8) : null;
                sink.accept(key, ts, buf.toByteArray());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(csv + ": " + e.getMessage(), e);
        }
    }

    /** The row as a JSON object: numbers as numbers (whole ones as integers), other fields as strings. */
    private static void writeJson(List<String> header, CsvRecord r, ByteArrayOutputStream buf) throws IOException {
        try (JsonGenerator g = JSON.createGenerator(buf)) {
            g.writeStartObject();
            for (int i = 0; i < header.size() && i < r.getFieldCount(); i++) {
                String v = r.getField(i);
                Double d = number(v);
                if (d != null && d == Math.rint(d) && Math.abs(d) < 1e15) {
                    g.writeNumberField(header.get(i), d.longValue()); // "1" stays "1" for a categorical
                } else if (d != null) {
                    g.writeNumberField(header.get(i), d);
                } else {
                    g.writeStringField(header.get(i), v);
                }
            }
            g.writeEndObject();
        }
    }

    /** Fields joined by commas, quoted (RFC 4180) when they hold a comma, quote or line break. */
    static byte[] csvLine(List<String> fields) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < fields.size(); i++) {
            String f = fields.get(i);
            if (i > 0) {
                line.append(',');
            }
            if (f.indexOf(',') >= 0 || f.indexOf('"') >= 0 || f.indexOf('\n') >= 0 || f.indexOf('\r') >= 0) {
                line.append('"').append(f.replace("\"", "\"\"")).append('"');
            } else {
                line.append(f);
            }
        }
        return line.toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * A CSV time field as this class reads it: a finite number is epoch milliseconds (its integral part), other
     * text an ISO-8601 instant; anything else throws.
     */
    public static long timeMillis(String text) {
        Double d = number(text);
        return d != null ? d.longValue() : Instant.parse(text).toEpochMilli();
    }

    private static Double number(String v) {
        if (v.isEmpty()) {
            return null;
        }
        try {
            double d = Double.parseDouble(v);
            return Double.isFinite(d) ? d : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static int index(Path csv, List<String> header, String field, String option) {
        if (field == null) {
            return -1;
        }
        int i = header.indexOf(field);
        if (i < 0) {
            throw new DataException(csv + ": " + option + " " + field + " is not in the header " + header);
        }
        return i;
    }
}
