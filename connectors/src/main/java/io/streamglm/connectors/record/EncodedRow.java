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

    public void appendTo(RowBuffer buffer) {
        buffer.append(eventTime, y, weight, offset, idx, val, idx.length);
    }
}
