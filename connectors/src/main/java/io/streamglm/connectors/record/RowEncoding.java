package io.streamglm.connectors.record;

import io.streamglm.engine.design.FittedDesign;
import io.streamglm.engine.design.RecordEncoder;
import io.streamglm.engine.design.RecordValues;
import io.streamglm.engine.fit.GlmModel;
import io.streamglm.engine.fit.RowCheck;
import io.streamglm.engine.spec.ModelSpec;

import java.util.Arrays;
import java.util.List;

/**
 * Turns a parsed record into an {@link EncodedRow} with the frozen design, or says why it cannot be used: a
 * response outside the family's domain, a weight below 0, an exposure not above 0, a level the design does not
 * know under policy {@code error}, a term that gives no finite value. The same rule as {@code streamglm fit}
 * ({@link RowCheck}), with messages for dead letters.
 */
public final class RowEncoding {
    private final ModelSpec spec;
    private final String modelName;
    private final RowCheck check;
    private final RecordEncoder encoder;
    private final int[] idx;
    private final double[] val;

    public RowEncoding(ModelSpec spec, String modelName, FittedDesign design) {
        this.spec = spec;
        this.modelName = modelName;
        this.check = new RowCheck(GlmModel.of(spec, design));
        this.encoder = new RecordEncoder(design);
        this.idx = new int[Math.max(1, design.maxNonZeros())];
        this.val = new double[idx.length];
    }

    /** The columns the design reads, in the positions a {@code ColumnValues} record is read by. */
    public List<String> columns() {
        return encoder.columns();
    }

    /** The outcome: exactly one of the two is non-null. */
    public record Result(EncodedRow row, BadRecord bad) {
    }

    public Result encode(ParsedRecord r) {
        return encode(r, r.eventTime(), r.key());
    }

    /**
     * The same for a record's values in any form, e.g. {@link RecordReader}'s slots.
     *
     * @param key the key field's value, or "" without one
     */
    public Result encode(RecordValues r, long eventTime, String key) {
        double y = r.number(spec.response());
        String problem = check.responseProblem(y);
        if (problem != null) {
            return bad(BadRecord.OUT_OF_DOMAIN, "response '" + spec.response() + "' = " + y + " " + problem);
        }
        double weight = 1.0;
        if (spec.weights() != null) {
            weight = r.number(spec.weights());
            if (!RowCheck.usableWeight(weight)) {
                return bad(BadRecord.OUT_OF_DOMAIN, "weight '" + spec.weights() + "' = " + weight + " is negative");
            }
        }
        double offset = 0.0;
        if (spec.offset() != null) {
            offset += r.number(spec.offset());
        }
        if (spec.exposure() != null) {
            double e = r.number(spec.exposure());
            if (!RowCheck.usableExposure(e)) {
                return bad(BadRecord.OUT_OF_DOMAIN, "exposure '" + spec.exposure() + "' = " + e + " is not positive");
            }
            offset = RowCheck.withExposure(offset, e);
        }
        y = check.response(y, weight);
        int k;
        try {
            k = encoder.encode(r, idx, val);
        } catch (RecordEncoder.UnseenLevelException e) {
            return bad(BadRecord.UNSEEN_LEVEL, e.getMessage());
        }
        if (k == RecordEncoder.NULL_ROW) {
            return bad(BadRecord.UNSEEN_LEVEL, "a level the model never saw, under policy \"unseen\": \"null\"");
        }
        for (int e = 0; e < k; e++) {
            if (!Double.isFinite(val[e])) {
                return bad(BadRecord.OUT_OF_DOMAIN, "the design gives " + val[e] + " for column "
                        + encoder.design().columnNames().get(idx[e]) + " (e.g. log of a value <= 0)");
            }
        }
        String id = key.isEmpty() ? modelName : modelName + "/" + key;
        return new Result(new EncodedRow(id, eventTime, y, weight, offset, Arrays.copyOf(idx, k),
                Arrays.copyOf(val, k)), null);
    }

    private static Result bad(String reason, String detail) {
        return new Result(null, new BadRecord(reason, detail));
    }
}
