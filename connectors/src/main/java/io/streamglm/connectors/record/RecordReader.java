package io.streamglm.connectors.record;

import io.streamglm.engine.design.FittedDesign;
import io.streamglm.engine.spec.ModelSpec;

/**
 * The stream's fast record path: a JSON object (or, with a {@code csv_header}, a CSV line) read straight from its
 * bytes into flat slots ({@link JsonRecordScanner}, {@link CsvRecordScanner}) and encoded once into its
 * {@link EncodedRow} by the same {@link RowEncoding} as every other path. A record it cannot read exactly as
 * {@link RecordParser} would (anything bad or unusual) gives null, and the caller runs {@link RecordParser} and
 * {@link RowEncoding} on it: dead letters keep their reasons and messages because only that path makes them, and
 * the rows of both paths are the same bits. Reused from record to record; not thread-safe.
 */
public final class RecordReader {
    private final RecordFields fields;
    private final JsonRecordScanner json = new JsonRecordScanner();
    private final CsvRecordScanner csv;
    private final RowEncoding encoding;

    /** @param encoding the row encoding of {@code design}, which the slow path uses too */
    public RecordReader(ModelSpec spec, String timeField, String keyField, FittedDesign design, RowEncoding encoding) {
        this.fields = new RecordFields(spec, timeField, keyField, design, encoding.columns());
        this.csv = spec.csvHeader().isEmpty() ? null : new CsvRecordScanner(spec.csvHeader(), fields);
        this.encoding = encoding;
    }

    /**
     * The record's row, or null when {@link RecordParser} and {@link RowEncoding} must decide.
     *
     * @param fallbackTime the transport's timestamp, used when there is no time field
     */
    public EncodedRow read(byte[] bytes, long fallbackTime) {
        if (bytes == null || bytes.length == 0) {
            return null;
        }
        boolean read = csv != null && !RecordParser.startsLikeJsonObject(bytes) ? csv.scan(bytes, fields)
                : json.scan(bytes, fields);
        if (!read) {
            return null;
        }
        RowEncoding.Result r = encoding.encode(fields, fields.hasTime ? fields.time : fallbackTime,
                fields.key == null ? "" : fields.key);
        return r.row(); // null for a bad row: RowEncoding says why again on the slow path
    }
}
