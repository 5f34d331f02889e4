package io.streamglm.connectors.record;

import io.streamglm.engine.design.RowBuffer;

/**
 * One record turned into a design row with the frozen design: its non-zeros, response, prior weight and offset
 * (log exposure included), ready to be appended to a window's {@link RowBuffer}.
 *
 * @param model the model id the row belongs to (the spec's model name, and the key value with a key field)
 */
public record EncodedRow(String model, long eventTime, double y, double weight, double offset, int[] idx,
                         double[] val) {

    /** @param order a tie-breaker among rows of equal event time, e.g. the source record's partition and offset */
    public void appendTo(RowBuffer buffer, long order) {
        buffer.append(eventTime, order, y, weight, offset, idx, val, idx.length);
    }
}
