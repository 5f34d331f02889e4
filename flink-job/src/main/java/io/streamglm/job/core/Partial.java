package io.streamglm.job.core;

/**
 * One shard's accumulator for one pass of a window's refit, sent to the model's pass coordinator.
 *
 * @param window      the refit's window end (ms)
 * @param iteration   the pass number within the refit (0 is the start pass, run when the window closes)
 * @param rows        the shard's rows in the window
 * @param accumulator the pass's accumulator as bytes (its own versioned layout)
 */
public record Partial(String model, long window, int iteration, int shard, long rows, byte[] accumulator) {
}
